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

interface RefRow {
  id: string
  display_name: string
  piece_name: string
  external_id: string
}

const REF = 'id, display_name, piece_name, external_id'
/** The refresher is failing now: a failure later than the last success (connection-health.ts). */
const REFRESH_FAILING =
  'last_refresh_failure_ms IS NOT NULL AND (last_refresh_success_ms IS NULL OR last_refresh_failure_ms >= last_refresh_success_ms)'

/**
 * An expired token counts as expired whether it is still ACTIVE or the refresher has already set
 * ERROR because it cannot renew it (NEEDS_SIGN_IN, src/shared/contract/oauth.ts): the person's
 * question, "what has expired?", has the same answer either way.
 */
const EXPIRED_AT = `(status = 'ACTIVE' OR (status = 'ERROR' AND status_reason LIKE 'needs\\_sign\\_in%' ESCAPE '\\')) AND token_expires_ms <= ?`

const refOf = (row: RefRow) => ({
  id: row.id,
  displayName: row.display_name,
  pieceName: row.piece_name,
  externalId: row.external_id,
})
const iso = (ms: number) => new Date(ms).toISOString()

/**
 * health.summary: everything that needs attention, from the health columns in SQL (the status and
 * expiry columns are plaintext for this), never by decrypting the vault. Only the expired tokens
 * listed are opened, to say whether main can renew them without the person.
 */
export function createHealth(deps: HealthDependencies) {
  async function summary(): Promise<HealthSummary> {
    const session = deps.session()
    const now = deps.clock.now()
    const { db } = session
    const days = readSettings(db).expiringSoonDays
    const soon = now + days * DAY_MS
    const count = (where: string, ...params: number[]) =>
      (db.prepare(`SELECT count(*) AS n FROM connections WHERE ${where}`).get(...params) as { n: number }).n
    const rows = <T>(sql: string, ...params: number[]) => db.prepare(sql).all(...params, LIST_LIMIT) as T[]

    const errors = rows<RefRow & { status_reason: string | null }>(
      `SELECT ${REF}, status_reason FROM connections WHERE status = 'ERROR' ORDER BY updated_ms DESC, id LIMIT ?`,
    ).map((row) => ({ ...refOf(row), reason: row.status_reason }))
    const missing = rows<RefRow>(
      `SELECT ${REF} FROM connections WHERE status = 'MISSING' ORDER BY updated_ms DESC, id LIMIT ?`,
    ).map((row) => ({ ...refOf(row), ...flowsOf(db, row.id) }))
    const expiryRows = (where: string, ...params: number[]) =>
      rows<RefRow & { token_expires_ms: number }>(
        `SELECT ${REF}, token_expires_ms FROM connections WHERE ${where} ORDER BY token_expires_ms, id LIMIT ?`,
        ...params,
      )
    const expired = expiryRows(EXPIRED_AT, now).map((row) => expiry(session, row))
    const expiring = expiryRows(
      `status = 'ACTIVE' AND token_expires_ms > ? AND token_expires_ms <= ?`,
      now,
      soon,
    ).map((row) => expiry(session, row))
    const refreshFailures = rows<
      RefRow & {
        last_refresh_failure_reason: string | null
        refresh_attempts: number
        last_refresh_failure_ms: number
        token_expires_ms: number | null
      }
    >(
      `SELECT ${REF}, last_refresh_failure_reason, refresh_attempts, last_refresh_failure_ms, token_expires_ms
       FROM connections WHERE status <> 'MISSING' AND ${REFRESH_FAILING} ORDER BY last_refresh_failure_ms DESC, id LIMIT ?`,
    ).map((row) => ({
      ...refOf(row),
      reason: row.last_refresh_failure_reason,
      attempts: row.refresh_attempts,
      failedAt: iso(row.last_refresh_failure_ms),
      expiresAt: row.token_expires_ms === null ? null : iso(row.token_expires_ms),
    }))
    const counts = {
      errors: count(`status = 'ERROR'`),
      missing: count(`status = 'MISSING'`),
      expired: count(EXPIRED_AT, now),
      expiring: count(`status = 'ACTIVE' AND token_expires_ms > ? AND token_expires_ms <= ?`, now, soon),
      refreshFailures: count(`status <> 'MISSING' AND ${REFRESH_FAILING}`),
    }
    // Each connection once, whatever else is wrong with it.
    const needsAttention = count(
      `status IN ('ERROR', 'MISSING') OR (status = 'ACTIVE' AND token_expires_ms <= ?) OR (status <> 'MISSING' AND ${REFRESH_FAILING})`,
      soon,
    )
    const sync = await syncSummary(deps.sync)
    const syncAttention = sync.available ? sync.failed + sync.conflicts.length : 0
    return {
      now: iso(now),
      expiringSoonDays: days,
      errors,
      missing,
      expired,
      expiring,
      refreshFailures,
      sync,
      timeline: timeline(db, now),
      attention: needsAttention + syncAttention,
      listLimit: LIST_LIMIT,
      counts,
    }
  }

  return { summary }
}

