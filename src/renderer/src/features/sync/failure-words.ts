import type { RemoteFailure } from '../../../../shared/contract'

/**
 * What to check for each way a remote can fail, beside main's own sentence (which says what
 * happened). One line each, because each cause is fixed in a different place.
 */
const ADVICE: Record<RemoteFailure, string> = {
  dns: 'Check the host name in the base URL, and that this machine can resolve names (network, VPN).',
  tls: "The server's certificate was refused: check the base URL's host, or the server's certificate.",
  refused: 'Nothing answered on that address and port: check the base URL, and that the server is running.',
  timeout: 'The server took too long to answer: check the network, or try again later.',
  reset:
    'The connection was cut before the answer arrived: try again; if it repeats, check a proxy or firewall.',
  offline: 'This machine is offline. Changes wait here and go out once the remote answers.',
  unauthorized: 'The server refused the API key: paste it again, or make a new one on the server.',
  forbidden: "The API key is valid but may not read this project's connections: check its rights.",
  'wrong-path':
    'The server answered, but not at this path: check the base URL (the server address, without /api/v1).',
  'not-dialect':
    'The server answered, but not as the kind of server chosen: check the kind and the base URL.',
  http: 'The server answered with an error: try again later, or ask whoever runs it.',
  unsupported: 'This kind of server has no way to do that.',
}

export const failureAdvice = (failure: RemoteFailure | null): string | null =>
  failure === null ? null : ADVICE[failure]

/** The header's few words for a failed sync; the sentence and the advice are in the Sync view. */
const SHORT: Record<RemoteFailure, string> = {
  dns: 'server name not found',
  tls: 'certificate refused',
  refused: 'server not answering',
  timeout: 'timed out',
  reset: 'connection cut',
  offline: 'offline',
  unauthorized: 'API key refused',
  forbidden: 'no permission',
  'wrong-path': 'wrong base URL',
  'not-dialect': 'not that kind of server',
  http: 'server error',
  unsupported: 'not supported',
}

export const failureShort = (failure: RemoteFailure | null): string =>
  failure === null ? 'open Sync for details' : SHORT[failure]

export const DIALECT_LABELS = { activepieces: 'Activepieces', weavz: 'Weavz' } as const
