import type { RemoteConnection } from './remote-client'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/**
 * A Weavz connection as the seam's RemoteConnection, or null when it is not one. Reads the
 * document's shape and the live API's the SDK shows (§1.15): `integrationName` for `pieceName`,
 * `{ connection }` around a single item.
 */
export function toWeavzConnection(input: unknown): RemoteConnection | null {
  const item = isRecord(input) && isRecord(input.connection) ? input.connection : input
  if (!isRecord(item) || typeof item.id !== 'string') return null
  const created = text(item.createdAt) ?? text(item.created)
  const pieceName = text(item.pieceName) ?? text(item.integrationName)
  if (created === undefined || pieceName === undefined) return null
  const projectId = text(item.projectId)
  const connection: RemoteConnection = {
    remoteId: item.id,
    externalId: text(item.externalId) ?? '',
    displayName: text(item.displayName) ?? '',
    pieceName,
    type: text(item.type) ?? '',
    status: text(item.status) ?? '',
    projectIds: projectId ? [projectId] : [],
    flowIds: [],
    created,
    updated: text(item.updatedAt) ?? text(item.updated) ?? created,
  }
  if (item.metadata === null || isRecord(item.metadata)) connection.metadata = item.metadata
  return connection
}

/** The list's items: the document's `{ data }`, the SDK's `{ connections, total }`, or a bare array. */
export function weavzListItems(body: unknown): unknown[] | null {
  if (Array.isArray(body)) return body
  if (!isRecord(body)) return null
  if (Array.isArray(body.data)) return body.data
  if (Array.isArray(body.connections)) return body.connections
  return null
}
