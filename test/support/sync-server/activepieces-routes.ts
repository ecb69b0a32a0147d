import {
  fastifyValidation,
  isRecord,
  json,
  routeNotFound,
  bearerToken,
  type Reply,
  type RouteRequest,
} from './http'
import type { ServerContext } from './context'
import { apId, type StoredConnection } from './store'

/**
 * The Activepieces app-connections API as the real server behaves (REFERENCE.md §1.1–1.14), not as
 * its document says: `{code, params}` errors, VALIDATION as 409, Fastify's 400 for schema failures
 * (checked before authentication), projectId required on list/owners/replace, a list cursor that
 * compares creation times to the second with no tie-breaker and no bound on `limit`, and OAuth2
 * upserts that carry a code the server claims itself.
 */
export const ACTIVEPIECES_BASE = '/api/v1/app-connections'

const AP_ID = /^[0-9a-zA-Z]{21}$/
const TYPES = [
  'OAUTH2',
  'PLATFORM_OAUTH2',
  'CLOUD_OAUTH2',
  'SECRET_TEXT',
  'BASIC_AUTH',
  'CUSTOM_AUTH',
  'OIDC',
  'NO_AUTH',
]
const OAUTH_TYPES = new Set(['OAUTH2', 'PLATFORM_OAUTH2', 'CLOUD_OAUTH2'])

const apError = (status: number, code: string, params: Record<string, unknown>): Reply =>
  json(status, { code, params })

