import type { Clock } from '../../src/main/adapters/clock'

export interface ManualClock extends Clock {
  /** Moves time forward, firing each due timer at its own moment, in order. */
  advance(ms: number): void
  /** Moves the wall clock forward without running timers, as a suspended machine would see it. */
  jump(ms: number): void
  pendingTimers(): number
}

/** A clock tests drive by hand: auto-lock and expiry are tested without sleeping. */
export function createManualClock(startMs = Date.UTC(2026, 0, 1)): ManualClock {
  let now = startMs
  let nextId = 1
  const timers = new Map<number, { due: number; callback: () => void }>()
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++
      timers.set(id, { due: now + Math.max(0, ms), callback })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    advance(ms) {
      const target = now + ms
      for (;;) {
        let nextIdDue: number | null = null
        let nextDue = Infinity
        for (const [id, timer] of timers) {
          if (timer.due <= target && timer.due < nextDue) {
            nextDue = timer.due
            nextIdDue = id
          }
        }
        if (nextIdDue === null) break
        const timer = timers.get(nextIdDue)!
        timers.delete(nextIdDue)
        now = Math.max(now, timer.due)
        timer.callback()
      }
      now = target
    },
    jump(ms) {
      now += ms
    },
    pendingTimers: () => timers.size,
  }
}
