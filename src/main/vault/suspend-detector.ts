import type { Clock } from '../adapters/clock'

export interface SuspendDetectorOptions {
  intervalMs?: number
  /** How much later than planned a tick may fire before it counts as a suspend, not a busy loop. */
  toleranceMs?: number
}

/**
 * For hosts with no power events (browser mode): a timer that should fire every `intervalMs`.
 * While the machine sleeps timers do not run but the wall clock moves on, so a tick that finds far
 * more time passed than planned means the system was suspended. Returns a stop function.
 */
export function watchForSuspend(
  clock: Clock,
  onSuspend: () => void,
  options: SuspendDetectorOptions = {},
): () => void {
  const intervalMs = options.intervalMs ?? 10_000
  const toleranceMs = options.toleranceMs ?? 60_000
  let last = clock.now()
  let handle: unknown = null
  let stopped = false
  const tick = () => {
    if (stopped) return
    const now = clock.now()
    if (now - last > intervalMs + toleranceMs) onSuspend()
    last = now
    handle = clock.setTimeout(tick, intervalMs)
  }
  handle = clock.setTimeout(tick, intervalMs)
  return () => {
    stopped = true
    if (handle !== null) clock.clearTimeout(handle)
  }
}
