import {
  CONNECTION_SCOPES,
  CONNECTION_STATUSES,
  CONNECTION_TYPES,
  type ConnectionScope,
  type ConnectionStatus,
  type ConnectionType,
} from '../../shared/contract/connections'
import type { RemoteVersion } from '../../shared/contract/sync'
import type { RemoteConnection } from './dialects/remote-client'

// A pulled row is the remote's word: anything it says that Latchkey has no name for becomes the
// closest safe value, and the row is kept (losing a row is worse than a plain label).

export function typeOf(remote: RemoteConnection): ConnectionType {
  return (CONNECTION_TYPES as readonly string[]).includes(remote.type)
    ? (remote.type as ConnectionType)
    : 'NO_AUTH'
}

export function statusOf(remote: RemoteConnection): ConnectionStatus {
  return (CONNECTION_STATUSES as readonly string[]).includes(remote.status)
    ? (remote.status as ConnectionStatus)
    : 'ACTIVE'
}

/** A project-scoped row belongs to at most one project (the contract's rule); more means platform-wide. */
export function scopeOf(remote: RemoteConnection): ConnectionScope {
  if (remote.projectIds.length > 1) return 'PLATFORM'
  return (CONNECTION_SCOPES as readonly string[]).includes(remote.scope ?? '')
    ? (remote.scope as ConnectionScope)
    : 'PROJECT'
}

/** The remote's `updated` as milliseconds; two spellings of one instant are the same version. */
export function updatedMsOf(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? null : ms
}

export function sameVersion(a: string | null | undefined, b: string | null | undefined): boolean {
  const left = updatedMsOf(a)
  const right = updatedMsOf(b)
  if (left === null || right === null) return a === b
  return left === right
}

/** What a conflict keeps of the remote's side: metadata only, it never returns a secret. */
export function toRemoteVersion(remote: RemoteConnection): RemoteVersion {
  return {
    remoteConnectionId: remote.remoteId,
    externalId: remote.externalId,
    displayName: remote.displayName,
    pieceName: remote.pieceName,
    type: typeOf(remote),
    status: statusOf(remote),
    projectIds: [...remote.projectIds],
    flowIds: [...remote.flowIds],
    metadata: remote.metadata ?? null,
    ownerEmail: remote.owner?.email ?? null,
    updated: remote.updated,
  }
}
