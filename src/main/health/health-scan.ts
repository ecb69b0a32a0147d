import type Database from 'better-sqlite3'
import { HEALTH_TIMELINE_DAYS } from '../../shared/contract/health'
import { DAY_MS } from '../../shared/connection-health'

/** Each list of the summary holds at most this many; its count says how many there are. */
export const LIST_LIMIT = 50

/**
 * Rows (by rowid) per slice of the scan: a few milliseconds of main at 100k connections. The whole
 * scan in one go held main for 0.1–0.3 s, and a keystroke typed right after an unlock (when the
 * renderer asks for the summary) waited that long for its page of rows.
 */
export const SCAN_CHUNK_ROWS = 2048
/**
 * A write between slices starts the scan again, so a summary never mixes rows from before and after
 * it. After this many tries a steady stream of writes (the refresher catching up) gets one pass
 * without yielding, as before, so the summary always ends.
 */
export const CHUNKED_TRIES = 3

/** What the scan reads per row: numbers and the short status only (strings cost most at 100k). */
export type HealthRow = [
  rowid: number,
  status: string,
  updatedMs: number,
  expiresMs: number | null,
  failureMs: number | null,
  successMs: number | null,
  needsSignIn: number,
]

/**
 * Only rows that can matter: not ACTIVE, a token that expires before the chart ends, or a refresh
 * failure. One scan of the table for everything (the list indexes went in migration 004, so each
 * condition as its own query was another full scan: twelve took 1.2 s at 100k rows), read in rowid
 * ranges so main can answer others between them.
 */
const CANDIDATES = `
  SELECT rowid, status, updated_ms, token_expires_ms, last_refresh_failure_ms, last_refresh_success_ms,
         status = 'ERROR' AND status_reason LIKE 'needs\\_sign\\_in%' ESCAPE '\\'
  FROM connections
  WHERE rowid > ? AND rowid <= ?
    AND (status <> 'ACTIVE' OR token_expires_ms < ? OR last_refresh_failure_ms IS NOT NULL)`

const ROWID_RANGE = 'SELECT min(rowid) - 1 AS low, max(rowid) AS high FROM connections'
/** Every insert, update and delete on this connection counts; the file is opened by no other. */
const CHANGES = 'SELECT total_changes()'

/** The instants a scan judges by, fixed when it starts. */
export interface HealthBounds {
  now: number
  soon: number
  today: number
  chartEnd: number
}

export function boundsOf(now: number, expiringSoonDays: number): HealthBounds {
  const today = Math.floor(now / DAY_MS) * DAY_MS
  return {
    now,
    soon: now + expiringSoonDays * DAY_MS,
    today,
    chartEnd: today + HEALTH_TIMELINE_DAYS * DAY_MS,
  }
}

/**
 * Counts a growing list and keeps its first `LIST_LIMIT` in order. `trim` after each slice keeps the
 * sorts small: 28k expired tokens sorted at the end held main ~10 ms in one go. The order is total
 * (rowid breaks ties), so the first of the trimmed parts are the first of the whole.
 */
function collector<T>(order: (a: T, b: T) => number) {
  let items: T[] = []
  let dropped = 0
  const trim = () => {
    if (items.length <= LIST_LIMIT) return
    dropped += items.length - LIST_LIMIT
    items = items.sort(order).slice(0, LIST_LIMIT)
  }
  return {
    add: (item: T) => items.push(item),
    trim,
    count: () => dropped + items.length,
    top: () => {
      trim()
      return items.sort(order)
    },
  }
}

const byUpdatedDesc = (a: HealthRow, b: HealthRow) => b[2] - a[2] || a[0] - b[0]
const byExpiry = (a: HealthRow, b: HealthRow) => a[3]! - b[3]! || a[0] - b[0]
const byFailureDesc = (a: HealthRow, b: HealthRow) => b[4]! - a[4]! || a[0] - b[0]

/** The refresher is failing now: a failure later than the last success (connection-health.ts). */
const refreshFailing = (row: HealthRow) => row[4] !== null && (row[5] === null || row[4] >= row[5])

/**
 * An expired token counts as expired whether it is still ACTIVE or the refresher has already set
 * ERROR because it cannot renew it (NEEDS_SIGN_IN): the person's question, "what has expired?",
 * has the same answer either way.
 */
