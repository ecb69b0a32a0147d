import type { ParsedInputOf, Procedures } from '../../shared/contract'
import type { Remote } from '../../shared/contract/remotes'
import { AppError, notFoundError } from '../../shared/errors'
import type { Clock } from '../adapters/clock'
import type { RandomBytes } from '../adapters/random'
import { createRepositoryAccess } from '../vault/repository-access'
import type { VaultSession } from '../vault/session'
import type { RemoteTarget } from './dialects/remote-client'
import { createRemotesRepository, type RemoteRow, type RemotesRepository } from './remotes-repository'

type Input<Name extends keyof Procedures> = ParsedInputOf<Procedures[Name]>

export const REMOTE_ENTITY = 'remote'

export interface RemotesDependencies {
  session: () => VaultSession
  clock: Pick<Clock, 'now'>
  random: RandomBytes
  /** Told after a commit that changed which remotes exist, so the automatic sync follows. */
  onChanged?: (remoteId: string) => void
}

export function createRemotesService(dependencies: RemotesDependencies) {
  const { clock, random } = dependencies
  const withVault = createRepositoryAccess(dependencies.session, createRemotesRepository)
  const changed = (id: string) => dependencies.onChanged?.(id)

  function list(): Remote[] {
    return withVault((_session, repository) => repository.all().map((row) => toRemote(repository, row)))
  }

  function get(id: string): Remote {
    return withVault((_session, repository) => toRemote(repository, requireRow(repository, id)))
  }

  function add(input: Input<'remotes.add'>, origin: string): Remote {
    const nowMs = clock.now()
    const id = `rem_${random(12).toString('base64url')}`
    const remote = withVault((session, repository) =>
      session.transaction(() => {
        refuseTakenName(repository, input.name, null)
        repository.insert({
          id,
          name: input.name,
          dialect: input.dialect,
          base_url: input.baseUrl,
          project_id: input.projectId ?? null,
          org_id: input.dialect === 'weavz' ? (input.orgId ?? null) : null,
          api_key_envelope: session.seal('remote-api-key', id, input.apiKey),
          key_version: session.keyVersion,
          created_ms: nowMs,
          updated_ms: nowMs,
        })
        session.audit({
          action: 'remote.add',
          origin,
          entityType: REMOTE_ENTITY,
          entityId: id,
          details: { name: input.name, dialect: input.dialect, baseUrl: input.baseUrl },
        })
        return toRemote(repository, requireRow(repository, id))
      }),
    )
    changed(id)
    return remote
  }

  function update(input: Input<'remotes.update'>, origin: string): Remote {
    const remote = withVault((session, repository) =>
      session.transaction(() => {
        const row = requireRow(repository, input.id)
        if (input.name !== undefined) refuseTakenName(repository, input.name, row.id)
        const projectId = input.projectId === undefined ? row.project_id : input.projectId
        if (row.dialect === 'activepieces' && projectId === null) {
          throw new AppError('VALIDATION', {
            message: 'An Activepieces remote needs its project id.',
            issues: [{ path: 'projectId', message: 'Required for Activepieces.' }],
          })
        }
        const keyChanged = input.apiKey !== undefined
        repository.update({
          ...row,
          name: input.name ?? row.name,
          base_url: input.baseUrl ?? row.base_url,
          project_id: projectId,
          org_id: row.dialect === 'weavz' ? (input.orgId === undefined ? row.org_id : input.orgId) : null,
          api_key_envelope: keyChanged
            ? session.seal('remote-api-key', row.id, input.apiKey!)
            : row.api_key_envelope,
          key_version: keyChanged ? session.keyVersion : row.key_version,
          updated_ms: clock.now(),
        })
        session.audit({
          action: 'remote.update',
          origin,
          entityType: REMOTE_ENTITY,
          entityId: row.id,
          details: {
            name: input.name ?? row.name,
            baseUrl: input.baseUrl ?? row.base_url,
            apiKeyChanged: keyChanged,
          },
        })
        return toRemote(repository, requireRow(repository, row.id))
      }),
    )
    changed(remote.id)
    return remote
  }

  function remove(
    input: Input<'remotes.remove'>,
    origin: string,
  ): { removed: true; discardedChanges: number; detachedConnections: number } {
    const result = withVault((session, repository) =>
      session.transaction(() => {
        const row = requireRow(repository, input.id)
        const { pending_count: pending } = repository.counts(row.id)
        if (pending > 0 && !input.discardPending) {
          throw new AppError('CONFLICT', {
            entityType: REMOTE_ENTITY,
            entityId: row.id,
            pendingChanges: pending,
            message: `“${row.name}” has ${pending} unsynced ${pending === 1 ? 'change' : 'changes'} that would never reach it. Sync first, or remove it anyway to discard them; its connections stay here as local ones either way.`,
          })
        }
        refuseCollisions(repository, row)
        const { detached, discarded } = repository.removeKeepingConnections(row.id)
        session.audit({
          action: 'remote.remove',
          origin,
          entityType: REMOTE_ENTITY,
          entityId: row.id,
          details: { name: row.name, discardedChanges: discarded, detachedConnections: detached },
        })
        return { removed: true as const, discardedChanges: discarded, detachedConnections: detached }
      }),
    )
    changed(input.id)
    return result
  }

  /** The target a client needs, with the key opened; only the sync engine and the probe ask. */
  function target(id: string): RemoteTarget {
    return withVault((session, repository) => targetOf(session, requireRow(repository, id)))
  }

  function targets(): { id: string; name: string; target: RemoteTarget }[] {
    return withVault((session, repository) =>
      repository.all().map((row) => ({ id: row.id, name: row.name, target: targetOf(session, row) })),
    )
  }

  return { list, get, add, update, remove, target, targets }
}

