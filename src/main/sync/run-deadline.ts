import type { Clock } from '../adapters/clock'
import { RemoteError } from './dialects/remote-error'

/** A run longer than this is stopped and counted as failed: no remote should hold the header at "Syncing…". */
export const RUN_DEADLINE_MS = 10 * 60_000
/** After the deadline, how long a run may take to notice its aborted signal before it is left behind. */
export const RUN_ABANDON_GRACE_MS = 10_000

export interface Deadline {
  /** The deadline passed: the run's signal was aborted by it, not by a person's Cancel. */
  expired(): boolean
  /** The run did not stop in the grace period: its answer no longer counts, and it must record nothing. */
  abandoned(): boolean
}

export interface DeadlineOptions<T> {
  clock: Clock
  ms: number
  graceMs: number
  /** The run's controller: aborting it stops every request and ends the run between two writes. */
  controller: AbortController
  work(deadline: Deadline): Promise<T>
  /** The answer for a run that ignored its signal, given when the grace period ends. */
  whenAbandoned(): T
}

/**
 * Bounds one run in time whatever it waits on. At the deadline the run's signal aborts, which ends
 * a well-behaved run within one request; a run still going after the grace period (something that
 * ignores the signal) is answered for and left behind, so the engine's bookkeeping never waits on
 * a promise that may never settle.
 */
export function runWithDeadline<T>(options: DeadlineOptions<T>): Promise<T> {
  const { clock } = options
  let expired = false
  let abandoned = false
  let settled = false
  let graceHandle: unknown = null
  return new Promise<T>((resolve, reject) => {
    const handle = clock.setTimeout(() => {
      expired = true
      options.controller.abort()
      graceHandle = clock.setTimeout(() => {
        if (settled) return
        settled = true
        abandoned = true
        resolve(options.whenAbandoned())
      }, options.graceMs)
    }, options.ms)
    const finish = () => {
      clock.clearTimeout(handle)
      if (graceHandle !== null) clock.clearTimeout(graceHandle)
    }
    options.work({ expired: () => expired, abandoned: () => abandoned }).then(
      (value) => {
        if (settled) return
        settled = true
        finish()
        resolve(value)
      },
      (error: unknown) => {
        if (settled) return
        settled = true
        finish()
        reject(error)
      },
    )
  })
}

/** The failure a run that hit its deadline ends with: which remote, and that it will try again. */
export function deadlineError(remoteName: string, ms: number): RemoteError {
  const minutes = Math.max(1, Math.round(ms / 60_000))
  return new RemoteError({
    kind: 'timeout',
    appCode: 'REMOTE_UNAVAILABLE',
    message: `Sync with “${remoteName}” was stopped after ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} without finishing. Nothing was lost; it will try again.`,
  })
}
