import { RemoteError, type RemoteErrorKind } from './remote-error'

const KIND_BY_CODE: Record<string, RemoteErrorKind> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ENETUNREACH: 'offline',
  EHOSTUNREACH: 'offline',
  ENETDOWN: 'offline',
  EHOSTDOWN: 'offline',
  EADDRNOTAVAIL: 'offline',
}

// OpenSSL and Node name certificate and handshake failures in several families.
const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|EPROTO$|ERR_OSSL_|HOSTNAME_MISMATCH)/

/** The socket-level codes anywhere in an error's cause chain (undici wraps them, sometimes in an AggregateError). */
function codesOf(error: unknown, depth = 0): string[] {
  if (depth > 6 || typeof error !== 'object' || error === null) return []
  const found: string[] = []
  const candidate = error as { code?: unknown; cause?: unknown; errors?: unknown }
  if (typeof candidate.code === 'string') found.push(candidate.code)
  found.push(...codesOf(candidate.cause, depth + 1))
  if (Array.isArray(candidate.errors))
    for (const inner of candidate.errors) found.push(...codesOf(inner, depth + 1))
  return found
}

export function networkKindOf(error: unknown): RemoteErrorKind | null {
  for (const code of codesOf(error)) {
    if (TLS_CODE.test(code)) return 'tls'
    const kind = KIND_BY_CODE[code]
    if (kind) return kind
  }
  return null
}

const MESSAGES: Record<string, (host: string) => string> = {
  dns: (host) => `Could not find the server “${host}” (the name did not resolve). Check the base URL.`,
  tls: (host) =>
    `The secure connection to “${host}” failed: its certificate is not trusted or the TLS handshake failed.`,
  refused: (host) => `“${host}” refused the connection: nothing is listening at that address and port.`,
  timeout: (host) => `“${host}” did not answer in time.`,
  reset: (host) => `The connection to “${host}” was cut before the answer was complete.`,
  offline: (host) => `“${host}” cannot be reached: this computer seems to be offline.`,
}

/** A fetch or body-read failure as a RemoteError; never carries the request (its key) or the cause's text. */
export function networkError(error: unknown, host: string, fallback: RemoteErrorKind = 'reset'): RemoteError {
  const kind = networkKindOf(error) ?? fallback
  const message = (MESSAGES[kind] ?? MESSAGES.reset!)(host)
  return new RemoteError({ kind, appCode: 'REMOTE_UNAVAILABLE', message })
}