function authenticate(request: RouteRequest, context: ServerContext): Reply | null {
  const token = bearerToken(request.headers)
  if (token === null) return apError(403, 'AUTHORIZATION', { message: 'No principal for this route.' })
  if (token === context.forbiddenApiKey) {
    return apError(403, 'PERMISSION_DENIED', { userId: context.owner.id, permission: 'WRITE_APP_CONNECTION' })
  }
  if (token !== context.apiKey) return apError(401, 'AUTHENTICATION', { message: 'Invalid API key.' })
  return null
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function connectionBody(
  connection: StoredConnection,
  context: ServerContext,
  listItem: { flowIds: string[] } | null,
) {
  const base: Record<string, unknown> = {
    id: connection.id,
    created: iso(connection.createdMs),
    updated: iso(connection.updatedMs),
    externalId: connection.externalId,
    displayName: connection.displayName,
    type: connection.type,
    pieceName: connection.pieceName,
    projectIds: connection.projectIds,
    platformId: context.platformId,
    scope: connection.scope,
    status: connection.status,
    ownerId: connection.ownerId,
    metadata: connection.metadata,
    pieceVersion: '0.1.0',
    preSelectForNewProjects: false,
    usingSecretManager: false,
  }
  // Only list items carry owner and flowIds (§1.14).
  if (listItem) {
    base.owner =
      connection.ownerId === context.owner.id
        ? {
            id: context.owner.id,
            email: context.owner.email,
            firstName: context.owner.firstName,
            lastName: context.owner.lastName,
          }
        : null
    base.flowIds = listItem.flowIds
  }
  return base
}

// Cursor: base64("next_" | "prev_" + base64("created:" + epochMillis)) — paginator.ts's two layers.
function encodeCursor(direction: 'next' | 'prev', createdMs: number): string {
  const inner = Buffer.from(`created:${createdMs}`).toString('base64')
  return Buffer.from(`${direction}_${inner}`).toString('base64')
}

class MalformedCursor extends Error {}

function decodeCursor(cursor: string): { direction: 'next' | 'prev'; createdMs: number } | null {
  const outer = Buffer.from(cursor, 'base64').toString('utf8')
  const parts = outer.split('_')
  // The real decoder yields the first page when there is no "_".
  if (parts.length < 2) return null
  const inner = Buffer.from(parts[1]!, 'base64').toString('utf8')
  const [key, value] = inner.split(':')
  const createdMs = Number(value)
  if (key !== 'created' || !Number.isFinite(createdMs)) throw new MalformedCursor()
  return { direction: parts[0] === 'prev' ? 'prev' : 'next', createdMs }
}

function flowIdsByExternalId(context: ServerContext): Map<string, string[]> {
  const byRef = new Map<string, string[]>()
  for (const flow of context.store.flows(context.projectId)) {
    for (const ref of new Set(flow.draftRefs)) byRef.set(ref, [...(byRef.get(ref) ?? []), flow.id])
  }
  return byRef
}

function list(request: RouteRequest, context: ServerContext): Reply {
  const projectId = request.query.get('projectId')
  if (!projectId) return fastifyValidation("querystring must have required property 'projectId'")
  const limitText = request.query.get('limit')
  const limit = limitText === null ? 10 : Number(limitText)
  if (!Number.isFinite(limit)) return fastifyValidation('querystring/limit must be number')
  const denied = authenticate(request, context)
  if (denied) return denied
  if (projectId !== context.projectId) {
    return apError(403, 'AUTHORIZATION', { message: 'The principal has no access to this project.' })
  }
  const statuses = [...request.query.getAll('status'), ...request.query.getAll('status[]')]
  const filters = {
    dialect: 'activepieces' as const,
    projectId,
    ...(request.query.get('pieceName') ? { pieceName: request.query.get('pieceName')! } : {}),
    ...(request.query.get('displayName') ? { displayNameLike: request.query.get('displayName')! } : {}),
    ...(request.query.get('scope') ? { scope: request.query.get('scope')! } : {}),
    ...(statuses.length > 0 ? { statuses } : {}),
  }
  let cursor: ReturnType<typeof decodeCursor>
  try {
    cursor = request.query.get('cursor') ? decodeCursor(request.query.get('cursor')!) : null
  } catch (error) {
    if (error instanceof MalformedCursor) {
      return json(500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' })
    }
    throw error
  }
  const flowIds = flowIdsByExternalId(context)
  const item = (row: StoredConnection) =>
    connectionBody(row, context, { flowIds: row.externalId ? (flowIds.get(row.externalId) ?? []) : [] })

  // Newer paginator: a limit of -1 (or none usable) returns every row and no cursors.
  if (limit <= 0)
    return json(200, { data: context.store.list(filters).map(item), next: null, previous: null })

  if (cursor?.direction === 'prev') {
    // DATE_TRUNC('second', created) < cursor, newest first, then reversed.
    const before = Math.ceil(cursor.createdMs / 1000) * 1000
    const rows = context.store.list({
      ...filters,
      createdBeforeMs: before,
      descending: true,
      limit: limit + 1,
    })
    const hasMore = rows.length > limit
    const page = rows.slice(0, limit).reverse()
    return json(200, {
      data: page.map(item),
      next: page.length > 0 ? encodeCursor('next', page[page.length - 1]!.createdMs) : null,
      previous: hasMore && page.length > 0 ? encodeCursor('prev', page[0]!.createdMs) : null,
    })
  }
  // DATE_TRUNC('second', created) > cursor: every row of the cursor's second is excluded, seen or not.
  const from = cursor ? Math.floor(cursor.createdMs / 1000) * 1000 + 1000 : undefined
  const rows = context.store.list({
    ...filters,
    ...(from === undefined ? {} : { createdFromMs: from }),
    limit: limit + 1,
  })
  const hasMore = rows.length > limit
  const page = rows.slice(0, limit)
  return json(200, {
    data: page.map(item),
    next: hasMore ? encodeCursor('next', page[page.length - 1]!.createdMs) : null,
    previous: cursor && page.length > 0 ? encodeCursor('prev', page[0]!.createdMs) : null,
  })
}

function requireString(
  body: Record<string, unknown>,
  field: string,
  where: string,
  minLength = 0,
): Reply | null {
  const value = body[field]
  if (value === undefined) return fastifyValidation(`${where} must have required property '${field}'`)
  if (typeof value !== 'string') return fastifyValidation(`${where}/${field} must be string`)
  if (value.length < minLength) {
    return fastifyValidation(`${where}/${field} must NOT have fewer than ${minLength} characters`)
  }
  return null
}

/** The upsert DTO's union, value shape per type (§1.4): OAuth2 carries a code, never minted tokens. */
function validateUpsert(body: unknown): Reply | null {
  if (!isRecord(body)) return fastifyValidation('body must be object')
  for (const field of ['displayName', 'pieceName', 'projectId', 'externalId', 'type']) {
    const failure = requireString(body, field, 'body')
    if (failure) return failure
  }
  const type = body.type as string
  if (type === 'PLACEHOLDER') return null
  if (!TYPES.includes(type)) return fastifyValidation('body/type must be equal to one of the allowed values')
  if (!isRecord(body.value)) return fastifyValidation("body must have required property 'value'")
  const value = body.value
  if (value.type !== type) return fastifyValidation('body/value/type must be equal to constant')
  const needs: Record<string, string[]> = {
    SECRET_TEXT: ['secret_text'],
    BASIC_AUTH: ['username', 'password'],
    OAUTH2: ['client_id', 'code', 'client_secret', 'redirect_url'],
    PLATFORM_OAUTH2: ['client_id', 'code', 'redirect_url'],
    CLOUD_OAUTH2: ['client_id', 'code'],
  }
  for (const field of needs[type] ?? []) {
    const failure = requireString(value, field, 'body/value', 1)
    if (failure) return failure
  }
  if (OAUTH_TYPES.has(type) && typeof value.scope !== 'string') {
    return fastifyValidation("body/value must have required property 'scope'")
  }
  if ((type === 'CUSTOM_AUTH' || type === 'OIDC') && !isRecord(value.props)) {
    return fastifyValidation("body/value must have required property 'props'")
  }
  if (body.metadata !== undefined && body.metadata !== null && !isRecord(body.metadata)) {
    return fastifyValidation('body/metadata must be object')
  }
  return null
}

/** The server exchanges the code itself at the piece's token URL; `claimed_at` in seconds. */
async function claim(
  value: Record<string, unknown>,
  pieceName: string,
  context: ServerContext,
): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; reply: Reply }> {
  if (value.type === 'CLOUD_OAUTH2') {
    return { ok: false, reply: apError(400, 'INVALID_CLOUD_CLAIM', { pieceName }) }
  }
  const tokenUrl = context.tokenUrlFor(pieceName)
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: String(value.code),
    client_id: String(value.client_id),
    redirect_uri: String(value.redirect_url ?? ''),
  })
  if (typeof value.client_secret === 'string') form.set('client_secret', value.client_secret)
  // credentials-oauth2-service sends the PKCE verifier from the value's `code_challenge` field.
  if (typeof value.code_challenge === 'string') form.set('code_verifier', value.code_challenge)
  const invalid = (message: string) =>
    apError(400, 'INVALID_CLAIM', {
      clientId: value.client_id,
      tokenUrl,
      redirectUrl: value.redirect_url,
      message,
    })
  let answer: Response
  try {
    answer = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
    })
  } catch {
    return { ok: false, reply: invalid('The token endpoint did not answer.') }
  }
  const tokens = (await answer.json().catch(() => ({}))) as Record<string, unknown>
  if (!answer.ok)
    return { ok: false, reply: invalid(String(tokens.error_description ?? tokens.error ?? 'refused')) }
  const { access_token, refresh_token, token_type, expires_in, scope, ...data } = tokens
  return {
    ok: true,
    value: {
      ...value,
      access_token,
      refresh_token,
      token_type,
      expires_in,
      scope: scope ?? value.scope,
      token_url: tokenUrl,
      claimed_at: Math.floor(context.now() / 1000),
      data,
      grant_type: 'authorization_code',
    },
  }
}

