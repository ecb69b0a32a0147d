import { bearerToken, isRecord, json, type Reply, type RouteRequest } from './http'
import type { ServerContext } from './context'
import { weavzId, type StoredConnection } from './store'

/**
 * Weavz's connections API from its document (§1.15): create is not idempotent (org + piece +
 * externalId unique, a second create is 409), there is no update endpoint, delete answers
 * `{success: true}`, OAuth2 tokens are uploaded as minted. Errors are the SDK's `{error, code}`.
 * With `weavzShape: 'sdk'` it answers the live API's shapes the SDK shows instead.
 */
export const WEAVZ_BASE = '/api/v1/connections'

const VALUE_TYPES = new Set(['SECRET_TEXT', 'OAUTH2', 'BASIC_AUTH', 'CUSTOM_AUTH', 'NO_AUTH'])

const weavzError = (status: number, code: string, error: string, details?: unknown): Reply =>
  json(status, { error, code, ...(details === undefined ? {} : { details }) })

function authenticate(request: RouteRequest, context: ServerContext): Reply | null {
  const token = bearerToken(request.headers)
  if (token === context.forbiddenApiKey)
    return weavzError(403, 'FORBIDDEN', 'This API key may not manage connections.')
  if (token !== context.apiKey) return weavzError(401, 'UNAUTHORIZED', 'Invalid or missing API key.')
  return null
}

function body(connection: StoredConnection, context: ServerContext): Record<string, unknown> {
  const common = {
    id: connection.id,
    displayName: connection.displayName,
    externalId: connection.externalId,
    projectId: connection.projectIds[0] ?? null,
    status: connection.status,
    createdAt: new Date(connection.createdMs).toISOString(),
    updatedAt: new Date(connection.updatedMs).toISOString(),
  }
  return context.weavzShape === 'sdk'
    ? { ...common, integrationName: connection.pieceName, orgId: context.orgId }
    : { ...common, pieceName: connection.pieceName }
}

function list(request: RouteRequest, context: ServerContext): Reply {
  const pieceName = request.query.get('pieceName') ?? request.query.get('integrationName')
  const projectId = request.query.get('projectId')
  const rows = context.store.list({
    dialect: 'weavz',
    ...(pieceName ? { pieceName } : {}),
    ...(projectId ? { projectId } : {}),
  })
  const items = rows.map((row) => body(row, context))
  return json(
    200,
    context.weavzShape === 'sdk' ? { connections: items, total: items.length } : { data: items },
  )
}

function create(request: RouteRequest, context: ServerContext): Reply {
  const input = request.body
  if (!isRecord(input)) return weavzError(400, 'VALIDATION_ERROR', 'The body must be a JSON object.')
  const pieceName = input.pieceName ?? input.integrationName
  for (const [field, value] of [
    ['pieceName', pieceName],
    ['displayName', input.displayName],
  ] as const) {
    if (typeof value !== 'string' || value.length === 0) {
      return weavzError(400, 'VALIDATION_ERROR', `${field} is required.`, { field })
    }
  }
  if (!isRecord(input.value) || typeof input.value.type !== 'string' || !VALUE_TYPES.has(input.value.type)) {
    return weavzError(400, 'VALIDATION_ERROR', 'value must be an object with a known type.', {
      field: 'value',
    })
  }
  for (const field of ['externalId', 'projectId']) {
    if (input[field] !== undefined && input[field] !== null && typeof input[field] !== 'string') {
      return weavzError(400, 'VALIDATION_ERROR', `${field} must be a string.`, { field })
    }
  }
  const externalId = (input.externalId as string | undefined) ?? null
  if (externalId !== null) {
    const taken =
      context.store.list({ dialect: 'weavz', pieceName: pieceName as string, externalId }).length > 0
    if (taken) {
      return weavzError(409, 'CONFLICT', 'A connection with this externalId already exists for this piece.')
    }
  }
  const now = context.now()
  const connection: StoredConnection = {
    id: weavzId(),
    dialect: 'weavz',
    externalId,
    pieceName: pieceName as string,
    displayName: input.displayName as string,
    type: input.value.type,
    status: 'ACTIVE',
    projectIds: typeof input.projectId === 'string' ? [input.projectId] : [],
    scope: 'PROJECT',
    ownerId: null,
    metadata: null,
    value: input.value,
    createdMs: now,
    updatedMs: now,
  }
  context.store.transaction(() => {
    context.store.insert(connection)
    context.store.recordWrite('weavz', 'create', connection, now)
  })
  const answer = body(connection, context)
  return json(201, context.weavzShape === 'sdk' ? { connection: answer } : answer)
}

function getOne(id: string, context: ServerContext): Reply {
  const connection = context.store.get('weavz', id)
  if (!connection) return weavzError(404, 'NOT_FOUND', 'Connection not found.')
  const answer = body(connection, context)
  return json(200, context.weavzShape === 'sdk' ? { connection: answer } : answer)
}

function remove(id: string, context: ServerContext): Reply {
  const connection = context.store.get('weavz', id)
  if (!connection) return weavzError(404, 'NOT_FOUND', 'Connection not found.')
  context.store.transaction(() => {
    context.store.delete('weavz', id)
    context.store.recordWrite('weavz', 'delete', connection, context.now())
  })
  return json(200, context.weavzShape === 'sdk' ? { deleted: true, id } : { success: true })
}

export function handleWeavz(request: RouteRequest, context: ServerContext): Reply {
  const rest = request.path.slice(WEAVZ_BASE.length).replace(/\/$/, '')
  const denied = authenticate(request, context)
  if (denied) return denied
  if (request.invalidJson) return weavzError(400, 'VALIDATION_ERROR', 'The body is not valid JSON.')
  if (rest === '' && request.method === 'GET') return list(request, context)
  if (rest === '' && request.method === 'POST') return create(request, context)
  const id = /^\/([^/]+)$/.exec(rest)?.[1]
  if (id !== undefined && request.method === 'GET') return getOne(decodeURIComponent(id), context)
  if (id !== undefined && request.method === 'DELETE') return remove(decodeURIComponent(id), context)
  return weavzError(404, 'NOT_FOUND', 'Not found.')
}
