import type Database from 'better-sqlite3'
import type { ConnectionRow } from '../connections/rows'
import { ROW_COLUMNS } from '../connections/rows'
import { projectIdsJson } from '../connections/repository'
import { rowMacOf } from '../vault/row-mac'

export type OutboxOperation = 'upsert' | 'update' | 'delete' | 'replace'

export interface OutboxRow {
  seq: number
  connection_id: string
  operation: OutboxOperation
  payload: string
  attempts: number
  step: string | null
  stopped_error: string | null
}

export interface ConnectionStateRow {
  connection_id: string
  remote_id: string
  remote_connection_id: string | null
  remote_updated: string | null
  secret_held_remotely: number
  deleted_on_remote: number
  conflict_copy: string | null
  conflict_ms: number | null
  last_synced_ms: number | null
}

export interface RemoteStatusRow {
  remote_id: string
  last_success_ms: number | null
  last_attempt_ms: number | null
  last_error: string | null
  next_attempt_ms: number | null
  consecutive_failures: number
}

/** A row the pull writes: the remote's fields, never a value (the remote returns none). */
export interface PulledRow {
  id: string
  /** projectIdsJson of the remote's list. */
  projectIds: string
  remoteKey: string
  externalId: string
  displayName: string
  type: string
  pieceName: string
  scope: string
  status: string
  ownerId: string | null
  ownerEmail: string | null
  metadata: string | null
  createdMs: number
  updatedMs: number
}