async function upsert(request: RouteRequest, context: ServerContext): Promise<Reply> {
  const invalid = validateUpsert(request.body)
  if (invalid) return invalid
  const denied = authenticate(request, context)
  if (denied) return denied
  const body = request.body as Record<string, unknown>
  const projectId = body.projectId as string
  if (projectId !== context.projectId)
    return apError(404, 'ENTITY_NOT_FOUND', { entityType: 'Project', entityId: projectId })
  const placeholder = body.type === 'PLACEHOLDER'
  let value: Record<string, unknown> = placeholder
    ? { type: 'NO_AUTH' }
    : (body.value as Record<string, unknown>)
  if (OAUTH_TYPES.has(body.type as string)) {
    const claimed = await claim(value, body.pieceName as string, context)
    if (!claimed.ok) return claimed.reply
    value = claimed.value
  }
  const now = context.now()
  // Matched by externalId + scope + project only: pieceName is not part of the match (§1.14).
  const existing = context.store
    .list({ dialect: 'activepieces', projectId, externalId: body.externalId as string, scope: 'PROJECT' })
    .at(0)
  if (existing && placeholder && existing.status !== 'MISSING')
    return json(201, connectionBody(existing, context, null))
  const metadata =
    body.metadata === undefined
      ? (existing?.metadata ?? null)
      : (body.metadata as Record<string, unknown> | null)
  const connection: StoredConnection = {
    id: existing?.id ?? apId(),
    dialect: 'activepieces',
    externalId: body.externalId as string,
    pieceName: body.pieceName as string,
    displayName: body.displayName as string,
    type: placeholder ? 'NO_AUTH' : (body.type as string),
    status: placeholder ? 'MISSING' : 'ACTIVE',
    projectIds: [projectId],
    scope: 'PROJECT',
    ownerId: context.owner.id,
    metadata,
    value,
    createdMs: existing?.createdMs ?? now,
    updatedMs: now,
  }
  context.store.transaction(() => {
    if (existing) context.store.update(connection)
    else context.store.insert(connection)
    context.store.recordWrite('activepieces', existing ? 'update' : 'create', connection, now)
  })
  return json(201, connectionBody(connection, context, null))
}

