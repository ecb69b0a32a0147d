import type { AppConnection, ConnectionValue } from '../../../shared/contract'
import { AppError, isAppError, validationError } from '../../../shared/errors'
import type { VaultClient } from '../client/vault-client'

/**
 * A connection by its id, else by its externalId (the seeds' key scripts know). An externalId is
 * unique per remote and piece only, so more than one match is refused with their ids.
 */
export async function findConnection(client: VaultClient, idOrExternalId: string): Promise<AppConnection> {
  try {
    return await client.call('connections.get', { id: idOrExternalId })
  } catch (error) {
    if (!isAppError(error, 'ENTITY_NOT_FOUND')) throw error
  }
  const matches: AppConnection[] = []
  for (let offset = 0; ; offset += SLICE) {
    const { data, total } = await client.call('connections.slice', { offset, limit: SLICE, sort: 'created' })
    matches.push(...data.filter((connection) => connection.externalId === idOrExternalId))
    if (offset + SLICE >= total) break
  }
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1) {
    throw validationError(
      `${matches.length} connections have the externalId “${idOrExternalId}”: ${matches.map((c) => c.id).join(', ')}. Use an id.`,
    )
  }
  throw new AppError('ENTITY_NOT_FOUND', {
    entityType: 'app_connection',
    entityId: idOrExternalId,
    message: `No connection has the id or externalId “${idOrExternalId}”.`,
  })
}

const SLICE = 500

/**
 * A connection's value by its id, else by its externalId. By id (what scripts pass) it is one call,
 * the audited reveal itself: each call through the app's channel is a round trip. Only an unknown
 * connection falls back to the externalId search; any other refusal is the answer.
 */
export async function revealConnection(
  client: VaultClient,
  idOrExternalId: string,
): Promise<{ id: string; value: ConnectionValue }> {
  try {
    return await client.call('connections.reveal', { id: idOrExternalId })
  } catch (error) {
    if (!isAppError(error, 'ENTITY_NOT_FOUND') || error.params.entityType !== 'app_connection') throw error
  }
  const connection = await findConnection(client, idOrExternalId)
  return client.call('connections.reveal', { id: connection.id })
}

/** The field a secret reference means when it names none: the one secret of the type. */
export function defaultFieldOf(type: ConnectionValue['type']): string | null {
  switch (type) {
    case 'SECRET_TEXT':
      return 'secret_text'
    case 'BASIC_AUTH':
      return 'password'
    case 'OAUTH2':
    case 'CLOUD_OAUTH2':
    case 'PLATFORM_OAUTH2':
      return 'access_token'
    default:
      return null
  }
}

/**
 * One field of a value as text: a top-level field, or a property of custom auth and OIDC
 * (`props.NAME`, or just `NAME`). Text is returned exactly as stored; anything else as JSON.
 */
export function fieldOf(connectionId: string, value: ConnectionValue, field: string | undefined): string {
  const name = field ?? defaultFieldOf(value.type)
  if (!name) {
    throw validationError(
      `A ${value.type} connection has no single secret; name one with --field (its properties: ${propertyNames(value).join(', ') || 'none'}).`,
      [{ path: 'field', message: 'Name a field.' }],
    )
  }
  const record = value as Record<string, unknown>
  const props = 'props' in value ? (value.props as Record<string, unknown>) : {}
  const bare = name.startsWith('props.') ? name.slice('props.'.length) : null
  const found =
    bare !== null ? props[bare] : Object.hasOwn(record, name) && name !== 'type' ? record[name] : props[name]
  if (found === undefined) {
    throw new AppError('ENTITY_NOT_FOUND', {
      entityType: 'field',
      entityId: `${connectionId}.${name}`,
      message: `Connection ${connectionId} has no field “${name}”.`,
    })
  }
  return typeof found === 'string' ? found : JSON.stringify(found)
}

function propertyNames(value: ConnectionValue): string[] {
  return 'props' in value ? Object.keys(value.props as object) : []
}
