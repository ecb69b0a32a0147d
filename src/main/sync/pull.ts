import type { RemoteConnection } from './dialects/remote-client'
import { projectIdsJson } from '../connections/repository'
import { sameVersion, scopeOf, statusOf, toRemoteVersion, typeOf, updatedMsOf } from './remote-version'
import { throwIfCancelled, type RunContext } from './run-context'
import type { ConnectionStateRow, SyncRepository } from './sync-repository'

export interface PullResult {
  pulled: number
  conflicts: number
}

interface PageChanges {
  created: string[]
  updated: string[]
  conflicts: number
}

/**
 * Reads the remote page by page (bounded memory: one page and the set of remote ids seen) and
 * applies each page in one transaction, so the first rows are visible after the first page. Writes
 * go straight to the tables, never through the connections service: applying the remote's state
 * queues no push of itself (no echo). A row changed both here (an outbox entry waits) and there
 * (its `updated` moved since the last agreement) is kept on both sides and marked CONFLICT.
 * Only a pull that saw every page flags rows the remote no longer has.
 */
export async function pullRemote(context: RunContext): Promise<PullResult> {
  const seen = new Set<string>()
  let pulled = 0
  let conflicts = 0
  for await (const page of context.client.listPages(context.signal)) {
    throwIfCancelled(context.signal)
    const changes = context.withVault((session, repository) =>
      session.transaction(() => applyPage(context, repository, page, seen)),
    )
    pulled += page.length
    conflicts += changes.conflicts
    if (changes.created.length > 0) context.changed(changes.created, 'created')
    if (changes.updated.length > 0) context.changed(changes.updated, 'updated')
    context.progress('pull', pulled, null)
  }
  throwIfCancelled(context.signal)
  const gone = context.withVault((session, repository) =>
    session.transaction(() => flagDeletedOnRemote(context, repository, seen)),
  )
  conflicts += gone.conflicts
  if (gone.updated.length > 0) context.changed(gone.updated, 'updated')
  return { pulled, conflicts }
}

function applyPage(
  context: RunContext,
  repository: SyncRepository,
  page: RemoteConnection[],
  seen: Set<string>,
): PageChanges {
  const changes: PageChanges = { created: [], updated: [], conflicts: 0 }
  for (const remote of page) {
    // A listing that repeats a row (a cursor that overlaps) applies it once.
    if (seen.has(remote.remoteId)) continue
    seen.add(remote.remoteId)
    applyRow(context, repository, remote, changes)
  }
  return changes
}

/**
 * One remote row applied as a pull applies it (insert, update, or conflict), for a write that
 * happened outside a pull: an OAuth2 connection the remote created by claiming a sign-in's code.
 * Answers the local connection id. Call inside a transaction.
 */
export function applyRemoteRow(
  context: RunContext,
  repository: SyncRepository,
  remote: RemoteConnection,
): string {
  const changes: PageChanges = { created: [], updated: [], conflicts: 0 }
  applyRow(context, repository, remote, changes)
  const byRemoteId = repository.stateByRemoteId(context.remoteId, remote.remoteId)
  return byRemoteId?.connection_id ?? changes.created[0] ?? changes.updated[0] ?? ''
}

function applyRow(
  context: RunContext,
  repository: SyncRepository,
  remote: RemoteConnection,
  changes: PageChanges,
): void {
  const nowMs = context.now()
  const byRemoteId = repository.stateByRemoteId(context.remoteId, remote.remoteId)
  const row = byRemoteId
    ? repository.row(byRemoteId.connection_id)
    : repository.rowByNaturalKey(context.remoteId, remote.pieceName, remote.externalId)
  if (!row) {
    // Deleted here, its delete still waiting to go out: the push removes it there too.
    if (byRemoteId && repository.hasPending(byRemoteId.connection_id)) return
    if (byRemoteId) repository.dropState(byRemoteId.connection_id)
    changes.created.push(insertPulled(context, repository, remote, nowMs))
    return
  }
  const state = byRemoteId ?? repository.state(row.id)
  const base = baseState(row.id, context.remoteId, state)
  if (state?.conflict_copy != null) {
    // Still undecided: keep the newest remote version beside the local one.
    repository.saveState({ ...base, conflict_copy: JSON.stringify(toRemoteVersion(remote)) })
    return
  }
  const remoteChanged = state === undefined || !sameVersion(state.remote_updated, remote.updated)
  const pending = repository.hasPending(row.id)
  if (remoteChanged && pending && ownWriteLanded(repository, row.id, remote)) {
    // Our own write, whose answer was lost, reached the remote: the new baseline, still pending.
    repository.saveState({
      ...base,
      remote_connection_id: remote.remoteId,
      remote_updated: remote.updated,
      deleted_on_remote: 0,
    })
    return
  }
  if (remoteChanged && pending) {
    repository.saveState({
      ...base,
      remote_connection_id: remote.remoteId,
      deleted_on_remote: 0,
      conflict_copy: JSON.stringify(toRemoteVersion(remote)),
      conflict_ms: nowMs,
    })
    repository.setSyncState(row.id, 'CONFLICT')
    changes.conflicts += 1
    changes.updated.push(row.id)
    return
  }
  let touched = false
  if (remoteChanged) {
    repository.applyRemote({
      id: row.id,
      displayName: remote.displayName,
      type: typeOf(remote) ?? row.type,
      scope: scopeOf(remote),
      status: statusOf(remote) ?? row.status,
      ownerId: ownerIdOf(remote, row.owner_id),
      ownerEmail: ownerEmailOf(remote, row.owner_email),
      metadata: remote.metadata == null ? null : JSON.stringify(remote.metadata),
      updatedMs: updatedMsOf(remote.updated) ?? nowMs,
      syncState: pending ? 'PENDING' : 'SYNCED',
    })
    repository.setProjects(row.id, remote.projectIds)
    touched = true
  } else {
    touched = repository.applyFacts(
      row.id,
      statusOf(remote) ?? row.status,
      ownerIdOf(remote, row.owner_id),
      ownerEmailOf(remote, row.owner_email),
    )
  }
  if (repository.setFlows(row.id, remote.flowIds)) touched = true
  if (remoteChanged || state?.deleted_on_remote === 1 || state?.remote_connection_id !== remote.remoteId) {
    repository.saveState({
      ...base,
      remote_connection_id: remote.remoteId,
      remote_updated: remote.updated,
      deleted_on_remote: 0,
      last_synced_ms: nowMs,
    })
    touched = true
  }
  if (touched) changes.updated.push(row.id)
}

