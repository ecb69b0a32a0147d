import type Database from 'better-sqlite3'
import type {
  ConnectionValue,
  HealthExpiry,
  HealthSummary,
  HealthSync,
  RemoteSyncStatus,
  SyncConflict,
} from '../../shared/contract'
import { HEALTH_TIMELINE_DAYS } from '../../shared/contract/health'
import { DAY_MS } from '../../shared/connection-health'
import type { Clock } from '../adapters/clock'
import { readSettings } from '../vault/settings-store'
import type { VaultSession } from '../vault/session'

/** Each list of the summary holds at most this many; its count says how many there are. */
const LIST_LIMIT = 50
const FLOWS_PER_MISSING = 50

export interface SyncSource {
  status(): Promise<RemoteSyncStatus[]> | RemoteSyncStatus[]
  conflicts(): Promise<SyncConflict[]> | SyncConflict[]
}

export interface HealthDependencies {
  session: () => VaultSession
  clock: Clock
  /** Absent until sync exists in this build; then the summary says so instead of showing zeros. */
  sync?: SyncSource
}

/** What the scan reads per row: numbers and the short status only (strings cost most at 100k). */
type Row = [
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
 * condition as its own query was another full scan: twelve took 1.2 s at 100k rows), reading the
 * names only of the rows listed.
 */
const CANDIDATES = `
  SELECT rowid, status, updated_ms, token_expires_ms, last_refresh_failure_ms, last_refresh_success_ms,
         status = 'ERROR' AND status_reason LIKE 'needs\\_sign\\_in%' ESCAPE '\\'
  FROM connections
  WHERE status <> 'ACTIVE' OR token_expires_ms < ? OR last_refresh_failure_ms IS NOT NULL`

interface Named {
  id: string
  display_name: string
  piece_name: string
  external_id: string
  status_reason: string | null
  last_refresh_failure_reason: string | null
  refresh_attempts: number
  value_envelope: Buffer | null
}

const NAMED = `SELECT rowid, id, display_name, piece_name, external_id, status_reason, last_refresh_failure_reason,
  refresh_attempts, value_envelope FROM connections WHERE rowid IN (SELECT value FROM json_each(?))`

const iso = (ms: number) => new Date(ms).toISOString()
const refOf = (row: Named) => ({
  id: row.id,
  displayName: row.display_name,
  pieceName: row.piece_name,
  externalId: row.external_id,
})

/** The refresher is failing now: a failure later than the last success (connection-health.ts). */
const refreshFailing = (row: Row) => row[4] !== null && (row[5] === null || row[4] >= row[5])

/**
 * An expired token counts as expired whether it is still ACTIVE or the refresher has already set
 * ERROR because it cannot renew it (NEEDS_SIGN_IN): the person's question, "what has expired?",
 * has the same answer either way.
 */
const expiredAt = (row: Row, now: number) =>
  row[3] !== null && row[3] <= now && (row[1] === 'ACTIVE' || row[6] === 1)

/** Keeps the first `limit` of a growing list in order, and counts all of them. */
function collector<T>(order: (a: T, b: T) => number) {
  const items: T[] = []
  return {
    add: (item: T) => items.push(item),
    count: () => items.length,
    top: () => items.sort(order).slice(0, LIST_LIMIT),
  }
}

const byUpdatedDesc = (a: Row, b: Row) => b[2] - a[2] || a[0] - b[0]
const byExpiry = (a: Row, b: Row) => a[3]! - b[3]! || a[0] - b[0]
const byFailureDesc = (a: Row, b: Row) => b[4]! - a[4]! || a[0] - b[0]

/**
 * health.summary: everything that needs attention, from the plaintext health columns (never by
 * decrypting the vault). Only the expired tokens listed are opened, to say whether main can renew
 * them without the person.
 */