function findInProject(id: string, context: ServerContext): StoredConnection | null {
  const connection = context.store.get('activepieces', id)
  return connection && connection.projectIds.includes(context.projectId) ? connection : null
}

const notFound = (id: string) =>
  apError(404, 'ENTITY_NOT_FOUND', { entityType: 'AppConnection', entityId: id })

function updateMetadata(id: string, request: RouteRequest, context: ServerContext): Reply {
  if (!AP_ID.test(id)) return fastifyValidation('params/id must match pattern "^[0-9a-zA-Z]{21}$"')
  const body = request.body
  if (!isRecord(body)) return fastifyValidation('body must be object')
  const failure = requireString(body, 'displayName', 'body', 1)
  if (failure) return failure
  if (body.metadata !== undefined && body.metadata !== null && !isRecord(body.metadata)) {
    return fastifyValidation('body/metadata must be object')
  }
  const denied = authenticate(request, context)
  if (denied) return denied
  const existing = findInProject(id, context)
  if (!existing) return notFound(id)
  const now = context.now()
  const connection: StoredConnection = {
    ...existing,
    displayName: body.displayName as string,
    // Replaced, not merged (§1.14); left alone when the request omits it.
    metadata:
      body.metadata === undefined ? existing.metadata : (body.metadata as Record<string, unknown> | null),
    updatedMs: now,
  }
  context.store.transaction(() => {
    context.store.update(connection)
    context.store.recordWrite('activepieces', 'metadata', connection, now)
  })
  return json(200, connectionBody(connection, context, null))
}

