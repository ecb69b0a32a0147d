/**
 * The one error type that crosses every transport. Its wire form is the seeds' error object:
 * `{ statusCode, code, params: { message, ... } }`. Main throws it from handlers; the client rebuilds it.
 */
export const ERROR_STATUS = {
  VALIDATION: 400,
  AUTHENTICATION: 401,
  FORBIDDEN: 403,
  ENTITY_NOT_FOUND: 404,
  CONFLICT: 409,
  VAULT_LOCKED: 423,
  INTERNAL: 500,
  OAUTH_FAILED: 502,
  REMOTE_UNAVAILABLE: 503,
  INTEGRITY: 500,
  VAULT_UNAVAILABLE: 409,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export interface ErrorParams {
  message: string
  entityType?: string
  entityId?: string
  /** Which input fields were refused, for forms that show the error beside the field. */
  issues?: { path: string; message: string }[]
  [extra: string]: unknown
}

export interface ErrorObject {
  statusCode: number
  code: ErrorCode
  params: ErrorParams
}

export class AppError extends Error implements ErrorObject {
  readonly statusCode: number
  readonly code: ErrorCode
  readonly params: ErrorParams

  constructor(code: ErrorCode, params: ErrorParams) {
    super(params.message)
    this.name = 'AppError'
    this.code = code
    this.statusCode = ERROR_STATUS[code]
    this.params = params
  }

  toObject(): ErrorObject {
    return { statusCode: this.statusCode, code: this.code, params: this.params }
  }

  static fromObject(object: ErrorObject): AppError {
    return new AppError(object.code, object.params)
  }
}

export function isErrorObject(value: unknown): value is ErrorObject {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<ErrorObject>
  return (
    typeof candidate.statusCode === 'number' &&
    typeof candidate.code === 'string' &&
    candidate.code in ERROR_STATUS &&
    typeof candidate.params === 'object' &&
    candidate.params !== null &&
    typeof candidate.params.message === 'string'
  )
}

export const validationError = (message: string, issues?: ErrorParams['issues']): AppError =>
  new AppError('VALIDATION', issues ? { message, issues } : { message })

export const notFoundError = (entityType: string, entityId: string, message: string): AppError =>
  new AppError('ENTITY_NOT_FOUND', { entityType, entityId, message })

/** Every unknown failure becomes this: no message, stack or secret from inside ever leaves main. */
export const internalError = (): AppError =>
  new AppError('INTERNAL', { message: 'Something went wrong inside Latchkey. Nothing was changed.' })

/** The envelope answers travel in over Electron IPC, where `invoke` keeps only an error's message. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorObject }
