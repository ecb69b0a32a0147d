import type { RemoteFailure } from '../../shared/contract/remotes'
import type { SyncFailure } from '../../shared/contract/sync'
import { isAppError } from '../../shared/errors'
import { isRemoteError, type RemoteError } from './dialects/remote-error'

/** The word a person acts on: a 401 is the key, a 403 its rights, a 404 the base URL. */
export function failureOf(error: RemoteError): RemoteFailure {
  if (error.kind === 'cancelled') return 'offline'
  if (error.kind !== 'http') return error.kind
  if (error.status === 401) return 'unauthorized'
  if (error.status === 403) return 'forbidden'
  if (error.status === 404) return 'wrong-path'
  return 'http'
}

/** Any failure of a sync step as the UI shows it; an unknown error says nothing from inside. */
export function syncFailureOf(error: unknown, nowMs: number): SyncFailure {
  const at = new Date(nowMs).toISOString()
  if (isRemoteError(error)) {
    return {
      code: error.appCode,
      message: error.message,
      failure: failureOf(error),
      status: error.status ?? null,
      at,
    }
  }
  if (isAppError(error)) {
    return { code: error.code, message: error.message, failure: null, status: null, at }
  }
  return {
    code: 'INTERNAL',
    message: 'Something went wrong inside Latchkey while syncing. Nothing was lost; it will try again.',
    failure: null,
    status: null,
    at,
  }
}

export function parseFailure(text: string | null): SyncFailure | null {
  if (text === null) return null
  try {
    return JSON.parse(text) as SyncFailure
  } catch {
    return null
  }
}