export type RemotesService = ReturnType<typeof createRemotesService>

function targetOf(session: VaultSession, row: RemoteRow): RemoteTarget {
  const target: RemoteTarget = {
    dialect: row.dialect,
    baseUrl: row.base_url,
    apiKey: session.open('remote-api-key', row.id, row.api_key_envelope),
  }
  if (row.project_id !== null) target.projectId = row.project_id
  if (row.org_id !== null) target.orgId = row.org_id
  return target
}

function requireRow(repository: RemotesRepository, id: string): RemoteRow {
  const row = repository.byId(id)
  if (!row) throw notFoundError(REMOTE_ENTITY, id, 'Remote not found')
  return row
}

function refuseTakenName(repository: RemotesRepository, name: string, ownId: string | null): void {
  const taken = repository.idByName(name)
  if (taken !== null && taken !== ownId) {
    throw new AppError('VALIDATION', {
      message: `A remote named “${name}” already exists.`,
      issues: [{ path: 'name', message: 'Another remote has this name.' }],
    })
  }
}

/** Detaching must not merge two connections into one natural key: say which, and change nothing. */
function refuseCollisions(repository: RemotesRepository, row: RemoteRow): void {
  const collisions = repository.detachCollisions(row.id)
  if (collisions.length === 0) return
  const names = collisions.map((collision) => `“${collision.display_name}”`).join(', ')
  throw new AppError('CONFLICT', {
    entityType: REMOTE_ENTITY,
    entityId: row.id,
    message: `Removing “${row.name}” would make ${names} local, but a local connection already has the same piece and external id. Rename or delete one of them first.`,
  })
}

function toRemote(repository: RemotesRepository, row: RemoteRow): Remote {
  const counts = repository.counts(row.id)
  return {
    id: row.id,
    name: row.name,
    dialect: row.dialect,
    baseUrl: row.base_url,
    projectId: row.project_id,
    orgId: row.org_id,
    created: new Date(row.created_ms).toISOString(),
    updated: new Date(row.updated_ms).toISOString(),
    connectionCount: counts.connection_count,
    pendingCount: counts.pending_count,
  }
}