export function createHealth(deps: HealthDependencies) {
  async function summary(): Promise<HealthSummary> {
    const session = deps.session()
    const now = deps.clock.now()
    const { db } = session
    const days = readSettings(db).expiringSoonDays
    const soon = now + days * DAY_MS
    const today = Math.floor(now / DAY_MS) * DAY_MS
    const chartEnd = today + HEALTH_TIMELINE_DAYS * DAY_MS

    const errors = collector(byUpdatedDesc)
    const missing = collector(byUpdatedDesc)
    const expired = collector(byExpiry)
    const expiring = collector(byExpiry)
    const failures = collector(byFailureDesc)
    const perDay = new Array<number>(HEALTH_TIMELINE_DAYS).fill(0)
    let attention = 0
    const rows = db.prepare(CANDIDATES).raw().iterate(Math.max(soon, chartEnd)) as IterableIterator<Row>
    for (const row of rows) {
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

    const listed = {
      errors: errors.top(),
      missing: missing.top(),
      expired: expired.top(),
      expiring: expiring.top(),
      failures: failures.top(),
    }
    const named = namesOf(db, Object.values(listed).flat())
    const name = (row: Row) => named.get(row[0])!
    const sync = await syncSummary(deps.sync)
    const syncAttention = sync.available ? sync.failed + sync.conflicts.length : 0
    const flowsStatement = flowsQuery(db)
    return {
      now: iso(now),
      expiringSoonDays: days,
      errors: listed.errors.map((row) => ({ ...refOf(name(row)), reason: name(row).status_reason })),
      missing: listed.missing.map((row) => ({ ...refOf(name(row)), ...flowsStatement(name(row).id) })),
      expired: listed.expired.map((row) => expiry(session, row, name(row))),
      expiring: listed.expiring.map((row) => expiry(session, row, name(row))),
      refreshFailures: listed.failures.map((row) => ({
        ...refOf(name(row)),
        reason: name(row).last_refresh_failure_reason,
        attempts: name(row).refresh_attempts,
        failedAt: iso(row[4]!),
        expiresAt: row[3] === null ? null : iso(row[3]),
      })),
      sync,
      timeline: perDay.map((count, day) => ({ day: iso(today + day * DAY_MS).slice(0, 10), count })),
      attention: attention + syncAttention,
      listLimit: LIST_LIMIT,
      counts: {
        errors: errors.count(),
        missing: missing.count(),
        expired: expired.count(),
        expiring: expiring.count(),
        refreshFailures: failures.count(),
      },
    }
  }

  return { summary }
}

export type Health = ReturnType<typeof createHealth>

type HealthSummaryFlow = HealthSummary['missing'][number]['flows'][number]

/** Names, reasons and values of the listed rows only, in one query. */
function namesOf(db: Database.Database, rows: Row[]): Map<number, Named> {
  const found = db.prepare(NAMED).all(JSON.stringify([...new Set(rows.map((row) => row[0]))])) as (Named & {
    rowid: number
  })[]
  return new Map(found.map((row) => [row.rowid, row]))
}

/** A missing placeholder's flows, active first: what waits on it. */
function flowsQuery(
  db: Database.Database,
): (connectionId: string) => { flows: HealthSummaryFlow[]; flowCount: number } {
  const list = db.prepare(
    `SELECT flow_id, flow_name, active FROM flow_references WHERE connection_id = ? ORDER BY active DESC, flow_id LIMIT ?`,
  )
  const count = db.prepare('SELECT count(*) AS n FROM flow_references WHERE connection_id = ?')
  return (connectionId) => ({
    flows: (
      list.all(connectionId, FLOWS_PER_MISSING) as {
        flow_id: string
        flow_name: string | null
        active: number
      }[]
    ).map((row) => ({ flowId: row.flow_id, flowName: row.flow_name, active: row.active === 1 })),
    flowCount: (count.get(connectionId) as { n: number }).n,
  })
}

/** Whether main can renew the token alone: a refresh token, or a client-credentials grant. */
function expiry(session: VaultSession, row: Row, named: Named): HealthExpiry {
  return { ...refOf(named), expiresAt: iso(row[3]!), canRefresh: canRefresh(session, named) }
}

function canRefresh(session: VaultSession, named: Named): boolean {
  if (!named.value_envelope) return false
  try {
    const value = JSON.parse(
      session.open('connection-value', named.id, named.value_envelope),
    ) as ConnectionValue
    return (
      'access_token' in value && (Boolean(value.refresh_token) || value.grant_type === 'client_credentials')
    )
  } catch {
    // A value that does not open cannot be refreshed either; reveal names the damage.
    return false
  }
}

async function syncSummary(source: SyncSource | undefined): Promise<HealthSync> {
  if (!source) return { available: false, reason: 'Sync is not part of this build.' }
  const remotes = await source.status()
  if (remotes.length === 0) {
    return {
      available: false,
      reason: 'Sync is not set up: no remote is configured, so nothing waits to be sent.',
    }
  }
  const conflicts = await source.conflicts()
  const names = new Map(remotes.map((remote) => [remote.remoteId, remote.name]))
  return {
    available: true,
    remotes: remotes.length,
    pending: remotes.reduce((sum, remote) => sum + remote.pending, 0),
    failed: remotes.reduce((sum, remote) => sum + remote.failed, 0),
    conflicts: conflicts.map((conflict) => ({
      connectionId: conflict.connectionId,
      displayName: conflict.local.displayName,
      remoteName: names.get(conflict.remoteId) ?? conflict.remoteId,
    })),
  }
}
