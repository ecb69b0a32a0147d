import type Database from 'better-sqlite3'
import type { AppConnection, AuditAction } from '../../shared/contract'
import { notFoundError } from '../../shared/errors'
import type { EventBus } from '../api/event-bus'
import { ENTITY_TYPE } from '../connections/service'
import { tokenExpiryMs } from '../connections/value'
import { createRepositoryAccess } from '../vault/repository-access'
import type { VaultSession } from '../vault/session'
import type { OAuth2Value } from './token-value'

/** What the scheduler needs of a row to know when it is due; plaintext columns only, no value opened. */
export interface ScheduleRow {
  id: string
  token_expires_ms: number
  issued_ms: number
  /** Days with a failed refresh since the last success (Nango's day buckets). */
  refresh_attempts: number
}

/**
 * A committed connection's schedule row, as the `many` statement below would read it from the
 * vault (null where it selects no row): the refresher takes it from a connections.changed event's
 * detail instead of reading the row back. test/main/oauth/schedule-of.test.ts holds the two equal.
 */
export function scheduleOf(connection: AppConnection): ScheduleRow | null {
  const { tokenExpiresAt, lastRotatedAt, lastRefreshSuccessAt, refreshAttempts } = connection.health
  if (connection.type !== 'OAUTH2' || connection.status !== 'ACTIVE' || !connection.hasValue) return null
  if (tokenExpiresAt === null) return null
  return {
    id: connection.id,
    token_expires_ms: Date.parse(tokenExpiresAt),
    issued_ms: Math.max(
      Date.parse(connection.created),
      lastRotatedAt === null ? 0 : Date.parse(lastRotatedAt),
      lastRefreshSuccessAt === null ? 0 : Date.parse(lastRefreshSuccessAt),
    ),
    refresh_attempts: refreshAttempts,
  }
}

export interface StoredToken {
  id: string
  status: 'ACTIVE' | 'MISSING' | 'ERROR'
  displayName: string
  pieceName: string
  value: OAuth2Value
  /** The sealed bytes as read: a write is skipped when they changed meanwhile (a person rotated). */
  envelope: Buffer
  refreshAttempts: number
  lastFailureMs: number | null
  lastSuccessMs: number | null
}

const DAY_MS = 24 * 60 * 60 * 1000
/** At most this many refreshed tokens share one commit: one fsync for many, and no long stall. */
const GROUP_COMMIT_MAX = 64
const GROUP_COMMIT_WAIT_MS = 5

interface TokenAudit {
  action: AuditAction
  origin: string
  nowMs: number
  details: Record<string, string | number | boolean | null>
}

interface PendingWrite {
  id: string
  value: OAuth2Value
  expected: Buffer | null
  audit: TokenAudit
  resolve: (wrote: boolean) => void
  reject: (error: unknown) => void
}

function statements(db: Database.Database) {
  return {
    due: db.prepare<[number, number], ScheduleRow>(
      `SELECT id, token_expires_ms, refresh_attempts,
         max(created_ms, coalesce(last_rotated_ms, 0), coalesce(last_refresh_success_ms, 0)) AS issued_ms
       FROM connections
       WHERE rowid > ? AND rowid <= ?
         AND type = 'OAUTH2' AND status = 'ACTIVE' AND token_expires_ms IS NOT NULL AND value_envelope IS NOT NULL`,
    ),
    rowids: db.prepare<[], { low: number | null; high: number | null }>(
      'SELECT min(rowid) - 1 AS low, max(rowid) AS high FROM connections',
    ),
    many: db.prepare<[string], ScheduleRow>(
      `SELECT id, token_expires_ms, refresh_attempts,
         max(created_ms, coalesce(last_rotated_ms, 0), coalesce(last_refresh_success_ms, 0)) AS issued_ms
       FROM connections
       WHERE id IN (SELECT value FROM json_each(?)) AND type = 'OAUTH2' AND status = 'ACTIVE'
         AND token_expires_ms IS NOT NULL AND value_envelope IS NOT NULL`,
    ),
    read: db.prepare<
      [string],
      {
        id: string
        type: string
        status: 'ACTIVE' | 'MISSING' | 'ERROR'
        display_name: string
        piece_name: string
        value_envelope: Buffer | null
        refresh_attempts: number
        last_refresh_failure_ms: number | null
        last_refresh_success_ms: number | null
      }
    >(
      `SELECT id, type, status, display_name, piece_name, value_envelope, refresh_attempts,
         last_refresh_failure_ms, last_refresh_success_ms FROM connections WHERE id = ?`,
    ),
    // A new token makes the connection usable again: ACTIVE, attempts reset; the last failure stays
    // as history beside the newer success. "Updated" moves only for a Reconnect (a person's act):
    // a refresh has its own column, and an hourly refresh must not reorder a list sorted by Updated.
    storeTokens: db.prepare<[number, Buffer, number | null, number, number, number, number, number, string]>(
      `UPDATE connections SET value_key_version = ?, value_envelope = ?, token_expires_ms = ?,
         last_refresh_success_ms = ?, refresh_attempts = 0, status = 'ACTIVE', status_reason = NULL,
         updated_ms = CASE WHEN ? = 1 THEN ? ELSE updated_ms END,
         last_rotated_ms = CASE WHEN ? = 1 THEN ? ELSE last_rotated_ms END
       WHERE id = ?`,
    ),
    // The refresher's writes never move "Updated" (a person's or sync's change): the status and the
    // failure have their own columns, and a list sorted by Updated must not reorder by itself.
    refused: db.prepare<[string, number, string, string]>(
      `UPDATE connections SET status = 'ERROR', status_reason = ?, last_refresh_failure_ms = ?,
         last_refresh_failure_reason = ? WHERE id = ?`,
    ),
    // A failure that may pass by itself is health, not a change to the connection: Updated stays.
    transient: db.prepare<[number, number, string, string]>(
      `UPDATE connections SET refresh_attempts = ?, last_refresh_failure_ms = ?,
         last_refresh_failure_reason = ? WHERE id = ?`,
    ),
  }
}

