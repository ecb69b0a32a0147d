import type { ConnectionValue } from '../../shared/contract/connections'
import { AppError, isAppError } from '../../shared/errors'
import { assertRowIntegrity } from '../connections/row-integrity'
import type { ConnectionRow } from '../connections/rows'
import { isOAuthType } from '../connections/value'
import type { RemoteConnection, RemoteUpsert } from './dialects/remote-client'
import { isRemoteError } from './dialects/remote-error'
import { syncFailureOf } from './failure'
import { groupOutbox, type ConnectionGroup, type OutboxGroup, type ReplaceGroup } from './outbox-groups'
import { baseState } from './pull'
import { throwIfCancelled, type RunContext } from './run-context'
import type { SyncRepository } from './sync-repository'

export interface PushResult {
  pushed: number
  failed: number
}

/**
 * Requests in flight at once. Each connection's entries are one write, so writes of different
 * connections have no order between them; eight hide the round trip (a loopback request is a few
 * milliseconds; a real server's, tens) without queueing much on a shared server.
 */
export const PUSH_CONCURRENCY = 8

/** The step marker of a Weavz rotation: the old remote row is gone, the create is next. */
const DELETED_STEP = 'deleted'

/**
 * Pushes the outbox in order of each connection's first entry, one write per connection
 * (groupOutbox), up to PUSH_CONCURRENCY at a time; a replace waits for everything before it. A
 * transient failure (network, 408, 429, 5xx) ends the run for this remote once the writes in
 * flight settle: everything after it would fail the same way, and the caller backs off. Any other refusal stops only that connection's entries, with the error
 * kept for the UI, and the push goes on. Each success clears exactly the entries it sent, in the
 * same transaction that records the remote's id and `updated`, so a crash between the request and
 * the commit only repeats an idempotent write.
 */
export async function pushOutbox(
  context: RunContext,
  options: { retryStopped: boolean },
): Promise<PushResult> {
  const rows = context.withVault((_session, repository) => repository.outbox(context.remoteId))
  const groups = groupOutbox(rows).filter((group) => options.retryStopped || !group.stopped)
  markAttempted(context, groups)
  const counts = { pushed: 0, failed: 0, done: 0 }
  const blocked = new Set<string>()
  const inFlight = new Set<Promise<void>>()
  let transient: unknown = null

  const pushOne = async (group: OutboxGroup): Promise<void> => {
    try {
      const outcome =
        group.kind === 'replace'
          ? await pushReplace(context, group, blocked)
          : await pushConnection(context, group)
      if (outcome === 'pushed') counts.pushed += 1
    } catch (error) {
      if (!isPermanent(error)) {
        transient ??= error
        return
      }
      counts.failed += 1
      blocked.add(group.connectionId)
      stop(context, group, error)
    }
    counts.done += 1
    context.progress('push', counts.done, groups.length)
  }

  for (const group of groups) {
    // A replace rewires flows to connections pushed before it: everything before it lands first.
    if (group.kind === 'replace') await Promise.all(inFlight)
    while (inFlight.size >= PUSH_CONCURRENCY) await Promise.race(inFlight)
    // Cancelled or failing: launch nothing more, let what is in flight settle, then report.
    if (transient !== null || context.signal.aborted) break
    const task: Promise<void> = pushOne(group).finally(() => inFlight.delete(task))
    inFlight.add(task)
  }
  await Promise.all(inFlight)
  throwIfCancelled(context.signal)
  // The remote is unreachable or overloaded: what was not sent waits for the backoff.
  if (transient !== null) throw transient
  return { pushed: counts.pushed, failed: counts.failed }
}

/**
 * Before anything goes out, one commit marks this run's entries as sent. A request cut off after
 * it left (a reset, a timeout, a lost answer, or this process killed) may have been applied; the
 * next pull then sees the remote changed while the entry still waits, which would look like a
 * conflict, and the marker lets it recognise its own write instead (pull.ts ownWriteLanded).
 */
function markAttempted(context: RunContext, groups: readonly (ConnectionGroup | ReplaceGroup)[]): void {
  const last = groups.reduce((most, group) => Math.max(most, group.maxSeq), 0)
  if (last === 0) return
  context.withVault((session, repository) =>
    session.transaction(() => repository.markSent(context.remoteId, last)),
  )
}

/** A refusal that will repeat until something changes: stop the entry, go on with the others. */
function isPermanent(error: unknown): boolean {
  if (isRemoteError(error)) return !error.transient && error.kind !== 'cancelled'
  return isAppError(error) && error.code !== 'VAULT_LOCKED' && error.code !== 'INTERNAL'
}

