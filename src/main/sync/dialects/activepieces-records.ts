import type { RemoteConnection } from './remote-client'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []

/**
 * An Activepieces connection as the seam's RemoteConnection, or null when the item is not one (no
 * id, no creation time). Unknown fields are dropped; owner and flowIds are absent from upsert and
 * update answers (§1.14), so owner stays undefined ("not said") there rather than null ("nobody").
 */
export function toRemoteConnection(item: unknown): RemoteConnection | null {
  if (!isRecord(item) || typeof item.id !== 'string' || typeof item.created !== 'string') return null
  const connection: RemoteConnection = {
    remoteId: item.id,
    externalId: typeof item.externalId === 'string' ? item.externalId : '',
    displayName: typeof item.displayName === 'string' ? item.displayName : '',
    pieceName: typeof item.pieceName === 'string' ? item.pieceName : '',
    type: typeof item.type === 'string' ? item.type : '',
    status: typeof item.status === 'string' ? item.status : '',
    projectIds: stringList(item.projectIds),
    flowIds: stringList(item.flowIds),
    created: item.created,
    updated: typeof item.updated === 'string' ? item.updated : item.created,
  }
  if (typeof item.scope === 'string') connection.scope = item.scope
  if (item.metadata === null || isRecord(item.metadata)) connection.metadata = item.metadata
  if (item.owner === null) connection.owner = null
  else if (isRecord(item.owner)) {
    const id =
      typeof item.ownerId === 'string'
        ? item.ownerId
        : typeof item.owner.id === 'string'
          ? item.owner.id
          : null
    const email = typeof item.owner.email === 'string' ? item.owner.email : undefined
    const ownerId = id ?? email
    if (ownerId !== undefined) connection.owner = { id: ownerId, ...(email === undefined ? {} : { email }) }
  }
  return connection
}

/** Creation second, the only precision the list cursor compares (DATE_TRUNC('second', created)). */
export function creationSecond(connection: RemoteConnection): number {
  return Math.floor(Date.parse(connection.created) / 1000)
}
