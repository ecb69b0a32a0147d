import * as oauth from 'oauth4webapi'
import type { Fetch } from '../adapters/fetch'

/** Every request to a provider gives up after this long: a hung provider must not hold a flow or a refresh. */
export const TOKEN_REQUEST_TIMEOUT_MS = 20_000

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost'])

/**
 * oauth4webapi's options for one request: the host's fetch, a timeout, and plain http only for a
 * server on this machine (a development or test authorization server); anything else must be https.
 */
export function requestOptions(fetchAdapter: Fetch, url: string) {
  return {
    [oauth.customFetch]: fetchAdapter as typeof fetch,
    [oauth.allowInsecureRequests]: isLoopbackHttp(url),
    signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
  }
}

export function isLoopbackHttp(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)
  } catch {
    return false
  }
}

/**
 * Latchkey stores what the provider issues and does not use the token itself, so any token_type is
 * accepted (Slack answers "bot" or "user"), not only bearer and DPoP.
 */
export const anyTokenType = new Proxy({}, { get: () => () => undefined, has: () => true }) as Record<
  string,
  (response: Response, body: oauth.TokenEndpointResponse) => void
>
