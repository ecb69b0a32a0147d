import type { AppConnection } from '../../shared/contract/connections'
import type { RemoteVersion, SyncConflict } from '../../shared/contract/sync'
import { notFoundError, validationError } from '../../shared/errors'
import type { WithVault } from '../vault/repository-access'
import { scopeOf, updatedMsOf } from './remote-version'
import type { ConnectionStateRow, SyncRepository } from './sync-repository'

export interface ConflictsDependencies {
  withVault: WithVault<SyncRepository>
  now(): number
  /** The connection as lists show it (connections service). */
  connection(id: string): AppConnection
  changed(ids: string[]): void
}

export function parseRemoteVersion(text: string | null): RemoteVersion | null {
  if (text === null || text === 'null') return null
  return JSON.parse(text) as RemoteVersion
}

export function listConflicts(dependencies: ConflictsDependencies, remoteId: string | null): SyncConflict[] {
  const states = dependencies.withVault((_session, repository) => repository.conflicts(remoteId))
  return states.map((state) => ({
    connectionId: state.connection_id,
    remoteId: state.remote_id,
    local: dependencies.connection(state.connection_id),
    remote: parseRemoteVersion(state.conflict_copy),
    detectedAt: new Date(state.conflict_ms ?? 0).toISOString(),
  }))
}

/**
 * keep 'local': the remote's version counts as seen, and the local one is queued to go over it.
 * keep 'remote': the local row takes the remote's fields and its waiting entries are dropped; its
 * secret stays as it is here (the remote never returns one). A remote that deleted the row is
 * "kept" by flagging the local copy deleted on the remote, never by deleting it here.
 */
export function resolveConflict(
  dependencies: ConflictsDependencies,
  input: { connectionId: string; keep: 'local' | 'remote' },
  origin: string,
): AppConnection {
  dependencies.withVault((session, repository) =>
    session.transaction(() => {
      const state = repository.state(input.connectionId)
      const row = repository.row(input.connectionId)
      if (!row) throw notFoundError('app_connection', input.connectionId, 'Connection not found')
      if (!state || state.conflict_copy === null) {
        throw validationError('This connection has no conflict to resolve.')
      }
      const remote = parseRemoteVersion(state.conflict_copy)
      const nowMs = dependencies.now()
      if (input.keep === 'local') keepLocal(repository, row.id, state, remote, nowMs)
      else keepRemote(repository, row.id, state, remote, nowMs)
      session.audit({
        action: 'sync.resolve',
        origin,
        entityType: 'app_connection',
        entityId: row.id,
        details: {
          displayName: row.display_name,
          remoteId: state.remote_id,
          kept: input.keep,
          remoteDeleted: remote === null,
        },
      })
    }),
  )
  dependencies.changed([input.connectionId])
  return dependencies.connection(input.connectionId)
}

function keepLocal(
  repository: SyncRepository,
  connectionId: string,
  state: ConnectionStateRow,
  remote: RemoteVersion | null,
  nowMs: number,
): void {
  repository.saveState({
    ...state,
    // Deleted there: the push creates it again rather than updating a row that is gone.
    remote_connection_id: remote === null ? null : remote.remoteConnectionId,
    remote_updated: remote === null ? null : remote.updated,
    deleted_on_remote: 0,
    conflict_copy: null,
    conflict_ms: null,
  })
  if (!repository.hasPending(connectionId)) {
    repository.enqueue(state.remote_id, connectionId, 'upsert', { resolved: 'local' }, nowMs)
  }
  repository.setSyncState(connectionId, 'PENDING')
}

function keepRemote(
  repository: SyncRepository,
  connectionId: string,
  state: ConnectionStateRow,
  remote: RemoteVersion | null,
  nowMs: number,
): void {
  repository.dropOutboxFor(connectionId)
  if (remote === null) {
    repository.saveState({ ...state, deleted_on_remote: 1, conflict_copy: null, conflict_ms: null })
    repository.setSyncState(connectionId, 'SYNCED')
    return
  }
  const asPulled = { projectIds: remote.projectIds, scope: undefined }
  const row = repository.row(connectionId)!
  repository.applyRemote({
    id: connectionId,
    displayName: remote.displayName,
    type: remote.type ?? row.type,
    scope: scopeOf(asPulled),
    status: remote.status,
    ownerId: null,
    ownerEmail: remote.ownerEmail,
    metadata: remote.metadata === null ? null : JSON.stringify(remote.metadata),
    updatedMs: updatedMsOf(remote.updated) ?? nowMs,
    syncState: 'SYNCED',
  })
  repository.setProjects(connectionId, remote.projectIds)
  repository.setFlows(connectionId, remote.flowIds)
  repository.saveState({
    ...state,
    remote_connection_id: remote.remoteConnectionId,
    remote_updated: remote.updated,
    deleted_on_remote: 0,
    conflict_copy: null,
    conflict_ms: null,
    last_synced_ms: nowMs,
  })
}
