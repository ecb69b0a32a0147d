import type { RemoteClientDeps, RemoteTarget } from './remote-client'
import { remoteErrorFromResponse } from './http-errors'
import { networkError } from './network-error'
import { RemoteError } from './remote-error'

export const DEFAULT_TIMEOUT_MS = 15_000

export interface CallOptions {
  query?: Record<string, string | string[] | undefined>
  body?: unknown
  signal: AbortSignal
}

export interface CallResult {
  status: number
  /** Parsed JSON, or undefined for an empty answer (204). */
  body: unknown
}

export type HttpCall = (method: string, path: string, options: CallOptions) => Promise<CallResult>

/** Never let the API key, or a secret this request carried, into a message, whatever a server echoes back. */
export function scrubber(apiKey: string, secrets: string[] = []): (text: string) => string {
  const hidden = [apiKey, ...secrets].filter((item) => item.length >= 4).sort((a, b) => b.length - a.length)
  return (text) => hidden.reduce((result, item) => result.split(item).join('[hidden]'), text)
}

// Fields of a value that are not secret and too common to hide from a message without mangling it.
const PLAIN_FIELDS = new Set([
  'type',
  'scope',
  'token_type',
  'grant_type',
  'authorization_method',
  'redirect_url',
  'token_url',
])

/** The string leaves of a request's `value` (the connection's secret), except its plain fields. */
function secretsIn(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || !('value' in body)) return []
  const found: string[] = []
  const walk = (node: unknown, key: string, depth: number): void => {
    if (depth > 8) return
    if (typeof node === 'string') {
      if (!PLAIN_FIELDS.has(key)) found.push(node)
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item, key, depth + 1)
    } else if (typeof node === 'object' && node !== null) {
      for (const [name, item] of Object.entries(node)) walk(item, name, depth + 1)
    }
  }
  walk((body as { value: unknown }).value, '', 0)
  return found
}

/** A base URL that already ends in /api/v1 is taken as meant, not doubled. */
export function apiRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '')
}

export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host
  } catch {
    return baseUrl
  }
}

function buildUrl(baseUrl: string, path: string, query: CallOptions['query']): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path)
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item)
  }
  return url.toString()
}

/**
 * One HTTP exchange with a remote: bearer key, JSON both ways, a timeout on the whole exchange
 * (body included), and every failure turned into a RemoteError the engine can act on.
 */
export function createHttpCall(target: RemoteTarget, deps: RemoteClientDeps): HttpCall {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const host = hostOf(target.baseUrl)

  return async (method, path, options) => {
    if (options.signal.aborted) throw cancelled()
    const scrub = scrubber(target.apiKey, secretsIn(options.body))
    // One controller per exchange, fed by the caller's signal and the timeout. Not AbortSignal.any:
    // a sync run's signal lives for thousands of requests, and its listeners must not pile up.
    const exchange = new AbortController()
    let timedOut = false
    const handle = deps.clock.setTimeout(() => {
      timedOut = true
      exchange.abort()
    }, timeoutMs)
    const onCancel = () => exchange.abort()
    options.signal.addEventListener('abort', onCancel, { once: true })
    const signal = exchange.signal
    const failed = (error: unknown): RemoteError => {
      if (options.signal.aborted) return cancelled()
      if (timedOut) return timeout(host, timeoutMs)
      return networkError(error, host)
    }
    try {
      let response: Response
      try {
        response = await deps.fetch(buildUrl(target.baseUrl, path, options.query), {
          method,
          headers: {
            authorization: `Bearer ${target.apiKey}`,
            accept: 'application/json',
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
          signal,
          // A redirect is reported, never followed: a POST must not be replayed to another address.
          redirect: 'manual',
        })
      } catch (error) {
        throw failed(error)
      }
      let text: string
      try {
        text = await response.text()
      } catch (error) {
        throw failed(error)
      }
      let body: unknown = undefined
      if (text.length > 0) {
        try {
          body = JSON.parse(text)
        } catch {
          if (response.ok)
            throw notDialect(host, `answered ${method} ${path} with something that is not JSON`)
        }
      }
      if (!response.ok) {
        throw remoteErrorFromResponse({
          status: response.status,
          body,
          retryAfter: response.headers.get('retry-after'),
          nowMs: deps.clock.now(),
          scrub,
        })
      }
      return { status: response.status, body }
    } finally {
      deps.clock.clearTimeout(handle)
      options.signal.removeEventListener('abort', onCancel)
    }
  }
}

export function cancelled(): RemoteError {
  return new RemoteError({
    kind: 'cancelled',
    appCode: 'REMOTE_UNAVAILABLE',
    message: 'The sync was cancelled.',
  })
}

/** Names the server and the time it had: a run's error says which remote went quiet. */
export function timeout(host: string, timeoutMs: number): RemoteError {
  const seconds = Math.max(1, Math.round(timeoutMs / 1000))
  return new RemoteError({
    kind: 'timeout',
    appCode: 'REMOTE_UNAVAILABLE',
    message: `“${host}” did not answer within ${seconds} s.`,
  })
}

export function notDialect(host: string, what: string): RemoteError {
  return new RemoteError({
    kind: 'not-dialect',
    appCode: 'VALIDATION',
    message: `“${host}” ${what}: it does not look like the API this remote is set up for.`,
  })
}

export function unsupported(message: string): RemoteError {
  return new RemoteError({ kind: 'unsupported', appCode: 'VALIDATION', message })
}