/** The sync engine's statements (outbox, per-connection and per-remote state), one set per handle. */
export function createSyncRepository(db: Database.Database) {
  const outbox = db.prepare<[string], OutboxRow>(
    `SELECT seq, connection_id, operation, payload, attempts, step, stopped_error FROM sync_outbox
     WHERE remote_id = ? ORDER BY seq`,
  )
  const outboxCount = db.prepare<[string], { pending: number; failed: number }>(
    `SELECT count(*) AS pending, count(stopped_error) AS failed FROM sync_outbox WHERE remote_id = ?`,
  )
  const pendingFor = db.prepare<[string], { found: number }>(
    'SELECT EXISTS (SELECT 1 FROM sync_outbox WHERE connection_id = ?) AS found',
  )
  const stepFor = db.prepare<[string], { step: string | null }>(
    'SELECT max(step) AS step FROM sync_outbox WHERE connection_id = ?',
  )
  const doneUpTo = db.prepare<[string, string, number]>(
    'DELETE FROM sync_outbox WHERE remote_id = ? AND connection_id = ? AND seq <= ?',
  )
  const setStep = db.prepare<[string | null, string, string, number]>(
    'UPDATE sync_outbox SET step = ? WHERE remote_id = ? AND connection_id = ? AND seq <= ?',
  )
  // 'sent' never overwrites 'deleted': a rotation's delete stays recorded.
  const markSent = db.prepare<[string, number]>(
    `UPDATE sync_outbox SET step = 'sent' WHERE remote_id = ? AND seq <= ? AND step IS NULL AND operation <> 'replace'`,
  )
  const stopUpTo = db.prepare<[string, string, string, number]>(
    `UPDATE sync_outbox SET stopped_error = ?, attempts = attempts + 1
     WHERE remote_id = ? AND connection_id = ? AND seq <= ?`,
  )
  const doneSeq = db.prepare<[number]>('DELETE FROM sync_outbox WHERE seq = ?')
  const stopSeq = db.prepare<[string, number]>(
    'UPDATE sync_outbox SET stopped_error = ?, attempts = attempts + 1 WHERE seq = ?',
  )
  const countAttempt = db.prepare<[string, string, number]>(
    'UPDATE sync_outbox SET attempts = attempts + 1 WHERE remote_id = ? AND connection_id = ? AND seq <= ?',
  )
  const stopped = db.prepare<[string], OutboxRow & { display_name: string | null }>(
    `SELECT o.seq, o.connection_id, o.operation, o.payload, o.attempts, o.step, o.stopped_error,
       c.display_name FROM sync_outbox o LEFT JOIN connections c ON c.id = o.connection_id
     WHERE o.remote_id = ? AND o.stopped_error IS NOT NULL
       AND o.seq = (SELECT max(seq) FROM sync_outbox l WHERE l.remote_id = o.remote_id AND l.connection_id = o.connection_id)
     ORDER BY o.seq LIMIT 50`,
  )
  const enqueue = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO sync_outbox (remote_id, connection_id, operation, payload, created_ms) VALUES (?, ?, ?, ?, ?)',
  )
  const dropFor = db.prepare<[string]>('DELETE FROM sync_outbox WHERE connection_id = ?')

  const stateOf = db.prepare<[string], ConnectionStateRow>(
    'SELECT * FROM sync_connection_state WHERE connection_id = ?',
  )
  const statesOf = db.prepare<[string], ConnectionStateRow>(
    'SELECT * FROM sync_connection_state WHERE connection_id IN (SELECT value FROM json_each(?))',
  )
  const stateByRemoteId = db.prepare<[string, string], ConnectionStateRow>(
    'SELECT * FROM sync_connection_state WHERE remote_id = ? AND remote_connection_id = ?',
  )
  const saveState = db.prepare(
    `INSERT INTO sync_connection_state (connection_id, remote_id, remote_connection_id, remote_updated,
       secret_held_remotely, deleted_on_remote, conflict_copy, conflict_ms, last_synced_ms)
     VALUES (@connection_id, @remote_id, @remote_connection_id, @remote_updated, @secret_held_remotely,
       @deleted_on_remote, @conflict_copy, @conflict_ms, @last_synced_ms)
     ON CONFLICT (connection_id) DO UPDATE SET remote_id = excluded.remote_id,
       remote_connection_id = excluded.remote_connection_id, remote_updated = excluded.remote_updated,
       secret_held_remotely = excluded.secret_held_remotely, deleted_on_remote = excluded.deleted_on_remote,
       conflict_copy = excluded.conflict_copy, conflict_ms = excluded.conflict_ms,
       last_synced_ms = excluded.last_synced_ms`,
  )
  const dropState = db.prepare<[string]>('DELETE FROM sync_connection_state WHERE connection_id = ?')
  const conflicts = db.prepare<[{ remoteId: string | null }], ConnectionStateRow>(
    `SELECT * FROM sync_connection_state WHERE conflict_copy IS NOT NULL AND (@remoteId IS NULL OR remote_id = @remoteId)
     ORDER BY conflict_ms, connection_id LIMIT 1000`,
  )
  const conflictCount = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM sync_connection_state WHERE remote_id = ? AND conflict_copy IS NOT NULL',
  )
  // Rows the remote has had (a remote id) but a complete pull did not see: deleted there.
  const syncedStates = db.prepare<[string], { connection_id: string; remote_connection_id: string }>(
    `SELECT connection_id, remote_connection_id FROM sync_connection_state
     WHERE remote_id = ? AND remote_connection_id IS NOT NULL AND deleted_on_remote = 0`,
  )

  const statusOf = db.prepare<[string], RemoteStatusRow>(
    'SELECT * FROM sync_remote_status WHERE remote_id = ?',
  )
  const saveStatus = db.prepare(
    `INSERT INTO sync_remote_status (remote_id, last_success_ms, last_attempt_ms, last_error, next_attempt_ms,
       consecutive_failures)
     VALUES (@remote_id, @last_success_ms, @last_attempt_ms, @last_error, @next_attempt_ms, @consecutive_failures)
     ON CONFLICT (remote_id) DO UPDATE SET last_success_ms = excluded.last_success_ms,
       last_attempt_ms = excluded.last_attempt_ms, last_error = excluded.last_error,
       next_attempt_ms = excluded.next_attempt_ms, consecutive_failures = excluded.consecutive_failures`,
  )

  const rowById = db.prepare<[string], ConnectionRow>(
    `SELECT ${ROW_COLUMNS} FROM connections c WHERE c.id = ?`,
  )
  const rowByNaturalKey = db.prepare<[string, string, string], ConnectionRow>(
    `SELECT ${ROW_COLUMNS} FROM connections c WHERE c.remote_key = ? AND c.piece_name = ? AND c.external_id = ?`,
  )
  const envelopeOf = db.prepare<[string], { envelope: Buffer | null }>(
    'SELECT value_envelope AS envelope FROM connections WHERE id = ?',
  )
  // Projects live in the row (migration 006), as connections/repository.ts writes them.
  const projectsOf = db.prepare<[string], string>('SELECT project_ids FROM connections WHERE id = ?').pluck()
  const setProjectIds = db.prepare<[string, string, string]>(
    'UPDATE connections SET project_ids = ? WHERE id = ? AND project_ids IS NOT ?',
  )
  const flowIdsOf = db.prepare<[string], { flow_id: string }>(
    'SELECT flow_id FROM flow_references WHERE connection_id = ? ORDER BY flow_id',
  )
  const setSyncState = db.prepare<[string, string]>('UPDATE connections SET sync_state = ? WHERE id = ?')
  // Positional parameters: binding an object by name costs a property lookup per column, per row.
  const insertPulled = db.prepare<unknown[]>(
    `INSERT INTO connections (id, remote_key, external_id, display_name, type, piece_name, scope, status,
       owner_id, owner_email, metadata, sync_state, created_ms, updated_ms, project_ids, row_mac)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'SYNCED', ?, ?, ?, ?)`,
  )
  // A pulled row is new: its state row cannot exist yet, so no upsert.
  const insertPulledState = db.prepare<unknown[]>(
    `INSERT INTO sync_connection_state (connection_id, remote_id, remote_connection_id, remote_updated,
       secret_held_remotely, last_synced_ms)
     VALUES (?, ?, ?, ?, 1, ?)`,
  )
  // The remote's edits: names, status, owner, metadata. Not the value, which it never returns.
  const applyRemote = db.prepare(
    `UPDATE connections SET display_name = @displayName, type = @type, scope = @scope, status = @status,
       status_reason = CASE WHEN @status = status THEN status_reason ELSE NULL END,
       owner_id = @ownerId, owner_email = @ownerEmail, metadata = @metadata, sync_state = @syncState,
       updated_ms = @updatedMs
     WHERE id = @id`,
  )
  // What the remote knows better even without an edit there (flows, owner, status): no updated_ms.
  const applyFacts = db.prepare(
    `UPDATE connections SET status = @status, owner_id = @ownerId, owner_email = @ownerEmail WHERE id = @id
       AND (status IS NOT @status OR owner_id IS NOT @ownerId OR owner_email IS NOT @ownerEmail)`,
  )
  const deleteFlows = db.prepare<[string]>('DELETE FROM flow_references WHERE connection_id = ?')
  const insertFlow = db.prepare<[string, string]>(
    `INSERT OR IGNORE INTO flow_references (flow_id, connection_id, active) VALUES (?, ?, 1)`,
  )

  return {
    outbox: (remoteId: string) => outbox.all(remoteId),
    outboxCount: (remoteId: string) => outboxCount.get(remoteId) ?? { pending: 0, failed: 0 },
    hasPending: (connectionId: string) => pendingFor.get(connectionId)?.found === 1,
    /** The furthest step any waiting entry of this connection got to ('sent', 'deleted'), or null. */
    stepFor: (connectionId: string) => stepFor.get(connectionId)?.step ?? null,
    doneUpTo: (remoteId: string, connectionId: string, seq: number) =>
      doneUpTo.run(remoteId, connectionId, seq),
    setStep: (remoteId: string, connectionId: string, seq: number, step: string | null) =>
      setStep.run(step, remoteId, connectionId, seq),
    /** Every entry up to `seq` is about to be sent: one statement for the whole run. */
    markSent: (remoteId: string, seq: number) => markSent.run(remoteId, seq),
    stopUpTo: (remoteId: string, connectionId: string, seq: number, error: string) =>
      stopUpTo.run(error, remoteId, connectionId, seq),
    doneSeq: (seq: number) => doneSeq.run(seq),
    stopSeq: (seq: number, error: string) => stopSeq.run(error, seq),
    countAttempt: (remoteId: string, connectionId: string, seq: number) =>
      countAttempt.run(remoteId, connectionId, seq),
    stopped: (remoteId: string) => stopped.all(remoteId),
    enqueue: (
      remoteId: string,
      connectionId: string,
      operation: OutboxOperation,
      payload: object,
      nowMs: number,
    ) => enqueue.run(remoteId, connectionId, operation, JSON.stringify(payload), nowMs),
    dropOutboxFor: (connectionId: string) => dropFor.run(connectionId),

    state: (connectionId: string) => stateOf.get(connectionId),
    states: (ids: readonly string[]) => statesOf.all(JSON.stringify(ids)),
    stateByRemoteId: (remoteId: string, remoteConnectionId: string) =>
      stateByRemoteId.get(remoteId, remoteConnectionId),
    saveState: (row: ConnectionStateRow) => saveState.run(row),
    dropState: (connectionId: string) => dropState.run(connectionId),
    conflicts: (remoteId: string | null) => conflicts.all({ remoteId }),
    conflictCount: (remoteId: string) => conflictCount.get(remoteId)?.n ?? 0,
    syncedStates: (remoteId: string) => syncedStates.all(remoteId),

    status: (remoteId: string) => statusOf.get(remoteId),
    saveStatus: (row: RemoteStatusRow) => saveStatus.run(row),

    row: (id: string) => rowById.get(id),
    rowByNaturalKey: (remoteKey: string, pieceName: string, externalId: string) =>
      rowByNaturalKey.get(remoteKey, pieceName, externalId),
    envelope: (id: string) => envelopeOf.get(id)?.envelope ?? null,
    projectIds: (id: string) => JSON.parse(projectsOf.get(id) ?? '[]') as string[],
    flowIds: (id: string) => flowIdsOf.all(id).map((row) => row.flow_id),
    setSyncState: (id: string, syncState: string) => setSyncState.run(syncState, id),
    // A new row has no old MAC to check: binding its MAC here spares the insert trigger's second
    // UPDATE and its SQL→JS call, the pull's cost per row (as the connections repository does).
    insertPulled: (row: PulledRow) =>
      insertPulled.run(
        row.id,
        row.remoteKey,
        row.externalId,
        row.displayName,
        row.type,
        row.pieceName,
        row.scope,
        row.status,
        row.ownerId,
        row.ownerEmail,
        row.metadata,
        row.createdMs,
        row.updatedMs,
        row.projectIds,
        rowMacOf(db, {
          id: row.id,
          remote_key: row.remoteKey,
          external_id: row.externalId,
          piece_name: row.pieceName,
          scope: row.scope,
          display_name: row.displayName,
          status: row.status,
          project_ids: row.projectIds,
        }),
      ),
    /** The state of a row insertPulled just wrote: the remote holds its secret, agreed as of now. */
    insertPulledState: (
      connectionId: string,
      remoteId: string,
      remoteConnectionId: string,
      remoteUpdated: string,
      nowMs: number,
    ) => insertPulledState.run(connectionId, remoteId, remoteConnectionId, remoteUpdated, nowMs),
    applyRemote: (
      row: Omit<PulledRow, 'remoteKey' | 'externalId' | 'pieceName' | 'createdMs' | 'projectIds'> & {
        syncState: string
      },
    ) => applyRemote.run(row),
    applyFacts: (id: string, status: string, ownerId: string | null, ownerEmail: string | null) =>
      applyFacts.run({ status, ownerId, ownerEmail, id }).changes > 0,
    /** Projects as the remote lists them; rewritten only when they differ. */
    setProjects: (id: string, projectIds: readonly string[]) => {
      const json = projectIdsJson(projectIds)
      return setProjectIds.run(json, id, json).changes > 0
    },
    /** flowIds as the remote lists them; flows recorded by hand on a synced row give way to the remote's. */
    setFlows(id: string, flowIds: readonly string[], fresh = false): boolean {
      // A row inserted in this transaction has no flows to compare with.
      if (fresh) {
        for (const flowId of new Set(flowIds)) insertFlow.run(flowId, id)
        return flowIds.length > 0
      }
      const wanted = [...new Set(flowIds)].sort()
      const current = flowIdsOf.all(id).map((row) => row.flow_id)
      if (sameList(current, wanted)) return false
      deleteFlows.run(id)
      for (const flowId of wanted) insertFlow.run(flowId, id)
      return true
    },
  }
}

export type SyncRepository = ReturnType<typeof createSyncRepository>

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const sorted = [...a].sort()
  return sorted.every((item, i) => item === b[i])
}