function stop(context: RunContext, group: ConnectionGroup | ReplaceGroup, error: unknown): void {
  const failure = JSON.stringify(syncFailureOf(error, context.now()))
  context.withVault((session, repository) =>
    session.transaction(() => {
      if (group.kind === 'replace') repository.stopSeq(group.maxSeq, failure)
      else repository.stopUpTo(context.remoteId, group.connectionId, group.maxSeq, failure)
    }),
  )
  context.changed([group.connectionId], 'updated')
}

type Outcome = 'pushed' | 'skipped'

async function pushConnection(context: RunContext, group: ConnectionGroup): Promise<Outcome> {
  if (group.operation === 'delete') return pushDelete(context, group)
  const local = context.withVault((session, repository) => {
    const row = repository.row(group.connectionId)
    if (!row) return null
    // The remote stores the value under this row's name, piece and externalId: a row whose identity
    // was edited in the file must not leave, as reveal and export refuse it. INTEGRITY is a refusal
    // like any other: it stops this connection's entries and the run goes on.
    assertRowIntegrity(session, row.id)
    const state = repository.state(row.id)
    const envelope = repository.envelope(row.id)
    const value =
      envelope === null
        ? null
        : (JSON.parse(session.open('connection-value', row.id, envelope)) as ConnectionValue)
    return { row, state, value, projectIds: repository.projectIds(row.id) }
  })
  if (local === null) {
    // The row went without a delete entry (it was never on this remote): nothing to send.
    finish(context, group, null)
    return 'skipped'
  }
  // Undecided conflicts wait for the person (sync.resolve), never overwrite the remote's side.
  if (local.state?.conflict_copy != null) return 'skipped'
  const knownId = local.state?.remote_connection_id ?? null
  const asRemote = knownId === null ? null : stubRemote(local.row, knownId, local.projectIds)
  if (group.operation === 'update' && asRemote !== null && context.client.supports.updateMetadata) {
    const updated = await context.client.updateMetadata(
      asRemote,
      { displayName: local.row.display_name, metadata: parseMetadata(local.row.metadata) },
      context.signal,
    )
    finish(context, group, updated)
    return 'pushed'
  }
  if (local.value === null) {
    throw new AppError('VALIDATION', {
      message: `“${local.row.display_name}” has no secret stored here (the remote holds it), and ${context.client.dialect === 'weavz' ? 'Weavz can only change a connection by creating it again with its secret' : 'the remote needs the secret to save it'}. Rotate it here to push it.`,
    })
  }
  if (isOAuthType(local.row.type) && !context.client.supports.tokenUpload) {
    throw new AppError('VALIDATION', {
      message: `“${local.row.display_name}” is an OAuth2 connection, and this remote accepts OAuth2 only as a sign-in it completes itself. Reconnect it through the remote's sign-in.`,
    })
  }
  const upsert: RemoteUpsert = {
    externalId: local.row.external_id,
    displayName: local.row.display_name,
    pieceName: local.row.piece_name,
    type: local.row.type,
    projectIds: local.projectIds,
    metadata: parseMetadata(local.row.metadata),
    value: local.value,
  }
  const remote =
    context.client.dialect === 'weavz'
      ? await recreate(context, group, upsert, asRemote)
      : await context.client.upsert(upsert, context.signal)
  finish(context, group, remote)
  return 'pushed'
}

/**
 * Weavz has no update and its create is not idempotent, so a change is a delete then a create. The
 * delete is recorded (step marker) before the create goes out; a run that finds the marker knows
 * any row now under that externalId is its own create whose answer was lost, and adopts it
 * instead of creating a second one.
 */
async function recreate(
  context: RunContext,
  group: ConnectionGroup,
  upsert: RemoteUpsert,
  known: RemoteConnection | null,
): Promise<RemoteConnection> {
  const { client, signal } = context
  if (group.step === DELETED_STEP) {
    const created = await client.findByExternalId(upsert.pieceName, upsert.externalId, signal)
    if (created !== null) return created
  } else {
    const existing = known ?? (await client.findByExternalId(upsert.pieceName, upsert.externalId, signal))
    if (existing !== null) {
      await client.delete(existing, signal)
    }
    context.withVault((session, repository) =>
      session.transaction(() =>
        repository.setStep(context.remoteId, group.connectionId, group.maxSeq, DELETED_STEP),
      ),
    )
    group.step = DELETED_STEP
  }
  throwIfCancelled(signal)
  try {
    return await client.upsert(upsert, signal)
  } catch (error) {
    // A create that conflicts after our delete is our own earlier create: adopt it.
    if (isRemoteError(error) && error.status === 409) {
      const created = await client.findByExternalId(upsert.pieceName, upsert.externalId, signal)
      if (created !== null) return created
    }
    throw error
  }
}