/** A remote that says nothing about owners (Weavz) leaves ours; one that says "none" clears it. */
function ownerIdOf(remote: RemoteConnection, current: string | null): string | null {
  return remote.owner === undefined ? current : (remote.owner?.id ?? null)
}

function ownerEmailOf(remote: RemoteConnection, current: string | null): string | null {
  return remote.owner === undefined ? current : (remote.owner?.email ?? null)
}

/**
 * True when a push of this connection may have been applied (its request was cut off after it
 * left) and the remote now shows exactly the local fields: that change is ours, not a conflict.
 */
function ownWriteLanded(repository: SyncRepository, connectionId: string, remote: RemoteConnection): boolean {
  const step = repository.stepFor(connectionId)
  if (step !== 'sent' && step !== 'deleted') return false
  const row = repository.row(connectionId)
  if (!row) return false
  const localProjects = repository.projectIds(connectionId)
  const remoteProjects = JSON.parse(projectIdsJson(remote.projectIds)) as string[]
  return (
    row.display_name === remote.displayName &&
    row.piece_name === remote.pieceName &&
    (typeOf(remote) === null || row.type === typeOf(remote)) &&
    sameJson(row.metadata === null ? null : JSON.parse(row.metadata), remote.metadata ?? null) &&
    localProjects.length === remoteProjects.length &&
    localProjects.every((projectId, i) => projectId === remoteProjects[i])
  )
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  )
}

function insertPulled(
  context: RunContext,
  repository: SyncRepository,
  remote: RemoteConnection,
  nowMs: number,
): string {
  const id = context.newConnectionId(updatedMsOf(remote.created) ?? nowMs)
  repository.insertPulled({
    id,
    remoteKey: context.remoteId,
    externalId: remote.externalId,
    displayName: remote.displayName,
    type: typeOf(remote) ?? 'NO_AUTH',
    pieceName: remote.pieceName,
    scope: scopeOf(remote),
    status: statusOf(remote) ?? 'ACTIVE',
    ownerId: remote.owner?.id ?? null,
    ownerEmail: remote.owner?.email ?? null,
    metadata: remote.metadata == null ? null : JSON.stringify(remote.metadata),
    createdMs: updatedMsOf(remote.created) ?? nowMs,
    updatedMs: updatedMsOf(remote.updated) ?? nowMs,
    projectIds: projectIdsJson(remote.projectIds),
  })
  repository.setFlows(id, remote.flowIds, true)
  repository.insertPulledState(id, context.remoteId, remote.remoteId, remote.updated, nowMs)
  return id
}

/** Rows the remote had and a complete listing no longer shows: kept here, flagged, never deleted. */
function flagDeletedOnRemote(
  context: RunContext,
  repository: SyncRepository,
  seen: Set<string>,
): { updated: string[]; conflicts: number } {
  const updated: string[] = []
  let conflicts = 0
  const nowMs = context.now()
  for (const synced of repository.syncedStates(context.remoteId)) {
    if (seen.has(synced.remote_connection_id)) continue
    const state = repository.state(synced.connection_id)
    const row = repository.row(synced.connection_id)
    if (!state || !row) continue
    // Gone because our own rotation deleted it (Weavz), its create still to come: not the remote's
    // doing. Possibly also someone else's delete racing ours; the local change then recreates it.
    // A change of ours already went out (its answer, or this process, lost): the push finishes it.
    const step = repository.stepFor(row.id)
    if (step === 'deleted' || step === 'sent') continue
    if (repository.hasPending(row.id)) {
      // Changed here, deleted there: both sides kept, the person decides.
      repository.saveState({ ...state, conflict_copy: 'null', conflict_ms: nowMs, deleted_on_remote: 1 })
      repository.setSyncState(row.id, 'CONFLICT')
      conflicts += 1
    } else {
      repository.saveState({ ...state, deleted_on_remote: 1 })
    }
    updated.push(row.id)
  }
  return { updated, conflicts }
}

export function baseState(
  connectionId: string,
  remoteId: string,
  state: ConnectionStateRow | undefined,
): ConnectionStateRow {
  return (
    state ?? {
      connection_id: connectionId,
      remote_id: remoteId,
      remote_connection_id: null,
      remote_updated: null,
      secret_held_remotely: 0,
      deleted_on_remote: 0,
      conflict_copy: null,
      conflict_ms: null,
      last_synced_ms: null,
    }
  )
}
