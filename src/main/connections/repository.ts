import type Database from 'better-sqlite3'
import type { ConnectionScope, ConnectionType, FlowReference, SyncState } from '../../shared/contract'
import { CONNECTION_COLUMNS, ROW_COLUMNS, type ConnectionRow, type Related } from './rows'
import { FOLD_CASE_FUNCTION, foldCase, rowsByIdsQuery, type Sql } from './list-query'
import { assertRowMac, rowMacOf, type CoveredRow } from '../vault/row-mac'

/** The columns a write sets; health columns not listed here are left to the refresher. */
export interface ConnectionWrite {
  /** The sealed value (its associated data names `id`) and the vault key version that sealed it. */
  envelope: Buffer
  keyVersion: number
  id: string
  remoteKey: string
  externalId: string
  displayName: string
  type: ConnectionType
  pieceName: string
  pieceVersion: string | null
  scope: ConnectionScope
  metadata: string | null
  preSelect: number
  syncState: SyncState
  nowMs: number
  tokenExpiresMs: number | null
  /** The project ids as the row stores them: writtenProjectIds as JSON (projectIdsJson). */
  projectIds: string
}

type RewriteParameters = [
  displayName: string,
  type: ConnectionType,
  pieceVersion: string | null,
  scope: ConnectionScope,
  metadata: string | null,
  preSelect: number,
  syncState: SyncState,
  nowMs: number,
  tokenExpiresMs: number | null,
  rotatedMs: number,
  projectIds: string,
  keyVersion: number,
  envelope: Buffer,
  rowMac: Buffer,
  auditHead: number,
  rowid: number,
]

type KeepIdentityParameters = [
  type: ConnectionType,
  pieceVersion: string | null,
  metadata: string | null,
  preSelect: number,
  syncState: SyncState,
  nowMs: number,
  tokenExpiresMs: number | null,
  rotatedMs: number,
  keyVersion: number,
  envelope: Buffer,
  auditHead: number,
  rowid: number,
]

export interface OutboxEntry {
  remoteId: string
  connectionId: string
  operation: 'upsert' | 'update' | 'delete' | 'replace'
  /** Ids, names and fields only; the pusher reads the value from the row when it sends. */
  payload: Record<string, unknown>
  nowMs: number
}

interface FlowRow {
  flow_id: string
  connection_id: string
  flow_name: string | null
  project_id: string | null
  active: number
}

const ROW = `SELECT ${ROW_COLUMNS} FROM connections c`

/**
 * Every statement of the connections domain, prepared once per database handle. The list queries
 * are built per filter shape (list-query.ts) and cached here by their text.
 */
