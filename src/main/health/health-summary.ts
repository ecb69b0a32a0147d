import { setImmediate as nextTurn } from 'node:timers/promises'
import type Database from 'better-sqlite3'
import type {
  ConnectionValue,
  HealthExpiry,
  HealthSummary,
  HealthSync,
  RemoteSyncStatus,
  SyncConflict,
} from '../../shared/contract'
import { DAY_MS } from '../../shared/connection-health'
import type { Clock } from '../adapters/clock'
import { readSettings } from '../vault/settings-store'
import type { VaultSession } from '../vault/session'
import { LIST_LIMIT, scanHealth, type HealthRow as Row } from './health-scan'

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
  /** Between slices of the scan (health-scan.ts); setImmediate unless a test steps in. */
  yieldTurn?: () => Promise<void>
  chunkRows?: number
}

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

/**
 * health.summary: everything that needs attention, from the plaintext health columns (never by
 * decrypting the vault). Only the expired tokens listed are opened, to say whether main can renew
 * them without the person.
 */
export function createHealth(deps: HealthDependencies) {
  async function summary(): Promise<HealthSummary> {
    const yieldTurn = deps.yieldTurn ?? nextTurn
    let session = deps.session()
    const { db, bounds, days, tally } = await scanHealth({
      db: () => (session = deps.session()).db,
      expiringSoonDays: (db) => readSettings(db).expiringSoonDays,
      now: () => deps.clock.now(),
      yieldTurn,
      chunkRows: deps.chunkRows,
    })
    const { now, today } = bounds
    const { listed, counts, perDay, attention } = tally
    // In the scan's last turn: names, flows and values are of the same state of the vault as the tally.
    const named = namesOf(db, Object.values(listed).flat())
    const name = (row: Row) => named.get(row[0])!
    const flowsStatement = flowsQuery(db)
    const errors = listed.errors.map((row) => ({ ...refOf(name(row)), reason: name(row).status_reason }))
    const missing = listed.missing.map((row) => ({ ...refOf(name(row)), ...flowsStatement(name(row).id) }))
    const expired = listed.expired.map((row) => expiry(session, row, name(row)))
    const expiring = listed.expiring.map((row) => expiry(session, row, name(row)))
    const refreshFailures = listed.failures.map((row) => ({
      ...refOf(name(row)),
      reason: name(row).last_refresh_failure_reason,
      attempts: name(row).refresh_attempts,
      failedAt: iso(row[4]!),
      expiresAt: row[3] === null ? null : iso(row[3]),
    }))
    // Sync's status counts each remote's outbox (~10 ms at 19k entries): a turn of its own.
    await yieldTurn()
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
      timeline: perDay.map((count, day) => ({ day: iso(today + day * DAY_MS).slice(0, 10), count })),
      attention: attention + syncAttention,
      listLimit: LIST_LIMIT,
      counts,
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