const expiredAt = (row: HealthRow, now: number) =>
  row[3] !== null && row[3] <= now && (row[1] === 'ACTIVE' || row[6] === 1)

/** Sorts each candidate row into the summary's lists, counts and chart. */
function createTally(bounds: HealthBounds) {
  const { now, soon, today, chartEnd } = bounds
  const errors = collector(byUpdatedDesc)
  const missing = collector(byUpdatedDesc)
  const expired = collector(byExpiry)
  const expiring = collector(byExpiry)
  const failures = collector(byFailureDesc)
  const perDay = new Array<number>(HEALTH_TIMELINE_DAYS).fill(0)
  let attention = 0
  function add(row: HealthRow): void {
    const status = row[1]
    const expires = row[3]
    const failing = status !== 'MISSING' && refreshFailing(row)
    if (status === 'ERROR') errors.add(row)
    if (status === 'MISSING') missing.add(row)
    if (expiredAt(row, now)) expired.add(row)
    const active = status === 'ACTIVE'
    if (active && expires !== null && expires > now && expires <= soon) expiring.add(row)
    if (failing) failures.add(row)
    if (active && expires !== null && expires > now && expires < chartEnd) {
      perDay[Math.floor((expires - today) / DAY_MS)]! += 1
    }
    // Each connection once, whatever else is wrong with it.
    if (status !== 'ACTIVE' || (expires !== null && expires <= soon) || failing) attention += 1
  }
  /** Between slices: only the first of each list can still be shown. */
  function trim(): void {
    for (const list of [errors, missing, expired, expiring, failures]) list.trim()
  }
  function result() {
    return {
      listed: {
        errors: errors.top(),
        missing: missing.top(),
        expired: expired.top(),
        expiring: expiring.top(),
        failures: failures.top(),
      },
      counts: {
        errors: errors.count(),
        missing: missing.count(),
        expired: expired.count(),
        expiring: expiring.count(),
        refreshFailures: failures.count(),
      },
      perDay,
      attention,
    }
  }
  return { add, trim, result }
}

export type HealthTally = ReturnType<ReturnType<typeof createTally>['result']>

/** The database as it is between slices: the same one, unchanged, or the scan starts again. */
export interface ScanSource {
  db: () => Database.Database
  /** The expiry look-ahead, read at the start of each try (a settings write restarts it too). */
  expiringSoonDays: (db: Database.Database) => number
  now: () => number
  /** Lets main answer others between slices; setImmediate in the product. */
  yieldTurn: () => Promise<void>
  chunkRows?: number
}

/**
 * The health columns of every row that needs attention, tallied. Sliced by rowid with a turn of the
 * event loop between slices; a write between them (total_changes moved) or another database (lock,
 * unlock) starts the scan over, so the tally is always of one state of the vault, as one pass would
 * read it. The tally is answered in the turn of the last slice, so the caller reads names in it.
 */
export async function scanHealth(
  source: ScanSource,
): Promise<{ db: Database.Database; bounds: HealthBounds; days: number; tally: HealthTally }> {
  for (let attempt = 0; ; attempt += 1) {
    const chunkRows = attempt < CHUNKED_TRIES ? (source.chunkRows ?? SCAN_CHUNK_ROWS) : Infinity
    const db = source.db()
    const changes = db.prepare(CHANGES).pluck()
    const before = changes.get()
    const days = source.expiringSoonDays(db)
    const bounds = boundsOf(source.now(), days)
    const tally = createTally(bounds)
    const { low, high } = db.prepare(ROWID_RANGE).get() as { low: number | null; high: number | null }
    const candidates = db.prepare(CANDIDATES).raw()
    const until = Math.max(bounds.soon, bounds.chartEnd)
    let whole = true
    for (let from = low ?? 0; high !== null && from < high;) {
      const to = Math.min(high, from + chunkRows)
      for (const row of candidates.iterate(from, to, until) as IterableIterator<HealthRow>) tally.add(row)
      from = to
      tally.trim()
      if (from >= high) break
      await source.yieldTurn()
      // A lock between slices answers VAULT_LOCKED from here, as a locked vault does at the start.
      if (source.db() !== db || changes.get() !== before) {
        whole = false
        break
      }
    }
    // Rows inserted past `high` after the range was read also moved total_changes.
    if (whole && changes.get() === before) return { db, bounds, days, tally: tally.result() }
  }
}