export function createConnectionsRepository(db: Database.Database) {
  db.function(FOLD_CASE_FUNCTION, { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? foldCase(text) : text,
  )
  const dynamic = new Map<string, Database.Statement>()
  const prepared = (sql: string): Database.Statement => {
    let statement = dynamic.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      dynamic.set(sql, statement)
    }
    return statement
  }

  const byId = db.prepare<[string], ConnectionRow>(`${ROW} WHERE c.id = ?`)
  // Without has_value: an upsert writes a value whatever was there, so it need not look. With its
  // projects (a column of the row since migration 006), which a rotation keeps, and its MAC, which
  // a rewrite checks before it writes a new one.
  const byNaturalKey = db
    .prepare<[string, string, string], unknown[]>(
      `SELECT c.rowid AS rowid, ${CONNECTION_COLUMNS}, c.project_ids, c.row_mac, c.audit_head
       FROM connections c WHERE c.remote_key = ? AND c.piece_name = ? AND c.external_id = ?`,
    )
    .raw()
  // The value (migration 005) and the project ids (migration 006) are columns of the row: a write is
  // one row, one page. Positional parameters, as rewriteRow's below. The row's MAC (vault/row-mac.ts)
  // is a value of the same statement: the MAC triggers stand aside for a row that brings its own.
  const insertRow = db.prepare(
    `INSERT INTO connections (id, remote_key, external_id, display_name, type, piece_name, piece_version,
       scope, status, metadata, pre_select, sync_state, created_ms, updated_ms, token_expires_ms, last_rotated_ms,
       project_ids, value_key_version, value_envelope, row_mac, audit_head)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  // A new value clears ERROR (as an Activepieces upsert does): the user has just supplied fresh
  // credentials. By rowid: the caller has just read the row, so SQLite need not find it by id again.
  // Positional parameters: binding by name looks up each of them on the object, per row of a batch.
  const rewriteRow = db.prepare<RewriteParameters>(
    `UPDATE connections SET display_name = ?, type = ?, piece_version = ?,
       scope = ?, status = 'ACTIVE', status_reason = NULL, metadata = ?,
       pre_select = ?, sync_state = ?, updated_ms = ?,
       token_expires_ms = ?, refresh_attempts = 0, last_rotated_ms = ?,
       project_ids = ?, value_key_version = ?, value_envelope = ?, row_mac = ?, audit_head = ?
     WHERE rowid = ?`,
  )
  // rewriteRow for a write that leaves every MACed column as it was (a rotation of an ACTIVE row):
  // it names none of them, so no MAC trigger fires and the row keeps its MAC, HMAC-free.
  const keepIdentityRow = db.prepare<KeepIdentityParameters>(
    `UPDATE connections SET type = ?, piece_version = ?, status_reason = NULL, metadata = ?,
       pre_select = ?, sync_state = ?, updated_ms = ?,
       token_expires_ms = ?, refresh_attempts = 0, last_rotated_ms = ?,
       value_key_version = ?, value_envelope = ?, audit_head = ?
     WHERE rowid = ?`,
  )
  const renameRow = db.prepare<[string, string | null, string, number, string]>(
    'UPDATE connections SET display_name = ?, metadata = ?, sync_state = ?, updated_ms = ? WHERE id = ?',
  )
  const markMissing = db.prepare<[string, string, number, string]>(
    `UPDATE connections SET status = 'MISSING', status_reason = ?, sync_state = ?, updated_ms = ?,
       token_expires_ms = NULL WHERE id = ?`,
  )
  const deleteRow = db.prepare<[string]>('DELETE FROM connections WHERE id = ?')
  const deleteFlows = db.prepare<[string]>('DELETE FROM flow_references WHERE connection_id = ?')
  const clearPolicies = db.prepare<[string]>(
    'UPDATE connection_policies SET connection_id = NULL WHERE connection_id = ?',
  )
  const readValue = db.prepare<[string], { envelope: Buffer | null }>(
    'SELECT value_envelope AS envelope FROM connections WHERE id = ?',
  )
  const deleteValue = db.prepare<[string]>(
    'UPDATE connections SET value_key_version = NULL, value_envelope = NULL WHERE id = ?',
  )
  const projectsOf = db.prepare<[string], { id: string; project_ids: string }>(
    `SELECT id, project_ids FROM connections
     WHERE id IN (SELECT value FROM json_each(?)) AND project_ids <> '[]'`,
  )
  const flowIdsOf = db.prepare<[string], { connection_id: string; flow_id: string }>(
    `SELECT connection_id, flow_id FROM flow_references
     WHERE connection_id IN (SELECT value FROM json_each(?)) ORDER BY connection_id, flow_id`,
  )
  const flowCounts = db.prepare<[string], { total: number; active: number }>(
    `SELECT count(*) AS total, coalesce(sum(active), 0) AS active FROM flow_references WHERE connection_id = ?`,
  )
  // OR REPLACE: a flow that already references the target keeps one reference, not two.
  const moveFlows = db.prepare<[string, string]>(
    'UPDATE OR REPLACE flow_references SET connection_id = ? WHERE connection_id = ?',
  )
  const flowsOf = db.prepare<[string], FlowRow>(
    'SELECT * FROM flow_references WHERE connection_id = ? ORDER BY flow_id',
  )
  const linkFlow = db.prepare<[string, string, string | null, string | null, number]>(
    `INSERT INTO flow_references (flow_id, connection_id, flow_name, project_id, active) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (flow_id, connection_id) DO UPDATE SET flow_name = excluded.flow_name,
       project_id = excluded.project_id, active = excluded.active`,
  )
  const unlinkFlow = db.prepare<[string, string]>(
    'DELETE FROM flow_references WHERE flow_id = ? AND connection_id = ?',
  )
  const remoteExists = db.prepare<[string], { found: number }>(
    'SELECT EXISTS (SELECT 1 FROM remotes WHERE id = ?) AS found',
  )
  const insertOutbox = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO sync_outbox (remote_id, connection_id, operation, payload, created_ms) VALUES (?, ?, ?, ?, ?)',
  )
  const ownersAfter = db.prepare<[string, number], OwnerRow>(
    `SELECT owner_email AS email, max(owner_first_name) AS first_name, max(owner_last_name) AS last_name
     FROM connections WHERE owner_email IS NOT NULL AND owner_email > ?
     GROUP BY owner_email ORDER BY owner_email ASC LIMIT ?`,
  )
  const ownersBefore = db.prepare<[string, number], OwnerRow>(
    `SELECT owner_email AS email, max(owner_first_name) AS first_name, max(owner_last_name) AS last_name
     FROM connections WHERE owner_email IS NOT NULL AND owner_email < ?
     GROUP BY owner_email ORDER BY owner_email DESC LIMIT ?`,
  )

  return {
    all<T>(query: Sql): T[] {
      return prepared(query.sql).all(...query.params) as T[]
    },
    get<T>(query: Sql): T | undefined {
      return prepared(query.sql).get(...query.params) as T | undefined
    },
    byId: (id: string) => byId.get(id),
    byIds(ids: readonly string[]): ConnectionRow[] {
      return prepared(rowsByIdsQuery).all(JSON.stringify(ids)) as ConnectionRow[]
    },
    byNaturalKey(remoteKey: string, pieceName: string, externalId: string): ExistingRow | undefined {
      const columns = byNaturalKey.get(remoteKey, pieceName, externalId)
      return columns && existingRowOf(columns)
    },
    /** `auditHead`: the seq of the write's own audit entry, the row's newest (migration 009). */
    insert: (write: ConnectionWrite, auditHead: number) =>
      insertRow.run(
        write.id,
        write.remoteKey,
        write.externalId,
        write.displayName,
        write.type,
        write.pieceName,
        write.pieceVersion,
        write.scope,
        write.metadata,
        write.preSelect,
        write.syncState,
        write.nowMs,
        write.nowMs,
        write.tokenExpiresMs,
        write.nowMs,
        write.projectIds,
        write.keyVersion,
        write.envelope,
        rowMacOf(db, {
          id: write.id,
          remote_key: write.remoteKey,
          external_id: write.externalId,
          piece_name: write.pieceName,
          scope: write.scope,
          display_name: write.displayName,
          status: 'ACTIVE',
          project_ids: write.projectIds,
        }),
        auditHead,
      ),
    /**
     * `previous`: the row as byNaturalKey read it in this transaction. INTEGRITY, writing nothing,
     * when a write would change a MACed column of a row that no longer matches its MAC. `auditHead`
     * as insert's.
     */
    rewrite(write: ConnectionWrite, previous: ExistingRow, auditHead: number): Database.RunResult {
      // The natural key and id stay as the row holds them; these are what the row will say.
      const next: CoveredRow = {
        id: previous.id,
        remote_key: previous.remote_key,
        external_id: previous.external_id,
        piece_name: previous.piece_name,
        scope: write.scope,
        display_name: write.displayName,
        status: 'ACTIVE',
        project_ids: write.projectIds,
      }
      if (
        next.scope === previous.scope &&
        next.display_name === previous.display_name &&
        next.status === previous.status &&
        next.project_ids === previous.project_ids
      ) {
        return keepIdentityRow.run(
          write.type,
          write.pieceVersion,
          write.metadata,
          write.preSelect,
          write.syncState,
          write.nowMs,
          write.tokenExpiresMs,
          write.nowMs,
          write.keyVersion,
          write.envelope,
          auditHead,
          previous.rowid,
        )
      }
      assertRowMac(db, previous)
      return rewriteRow.run(
        write.displayName,
        write.type,
        write.pieceVersion,
        write.scope,
        write.metadata,
        write.preSelect,
        write.syncState,
        write.nowMs,
        write.tokenExpiresMs,
        write.nowMs,
        write.projectIds,
        write.keyVersion,
        write.envelope,
        rowMacOf(db, next),
        auditHead,
        previous.rowid,
      )
    },
    rename: (id: string, displayName: string, metadata: string | null, syncState: string, nowMs: number) =>
      renameRow.run(displayName, metadata, syncState, nowMs, id),
    markMissing: (id: string, reason: string, syncState: string, nowMs: number) =>
      markMissing.run(reason, syncState, nowMs, id),
    /** Explicit rather than by ON DELETE: correct whether or not foreign keys are enforced. */
    deleteEverything(id: string): void {
      deleteFlows.run(id)
      clearPolicies.run(id)
      deleteRow.run(id)
    },
    readValue: (id: string) => readValue.get(id)?.envelope ?? null,
    deleteValue: (id: string) => deleteValue.run(id),
    /** projectIds and flowIds for a page of rows, in two queries rather than two per row. */
    related(ids: readonly string[]): Related {
      const json = JSON.stringify(ids)
      return {
        projectIds: new Map(
          projectsOf.all(json).map((row) => [row.id, JSON.parse(row.project_ids) as string[]]),
        ),
        flowIds: group(flowIdsOf.all(json), (row) => [row.connection_id, row.flow_id]),
      }
    },
    /** flowIds only, for connections whose projects the caller has just written itself. */
    flowIds: (ids: readonly string[]) =>
      ids.length === 0
        ? new Map<string, string[]>()
        : group(flowIdsOf.all(JSON.stringify(ids)), (row) => [row.connection_id, row.flow_id]),
    flowCounts: (id: string) => flowCounts.get(id) ?? { total: 0, active: 0 },
    moveFlows: (sourceId: string, targetId: string) => moveFlows.run(targetId, sourceId).changes,
    flowsOf: (id: string): FlowReference[] => flowsOf.all(id).map(toFlowReference),
    linkFlow(reference: FlowReference): void {
      linkFlow.run(
        reference.flowId,
        reference.connectionId,
        reference.flowName,
        reference.projectId,
        reference.active ? 1 : 0,
      )
    },
    unlinkFlow: (flowId: string, connectionId: string) => unlinkFlow.run(flowId, connectionId).changes > 0,
    remoteExists: (id: string) => remoteExists.get(id)?.found === 1,
    addToOutbox(entry: OutboxEntry): void {
      insertOutbox.run(
        entry.remoteId,
        entry.connectionId,
        entry.operation,
        JSON.stringify(entry.payload),
        entry.nowMs,
      )
    },
    owners(direction: 'next' | 'prev', email: string | null, limit: number): OwnerRow[] {
      if (direction === 'next') return ownersAfter.all(email ?? '', limit)
      return ownersBefore.all(email ?? '', limit)
    },
  }
}

export type ConnectionsRepository = ReturnType<typeof createConnectionsRepository>

/**
 * projectIds as a write stores them and related() reads them: each once, in SQLite's byte order
 * (what connection_projects' view triggers keep them in, so SQL and the service agree).
 */
export function writtenProjectIds(projectIds: readonly string[]): string[] {
  if (projectIds.length < 2) return [...projectIds]
  const distinct = [...new Set(projectIds)]
  // Below U+D800, UTF-16 code units order strings as UTF-8 bytes do, so the plain comparison gives
  // the byte order without encoding both strings per comparison (per item of a batch).
  if (!distinct.some((projectId) => ABOVE_SURROGATE_START.test(projectId))) return distinct.sort()
  return distinct.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
}

const ABOVE_SURROGATE_START = /[\uD800-\uFFFF]/

/** The project_ids column of a write: writtenProjectIds as a JSON array. */
export function projectIdsJson(projectIds: readonly string[]): string {
  return projectIds.length === 0 ? '[]' : JSON.stringify(writtenProjectIds(projectIds))
}

/**
 * The row exactly as `insert` (no `existing`) or `rewrite` (over `existing`) leaves it, with its
 * value written: what a write answers without reading the row back. It mirrors insertRow and
 * rewriteRow above; test/main/connections/upsert-batch.test.ts checks it against a fresh read.
 */
export function writtenRow(write: ConnectionWrite, existing?: ExistingRow): ConnectionRow {
  // One literal, in one shape, rather than spreads of the 28-column row: this runs per item of a batch.
  return {
    // An existing row was found by this natural key, so id aside they are the write's own.
    id: write.id,
    remote_key: write.remoteKey,
    external_id: write.externalId,
    display_name: write.displayName,
    type: write.type,
    piece_name: write.pieceName,
    piece_version: write.pieceVersion,
    platform_id: existing ? existing.platform_id : null,
    scope: write.scope,
    status: 'ACTIVE',
    status_reason: null,
    owner_id: existing ? existing.owner_id : null,
    owner_email: existing ? existing.owner_email : null,
    owner_first_name: existing ? existing.owner_first_name : null,
    owner_last_name: existing ? existing.owner_last_name : null,
    metadata: write.metadata,
    pre_select: write.preSelect,
    sync_state: write.syncState,
    created_ms: existing ? existing.created_ms : write.nowMs,
    updated_ms: write.nowMs,
    token_expires_ms: write.tokenExpiresMs,
    last_refresh_success_ms: existing ? existing.last_refresh_success_ms : null,
    last_refresh_failure_ms: existing ? existing.last_refresh_failure_ms : null,
    last_refresh_failure_reason: existing ? existing.last_refresh_failure_reason : null,
    refresh_attempts: 0,
    last_used_ms: existing ? existing.last_used_ms : null,
    last_rotated_ms: write.nowMs,
    has_value: 1,
  }
}

/**
 * A row an upsert found by its natural key, before the write, with its project ids (JSON, ordered),
 * MAC and newest audit entry.
 */
export type ExistingRow = Omit<ConnectionRow, 'has_value'> & {
  rowid: number
  project_ids: string
  row_mac: Buffer | null
  audit_head: number | null
}

/**
 * byNaturalKey's row from its columns in SELECT order (CONNECTION_COLUMNS, then project_ids,
 * row_mac, audit_head). better-sqlite3 building a 31-key object per row cost ~2.4 ms more per batch
 * of 500 updates than this literal (a test checks it against the object form).
 */
function existingRowOf(c: unknown[]): ExistingRow {
  return {
    rowid: c[0],
    id: c[1],
    remote_key: c[2],
    external_id: c[3],
    display_name: c[4],
    type: c[5],
    piece_name: c[6],
    piece_version: c[7],
    platform_id: c[8],
    scope: c[9],
    status: c[10],
    status_reason: c[11],
    owner_id: c[12],
    owner_email: c[13],
    owner_first_name: c[14],
    owner_last_name: c[15],
    metadata: c[16],
    pre_select: c[17],
    sync_state: c[18],
    created_ms: c[19],
    updated_ms: c[20],
    token_expires_ms: c[21],
    last_refresh_success_ms: c[22],
    last_refresh_failure_ms: c[23],
    last_refresh_failure_reason: c[24],
    refresh_attempts: c[25],
    last_used_ms: c[26],
    last_rotated_ms: c[27],
    project_ids: c[28],
    row_mac: c[29],
    audit_head: c[30],
  } as ExistingRow
}

export interface OwnerRow {
  email: string
  first_name: string | null
  last_name: string | null
}

/** Rows as key → values, in row order: a connection's projects or flows. */
export function group<T>(
  rows: readonly T[],
  pair: (row: T) => readonly [string, string],
): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const row of rows) {
    const [key, value] = pair(row)
    const list = groups.get(key)
    if (list) list.push(value)
    else groups.set(key, [value])
  }
  return groups
}

function toFlowReference(row: FlowRow): FlowReference {
  return {
    flowId: row.flow_id,
    connectionId: row.connection_id,
    flowName: row.flow_name,
    projectId: row.project_id,
    active: row.active === 1,
  }
}