type Statements = ReturnType<typeof statements>

/**
 * The refresher's narrow writes to a connection: new tokens, a refusal, a transient failure. Each
 * runs in its own transaction with its audit entry, and announces `connections.changed` once it has
 * committed, as the connections service does (the in-memory list follows the row by its triggers).
 */
export function createTokenStore(dependencies: {
  session: () => VaultSession
  events: Pick<EventBus, 'emit'>
}) {
  const withVault = createRepositoryAccess(dependencies.session, statements)
  const changed = (id: string) =>
    dependencies.events.emit('connections.changed', { ids: [id], kind: 'updated' })

  /**
   * Every schedule row, a rowid range of `rowsPerRange` at a time: the scheduler reads one range per
   * turn of the event loop, so a vault of 28k tokens never holds main for its whole scan (~70 ms at
   * 100k, inside the unlock). Rows inserted after the first range is read are announced
   * (connections.changed) and tracked from the event instead. A lock between ranges throws
   * VAULT_LOCKED from the next one.
   */
  function* scheduleInRanges(rowsPerRange: number): Generator<{ rows: ScheduleRow[]; more: boolean }> {
    const { low, high } = withVault((_session, sql) => sql.rowids.get()!)
    if (low === null || high === null) return
    for (let after = low; after < high; after += rowsPerRange) {
      const through = Math.min(high, after + rowsPerRange)
      yield { rows: withVault((_session, sql) => sql.due.all(after, through)), more: through < high }
    }
  }

  /** The schedule rows among `ids` (OAuth2 connections with a token), in one statement. */
  function schedulesOf(ids: readonly string[]): ScheduleRow[] {
    return withVault((_session, sql) => sql.many.all(JSON.stringify(ids)))
  }

  function read(id: string): StoredToken {
    return withVault((session, sql) => readIn(session, sql, id))
  }

  /**
   * Stores new tokens unless the value changed since `expected` was read (a person rotated or
   * reconnected meanwhile: theirs wins). Answers whether it wrote.
   */
  function storeTokens(id: string, value: OAuth2Value, expected: Buffer | null, audit: TokenAudit): boolean {
    const wrote = withVault((session, sql) =>
      session.transaction(() => writeIn(session, sql, id, value, expected, audit)),
    )
    if (wrote) changed(id)
    return wrote
  }

  // Refreshes that answer in the same turn of the event loop are written in one transaction (group
  // commit): a catch-up of 1,000 tokens pays a few dozen fsyncs, not 1,000. Each row is still
  // re-read, audited and announced on its own.
  let pending: PendingWrite[] = []
  function queueTokens(
    id: string,
    value: OAuth2Value,
    expected: Buffer | null,
    audit: TokenAudit,
  ): Promise<boolean> {
    return new Promise((resolve, reject) => {
      pending.push({ id, value, expected, audit, resolve, reject })
      // A few milliseconds' wait lets the other refreshes in flight join the same commit.
      if (pending.length === 1) setTimeout(flush, GROUP_COMMIT_WAIT_MS)
    })
  }

  function flush(): void {
    const batch = pending.slice(0, GROUP_COMMIT_MAX)
    pending = pending.slice(batch.length)
    if (pending.length > 0) setTimeout(flush, GROUP_COMMIT_WAIT_MS)
    let results: boolean[]
    try {
      results = withVault((session, sql) =>
        session.transaction(() =>
          batch.map((write) => writeIn(session, sql, write.id, write.value, write.expected, write.audit)),
        ),
      )
    } catch (error) {
      for (const write of batch) write.reject(error)
      return
    }
    batch.forEach((write, index) => {
      if (results[index]) changed(write.id)
      write.resolve(results[index]!)
    })
  }

  /** One connection's new tokens, inside the caller's transaction; false when superseded. */
  function writeIn(
    session: VaultSession,
    sql: Statements,
    id: string,
    value: OAuth2Value,
    expected: Buffer | null,
    audit: TokenAudit,
  ): boolean {
    const current = readIn(session, sql, id)
    if (expected && !current.envelope.equals(expected)) return false
    sql.storeTokens.run(
      session.keyVersion,
      session.seal('connection-value', id, JSON.stringify(value)),
      tokenExpiryMs(value),
      audit.nowMs,
      audit.action === 'connection.reconnect' ? 1 : 0,
      audit.nowMs,
      audit.action === 'connection.reconnect' ? 1 : 0,
      audit.nowMs,
      id,
    )
    session.audit({
      action: audit.action,
      origin: audit.origin,
      entityType: ENTITY_TYPE,
      entityId: id,
      details: {
        displayName: current.displayName,
        pieceName: current.pieceName,
        previousStatus: current.status,
        refreshTokenRotated: value.refresh_token !== current.value.refresh_token,
        expiresInSeconds: value.expires_in ?? null,
        ...audit.details,
      },
    })
    return true
  }

  /**
   * A refusal sets ERROR with the provider's reason; a transient failure leaves the status alone and
   * counts an attempt at most once per calendar day (UTC), as Nango does, so an outage of a few
   * hours does not look like a dead connection.
   */
  function recordFailure(
    id: string,
    kind: 'refused' | 'transient',
    reason: string,
    origin: string,
    nowMs: number,
  ): void {
    withVault((session, sql) =>
      session.transaction(() => {
        const current = readIn(session, sql, id)
        let attempts = current.refreshAttempts
        if (kind === 'refused') {
          sql.refused.run(reason, nowMs, reason, id)
        } else {
          const sameDay =
            current.lastFailureMs !== null &&
            Math.floor(current.lastFailureMs / DAY_MS) === Math.floor(nowMs / DAY_MS) &&
            (current.lastSuccessMs === null || current.lastSuccessMs < current.lastFailureMs)
          attempts = sameDay && attempts > 0 ? attempts : attempts + 1
          sql.transient.run(attempts, nowMs, reason, id)
        }
        session.audit({
          action: 'connection.refresh_failed',
          origin,
          entityType: ENTITY_TYPE,
          entityId: id,
          details: {
            displayName: current.displayName,
            pieceName: current.pieceName,
            kind,
            reason,
            refreshAttempts: attempts,
            previousStatus: current.status,
          },
        })
      }),
    )
    changed(id)
  }

  return { scheduleInRanges, schedulesOf, read, storeTokens, queueTokens, recordFailure }
}

export type TokenStore = ReturnType<typeof createTokenStore>

function readIn(session: VaultSession, sql: Statements, id: string): StoredToken {
  const row = sql.read.get(id)
  if (!row) throw notFoundError(ENTITY_TYPE, id, 'Connection not found')
  if (row.type !== 'OAUTH2' || !row.value_envelope) {
    throw notFoundError('oauth2_token', id, 'This connection holds no OAuth2 token to refresh.')
  }
  return {
    id: row.id,
    status: row.status,
    displayName: row.display_name,
    pieceName: row.piece_name,
    value: JSON.parse(session.open('connection-value', row.id, row.value_envelope)) as OAuth2Value,
    envelope: row.value_envelope,
    refreshAttempts: row.refresh_attempts,
    lastFailureMs: row.last_refresh_failure_ms,
    lastSuccessMs: row.last_refresh_success_ms,
  }
}