async function pushDelete(context: RunContext, group: ConnectionGroup): Promise<Outcome> {
  const state = context.withVault((_session, repository) => repository.state(group.connectionId))
  const pieceName = String(group.payload.pieceName ?? '')
  const externalId = String(group.payload.externalId ?? '')
  let remote: RemoteConnection | null = null
  if (state?.remote_connection_id) {
    remote = {
      remoteId: state.remote_connection_id,
      externalId,
      pieceName,
      displayName: '',
      type: '',
      status: '',
      projectIds: [],
      flowIds: [],
      created: '',
      updated: '',
    }
  } else if (pieceName !== '' && externalId !== '') {
    remote = await context.client.findByExternalId(pieceName, externalId, context.signal)
  }
  if (remote !== null) await context.client.delete(remote, context.signal)
  context.withVault((session, repository) =>
    session.transaction(() => {
      repository.doneUpTo(context.remoteId, group.connectionId, group.maxSeq)
      const row = repository.row(group.connectionId)
      if (!row) {
        repository.dropState(group.connectionId)
        return
      }
      // A delete that kept a MISSING placeholder here: the remote no longer has it.
      repository.dropState(group.connectionId)
      if (!repository.hasPending(row.id)) repository.setSyncState(row.id, 'SYNCED')
    }),
  )
  context.changed([group.connectionId], 'updated')
  return 'pushed'
}

async function pushReplace(context: RunContext, group: ReplaceGroup, blocked: Set<string>): Promise<Outcome> {
  const targetId = String(group.payload.targetId ?? '')
  // Rewiring flows to a target the remote refused would point them at nothing: wait for it.
  if (blocked.has(targetId) || blocked.has(group.connectionId)) return 'skipped'
  const pieceName = String(group.payload.pieceName ?? '')
  const ids = context.withVault((_session, repository) => ({
    source: repository.state(group.connectionId)?.remote_connection_id ?? null,
    target: repository.state(targetId)?.remote_connection_id ?? null,
  }))
  const source =
    ids.source ??
    (
      await context.client.findByExternalId(
        pieceName,
        String(group.payload.sourceExternalId ?? ''),
        context.signal,
      )
    )?.remoteId ??
    null
  const target =
    ids.target ??
    (
      await context.client.findByExternalId(
        pieceName,
        String(group.payload.targetExternalId ?? ''),
        context.signal,
      )
    )?.remoteId ??
    null
  if (source === null || target === null) {
    throw new AppError('VALIDATION', {
      message: 'The replace could not be sent: the remote does not have both connections.',
    })
  }
  await context.client.replace(
    {
      sourceRemoteId: source,
      targetRemoteId: target,
      deleteSourceConnection: false,
      applyToPublishedVersions: false,
    },
    context.signal,
  )
  context.withVault((session, repository) => session.transaction(() => repository.doneSeq(group.maxSeq)))
  return 'pushed'
}

/** Clears what was sent and records what the remote answered, in one transaction. */
function finish(context: RunContext, group: ConnectionGroup, remote: RemoteConnection | null): void {
  context.withVault((session, repository) =>
    session.transaction(() => {
      repository.doneUpTo(context.remoteId, group.connectionId, group.maxSeq)
      if (remote === null) return
      recordPushed(context, repository, group.connectionId, remote)
    }),
  )
  context.changed([group.connectionId], 'updated')
}

function recordPushed(
  context: RunContext,
  repository: SyncRepository,
  connectionId: string,
  remote: RemoteConnection,
): void {
  const state = repository.state(connectionId)
  repository.saveState({
    ...baseState(connectionId, context.remoteId, state),
    remote_connection_id: remote.remoteId,
    remote_updated: remote.updated,
    secret_held_remotely: repository.envelope(connectionId) === null ? 1 : 0,
    deleted_on_remote: 0,
    last_synced_ms: context.now(),
  })
  repository.setSyncState(connectionId, repository.hasPending(connectionId) ? 'PENDING' : 'SYNCED')
}

function stubRemote(row: ConnectionRow, remoteId: string, projectIds: string[]): RemoteConnection {
  return {
    remoteId,
    externalId: row.external_id,
    displayName: row.display_name,
    pieceName: row.piece_name,
    type: row.type,
    status: row.status,
    projectIds,
    flowIds: [],
    created: '',
    updated: '',
  }
}

function parseMetadata(text: string | null): Record<string, unknown> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>)
}
