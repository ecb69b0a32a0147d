import type { ErrorCode } from '../../../shared/errors'
import { RemoteError } from './remote-error'

const APP_CODE_BY_REMOTE_CODE: Record<string, ErrorCode> = {
  // Activepieces (error-handler.ts)
  VALIDATION: 'VALIDATION',
  ENTITY_NOT_FOUND: 'ENTITY_NOT_FOUND',
  AUTHORIZATION: 'FORBIDDEN',
  PERMISSION_DENIED: 'FORBIDDEN',
  QUOTA_EXCEEDED: 'FORBIDDEN',
  FEATURE_DISABLED: 'FORBIDDEN',
  AUTHENTICATION: 'AUTHENTICATION',
  INVALID_API_KEY: 'AUTHENTICATION',
  INVALID_BEARER_TOKEN: 'AUTHENTICATION',
  INVALID_CLAIM: 'OAUTH_FAILED',
  INVALID_CLOUD_CLAIM: 'OAUTH_FAILED',
  INVALID_APP_CONNECTION: 'VALIDATION',
  ENGINE_OPERATION_FAILURE: 'REMOTE_UNAVAILABLE',
  // Fastify
  FST_ERR_VALIDATION: 'VALIDATION',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION',
  // Weavz (its SDK's error codes)
  CONFLICT: 'CONFLICT',
  VALIDATION_ERROR: 'VALIDATION',
  UNAUTHORIZED: 'AUTHENTICATION',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'ENTITY_NOT_FOUND',
}

function appCodeForStatus(status: number): ErrorCode {
  if (status === 401) return 'AUTHENTICATION'
  if (status === 403) return 'FORBIDDEN'
  if (status === 404) return 'ENTITY_NOT_FOUND'
  if (status === 409) return 'CONFLICT'
  if (status === 408 || status === 429 || status >= 500) return 'REMOTE_UNAVAILABLE'
  return 'VALIDATION'
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Params worth keeping for the UI: plain scalars only, so nothing nested (a value, a token) rides along. */
function scalarParams(params: unknown, scrub: (text: string) => string): Record<string, unknown> | undefined {
  if (!isRecord(params)) return undefined
  const kept: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string') kept[key] = scrub(value)
    else if (typeof value === 'number' || typeof value === 'boolean') kept[key] = value
  }
  return kept
}

function describe(
  status: number,
  remoteCode: string | undefined,
  params: Record<string, unknown> | undefined,
  text: string | undefined,
): string {
  if (remoteCode === 'ENTITY_NOT_FOUND') {
    return (
      `The remote has no ${String(params?.entityType ?? 'entity')} ${String(params?.entityId ?? '')}`.trim() +
      '.'
    )
  }
  if (remoteCode === 'INVALID_CLAIM') {
    return `The remote could not claim the authorization code${text ? `: ${text}` : '.'}`
  }
  if (remoteCode === 'INVALID_CLOUD_CLAIM')
    return 'The remote could not claim the authorization code with its cloud app.'
  if (remoteCode === 'ROUTE_NOT_FOUND')
    return `The remote has no such endpoint (${status}): check the base URL.`
  if (status >= 300 && status < 400)
    return `The remote redirected the request (${status}): check the base URL.`
  if (text) return `The remote refused the request (${status}): ${text}`
  if (status === 401) return 'The remote did not accept the API key (401).'
  if (status === 403) return 'The API key may not do this on the remote (403).'
  if (status === 404) return 'The remote has no such endpoint or entity (404).'
  if (status === 429) return 'The remote is rate limiting requests (429).'
  if (status >= 500) return `The remote failed (${status}).`
  return `The remote refused the request (${status}).`
}

/**
 * Turns an error answer into a RemoteError. Reads both dialects' bodies: Activepieces `{code,
 * params}` (no statusCode; VALIDATION arrives as 409), Fastify's `{statusCode, code, error,
 * message}` (schema failures, and a route that does not exist), Weavz `{error, code, details}`.
 */
export function remoteErrorFromResponse(input: {
  status: number
  body: unknown
  retryAfter: string | null
  nowMs: number
  scrub: (text: string) => string
}): RemoteError {
  const { status, body } = input
  let remoteCode: string | undefined
  let params: Record<string, unknown> | undefined
  let text: string | undefined
  if (isRecord(body)) {
    if (typeof body.code === 'string') remoteCode = body.code
    params = scalarParams(body.params, input.scrub)
    if (typeof params?.message === 'string') text = params.message
    else if (typeof body.message === 'string') text = body.message
    else if (typeof body.error === 'string' && typeof body.code === 'string') text = body.error
    // Fastify's 404 for an unknown route: "Route GET:/x not found", no code.
    if (
      remoteCode === undefined &&
      status === 404 &&
      typeof body.message === 'string' &&
      /^Route \w+:/.test(body.message)
    ) {
      remoteCode = 'ROUTE_NOT_FOUND'
      text = undefined
    }
  }
  const appCode = (remoteCode && APP_CODE_BY_REMOTE_CODE[remoteCode]) || appCodeForStatus(status)
  const message = input.scrub(describe(status, remoteCode, params, text?.slice(0, 500)))
  const retryAfterMs = parseRetryAfter(input.retryAfter, input.nowMs)
  return new RemoteError({
    kind: 'http',
    appCode,
    message,
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(remoteCode === undefined ? {} : { remoteCode }),
    ...(params === undefined ? {} : { remoteParams: params }),
  })
}