function remove(id: string, request: RouteRequest, context: ServerContext): Reply {
  if (!AP_ID.test(id)) return fastifyValidation('params/id must match pattern "^[0-9a-zA-Z]{21}$"')
  const denied = authenticate(request, context)
  if (denied) return denied
  const existing = findInProject(id, context)
  if (!existing) return notFound(id)
  context.store.transaction(() => {
    context.store.delete('activepieces', id)
    context.store.recordWrite('activepieces', 'delete', existing, context.now())
  })
  return { status: 204 }
}

function owners(request: RouteRequest, context: ServerContext): Reply {
  if (!request.query.get('projectId'))
    return fastifyValidation("querystring must have required property 'projectId'")
  const denied = authenticate(request, context)
  if (denied) return denied
  const { firstName, lastName, email } = context.owner
  return json(200, { data: [{ firstName, lastName, email }], next: null, previous: null })
}

function replace(request: RouteRequest, context: ServerContext): Reply {
  const body = request.body
  if (!isRecord(body)) return fastifyValidation('body must be object')
  for (const field of ['sourceAppConnectionId', 'targetAppConnectionId', 'projectId']) {
    const failure = requireString(body, field, 'body')
    if (failure) return failure
  }
  for (const field of ['deleteSourceConnection', 'applyToPublishedVersions']) {
    if (body[field] !== undefined && typeof body[field] !== 'boolean') {
      return fastifyValidation(`body/${field} must be boolean`)
    }
  }
  const denied = authenticate(request, context)
  if (denied) return denied
  const source = findInProject(body.sourceAppConnectionId as string, context)
  if (!source) return notFound(body.sourceAppConnectionId as string)
  const target = findInProject(body.targetAppConnectionId as string, context)
  if (!target) return notFound(body.targetAppConnectionId as string)
  if (source.id === target.id)
    return apError(409, 'VALIDATION', { message: 'Cannot replace a connection with itself' })
  if (source.pieceName !== target.pieceName) {
    return apError(409, 'VALIDATION', { message: 'Connections must be from the same app' })
  }
  const deleteSource = body.deleteSourceConnection === true
  const applyToPublished = body.applyToPublishedVersions === true
  const flows = context.store.flows(context.projectId)
  const publishedUses = flows.filter((flow) => flow.publishedRefs?.includes(source.externalId ?? '')).length
  if (deleteSource && !applyToPublished && publishedUses > 0) {
    return apError(409, 'VALIDATION', {
      message:
        'Cannot delete the old connection because it is still used by published flows that were not updated',
    })
  }
  const swap = (refs: string[]) => refs.map((ref) => (ref === source.externalId ? target.externalId! : ref))
  const now = context.now()
  context.store.transaction(() => {
    for (const flow of flows) {
      context.store.saveFlow({
        ...flow,
        draftRefs: swap(flow.draftRefs),
        publishedRefs: applyToPublished && flow.publishedRefs ? swap(flow.publishedRefs) : flow.publishedRefs,
      })
    }
    context.store.recordWrite('activepieces', 'replace', source, now)
    if (deleteSource) {
      context.store.delete('activepieces', source.id)
      context.store.recordWrite('activepieces', 'delete', source, now)
    }
  })
  return { status: 204 }
}

export async function handleActivepieces(request: RouteRequest, context: ServerContext): Promise<Reply> {
  const rest = request.path.slice(ACTIVEPIECES_BASE.length).replace(/\/$/, '')
  const { method } = request
  if (request.invalidJson)
    return json(400, {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      error: 'Bad Request',
      message: 'Body is not valid JSON',
    })
  if (rest === '' && method === 'GET') return list(request, context)
  if (rest === '' && method === 'POST') return upsert(request, context)
  if (rest === '/owners' && method === 'GET') return owners(request, context)
  if (rest === '/replace' && method === 'POST') return replace(request, context)
  const id = /^\/([^/]+)$/.exec(rest)?.[1]
  if (id !== undefined && method === 'POST') return updateMetadata(decodeURIComponent(id), request, context)
  if (id !== undefined && method === 'DELETE') return remove(decodeURIComponent(id), request, context)
  return routeNotFound(method, request.path)
}
