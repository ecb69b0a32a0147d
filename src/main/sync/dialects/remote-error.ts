import type { ErrorCode } from '../../../shared/errors'

/**
 * How a remote call failed, in the terms a person can act on: the network kinds come from the
 * socket error, `http` from a status, `not-dialect` from an answer that is not the dialect's shape,
 * `unsupported` from asking a dialect for an endpoint it does not have.
 */
export type RemoteErrorKind =
  | 'dns'
  | 'tls'
  | 'refused'
  | 'timeout'
  | 'reset'
  | 'offline'
  | 'http'
  | 'not-dialect'
  | 'unsupported'
  | 'cancelled'

export interface RemoteErrorInit {
  kind: RemoteErrorKind
  /** The contract error code the failure maps to (VALIDATION, AUTHENTICATION, FORBIDDEN, …). */
  appCode: ErrorCode
  /** For a person; never contains the API key, a secret value or a token. */
  message: string
  status?: number
  retryAfterMs?: number
  /** The remote's own code: Activepieces `{code}` (VALIDATION, ENTITY_NOT_FOUND, …), Fastify's FST_ERR_VALIDATION, Weavz `{code}`. */
  remoteCode?: string
  /** The remote's params as sent (Activepieces `params`), minus anything that could be a secret. */
  remoteParams?: Record<string, unknown>
}

/** Every failure of a dialect client is one of these; the sync engine decides retry from `kind`/`status`. */
export class RemoteError extends Error {
  readonly kind: RemoteErrorKind
  readonly appCode: ErrorCode
  readonly status: number | undefined
  readonly retryAfterMs: number | undefined
  readonly remoteCode: string | undefined
  readonly remoteParams: Record<string, unknown> | undefined

  constructor(init: RemoteErrorInit) {
    super(init.message)
    this.name = 'RemoteError'
    this.kind = init.kind
    this.appCode = init.appCode
    this.status = init.status
    this.retryAfterMs = init.retryAfterMs
    this.remoteCode = init.remoteCode
    this.remoteParams = init.remoteParams
  }

  /**
   * True when trying again later may succeed: the network kinds, 408, 429 and 5xx. Any other 4xx,
   * `not-dialect` and `unsupported` will fail the same way until something changes.
   */
  get transient(): boolean {
    if (this.kind === 'http') {
      const status = this.status ?? 0
      return status === 408 || status === 429 || status >= 500
    }
    return this.kind !== 'not-dialect' && this.kind !== 'unsupported' && this.kind !== 'cancelled'
  }
}

export function isRemoteError(value: unknown): value is RemoteError {
  return value instanceof RemoteError
}
