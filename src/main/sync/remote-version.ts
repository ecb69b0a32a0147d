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

// A pulled row is the remote's word where it says something Latchkey knows; where it says nothing
// (Weavz's list has no type) or something unknown, the local value stays, and a new row takes the
// plainest one. The row is always kept: losing a row is worse than a plain label.

export function typeOf(remote: Pick<RemoteConnection, 'type'>): ConnectionType | null {
  return (CONNECTION_TYPES as readonly string[]).includes(remote.type)
    ? (remote.type as ConnectionType)
    : null
}

export function statusOf(remote: Pick<RemoteConnection, 'status'>): ConnectionStatus | null {
  return (CONNECTION_STATUSES as readonly string[]).includes(remote.status)
    ? (remote.status as ConnectionStatus)
    : null
}

/** A project-scoped row belongs to at most one project (the contract's rule); more means platform-wide. */
export function scopeOf(remote: Pick<RemoteConnection, 'projectIds' | 'scope'>): ConnectionScope {
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
    status: statusOf(remote) ?? 'ACTIVE',
    projectIds: [...remote.projectIds],
    flowIds: [...remote.flowIds],
    metadata: remote.metadata ?? null,
    ownerEmail: remote.owner?.email ?? null,
    updated: remote.updated,
  }
}
