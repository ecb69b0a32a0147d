import type { Clock } from '../adapters/clock'

export interface IdleLockDependencies {
  clock: Clock
  /** How long the vault may sit idle right now; 0 means no auto-lock (off, or nothing unlocked). */
  idleMs(): number
  onIdle(): void
}

export interface IdleLock {
  /** Work happened: the idle period starts again from now. */
  noteActivity(): void
  /** Arms (or re-arms, after a settings change) the check for the remaining idle time. */
  schedule(): void
  stop(): void
}

/**
 * One pending timer at most: activity only moves the last-activity time, and the check re-arms
 * itself for the remaining time, so a hot loop of session calls never churns timers.
 */
export function createIdleLock(deps: IdleLockDependencies): IdleLock {
  let lastActivityMs = deps.clock.now()
  let timer: unknown = null

  function stop(): void {
    if (timer !== null) deps.clock.clearTimeout(timer)
    timer = null
  }

  function schedule(): void {
    stop()
    const idleMs = deps.idleMs()
    if (idleMs === 0) return
    const wait = Math.max(0, lastActivityMs + idleMs - deps.clock.now())
    timer = deps.clock.setTimeout(check, wait)
  }

  function check(): void {
    timer = null
    const idleMs = deps.idleMs()
    if (idleMs > 0 && deps.clock.now() - lastActivityMs >= idleMs) deps.onIdle()
    else schedule()
  }

  return {
    noteActivity() {
      lastActivityMs = deps.clock.now()
    },
    schedule,
    stop,
  }
}
