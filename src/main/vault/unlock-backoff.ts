import type Database from 'better-sqlite3'
import { AppError } from '../../shared/errors'

/**
 * A growing wait after failed password unlocks, kept in the vault header (plaintext, migration 008)
 * so quitting and restarting does not reset it. It slows guessing through the app only: someone who
 * can copy the file can run the KDF offline, which is what Argon2id's cost is for.
 *
 * The first FREE_FAILURES are typos and cost nothing; then the wait doubles from 1 s, up to 5 min.
 * An attempt refused for being early never reaches the KDF and does not count.
 */
const FREE_FAILURES = 3
const FIRST_DELAY_MS = 1_000
const MAX_DELAY_MS = 5 * 60_000

export function unlockDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(failures - FREE_FAILURES, 20))
}

interface BackoffRow {
  failures: number
  lastFailureMs: number | null
}

/** Schema 8 or later; the migration tests drive older builds' schemas, which had no backoff. */
function hasBackoff(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM pragma_table_info('vault_header') WHERE name = 'failed_unlocks'").get() !==
    undefined
  )
}

function readBackoff(db: Database.Database): BackoffRow {
  if (!hasBackoff(db)) return { failures: 0, lastFailureMs: null }
  return (
    (db
      .prepare(
        'SELECT failed_unlocks AS failures, last_failed_unlock_ms AS lastFailureMs FROM vault_header WHERE id = 1',
      )
      .get() as BackoffRow | undefined) ?? { failures: 0, lastFailureMs: null }
  )
}

/**
 * How long until the next attempt may run. A last failure in the future (the clock was set back,
 * or the file says so) is moved to now, so the owner waits the policy's delay once, not until the
 * clock catches up.
 */
export function unlockWaitMs(db: Database.Database, nowMs: number): number {
  const { failures, lastFailureMs } = readBackoff(db)
  const delay = unlockDelayMs(failures)
  if (delay === 0 || lastFailureMs === null) return 0
  if (lastFailureMs > nowMs) {
    db.prepare('UPDATE vault_header SET last_failed_unlock_ms = ? WHERE id = 1').run(nowMs)
    return delay
  }
  return Math.max(0, lastFailureMs + delay - nowMs)
}

/** AUTHENTICATION with `retryAfterSeconds`, so the unlock screen can say how long to wait. */
export function assertUnlockAllowed(db: Database.Database, nowMs: number): void {
  const waitMs = unlockWaitMs(db, nowMs)
  if (waitMs === 0) return
  const seconds = Math.ceil(waitMs / 1000)
  throw new AppError('AUTHENTICATION', {
    message: `Too many wrong master passwords. Try again in ${describeWait(seconds)}.`,
    retryAfterSeconds: seconds,
  })
}

function describeWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`
  const minutes = Math.ceil(seconds / 60)
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}

/** In the same transaction as the failed unlock's audit entry. */
export function recordFailedUnlock(db: Database.Database, nowMs: number): void {
  if (!hasBackoff(db)) return
  db.prepare(
    'UPDATE vault_header SET failed_unlocks = failed_unlocks + 1, last_failed_unlock_ms = ? WHERE id = 1',
  ).run(nowMs)
}

export function clearFailedUnlocks(db: Database.Database): void {
  if (!hasBackoff(db)) return
  db.prepare(
    'UPDATE vault_header SET failed_unlocks = 0, last_failed_unlock_ms = NULL WHERE id = 1 AND failed_unlocks <> 0',
  ).run()
}