export type Health = ReturnType<typeof createHealth>

function flowsOf(
  db: Database.Database,
  connectionId: string,
): { flows: HealthSummaryFlow[]; flowCount: number } {
  const flows = (
    db
      .prepare(
        `SELECT flow_id, flow_name, active FROM flow_references WHERE connection_id = ? ORDER BY active DESC, flow_id LIMIT ?`,
      )
      .all(connectionId, FLOWS_PER_MISSING) as { flow_id: string; flow_name: string | null; active: number }[]
  ).map((row) => ({ flowId: row.flow_id, flowName: row.flow_name, active: row.active === 1 }))
  const { n } = db
    .prepare('SELECT count(*) AS n FROM flow_references WHERE connection_id = ?')
    .get(connectionId) as {
    n: number
  }
  return { flows, flowCount: n }
}

type HealthSummaryFlow = HealthSummary['missing'][number]['flows'][number]

/** Whether main can renew the token alone: a refresh token, or a client-credentials grant. */
function expiry(session: VaultSession, row: RefRow & { token_expires_ms: number }): HealthExpiry {
  return { ...refOf(row), expiresAt: iso(row.token_expires_ms), canRefresh: canRefresh(session, row.id) }
}

function canRefresh(session: VaultSession, id: string): boolean {
  const found = session.db
    .prepare('SELECT value_envelope AS envelope FROM connections WHERE id = ?')
    .get(id) as { envelope: Buffer | null } | undefined
  if (!found?.envelope) return false
  try {
    const value = JSON.parse(session.open('connection-value', id, found.envelope)) as ConnectionValue
    return (
      'access_token' in value && (Boolean(value.refresh_token) || value.grant_type === 'client_credentials')
    )
  } catch {
    // A value that does not open cannot be refreshed either; reveal names the damage.
    return false
  }
}

/** Expiries per UTC day from today, for the chart: day 0 counts the rest of today. */
function timeline(db: Database.Database, now: number): { day: string; count: number }[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS
  const counts = new Map(
    (
      db
        .prepare(
          // Parameters bind as REAL: the division must be cast, or 2.4 days is a day of its own.
          `SELECT CAST((token_expires_ms - ?) / ${DAY_MS} AS INTEGER) AS day, count(*) AS n FROM connections
           WHERE status = 'ACTIVE' AND token_expires_ms > ? AND token_expires_ms < ? GROUP BY day`,
        )
        .all(today, now, today + HEALTH_TIMELINE_DAYS * DAY_MS) as { day: number; n: number }[]
    ).map((row) => [row.day, row.n]),
  )
  return Array.from({ length: HEALTH_TIMELINE_DAYS }, (_unused, day) => ({
    day: iso(today + day * DAY_MS).slice(0, 10),
    count: counts.get(day) ?? 0,
  }))
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
