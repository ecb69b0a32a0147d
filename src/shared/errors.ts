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

/** One input field main refused, so a form shows the error beside that field. */
export interface FieldIssue {
  path: string
  message: string
}

/** What every error carries. The message is for a person: the UI shows it and never parses it. */
export interface BaseErrorParams {
  message: string
  /** Which item of a batch (connections.upsertBatch) failed, counted from 0. */
  item?: number
}

/** The entity an error is about, in the seeds' terms (`app_connection`, `vault`, `procedure`, …). */
export interface EntityParams {
  entityType: string
  entityId: string
}

/** An input main refused: the fields it names, and the entity when there is one. */
export interface InvalidInputParams extends BaseErrorParams, Partial<EntityParams> {
  issues?: FieldIssue[]
  /** Absent here; present only on {@link ConnectionInUseParams}, which it tells apart. */
  activeFlows?: never
}

/** The seed's 400 "Connection is used in N active flows": a delete refused unless forced. */
export interface ConnectionInUseParams extends BaseErrorParams, EntityParams {
  activeFlows: number
  /** The ids of those active flows. */
  flowIds: string[]
}

/** An unlock refused before it ran: too many wrong passwords, wait this long (see vault/unlock-backoff.ts). */
export interface UnlockBackoffParams {
  retryAfterSeconds?: number
}

/** Another process (or this one) holds the vault; the holder is named when it is known. */
export interface VaultUnavailableParams extends BaseErrorParams, Partial<EntityParams> {
  holderPid?: number
  holderHost?: string
}

/** remotes.remove refused because the remote still has changes that never reached it. */
export interface RemotePendingParams {
  pendingChanges?: number
}

/** The params each code carries, as declared; {@link ErrorParamsByCode} is what code uses. */
interface DeclaredErrorParams {
  VALIDATION: InvalidInputParams | ConnectionInUseParams
  AUTHENTICATION: BaseErrorParams & UnlockBackoffParams
  FORBIDDEN: BaseErrorParams
  ENTITY_NOT_FOUND: BaseErrorParams & EntityParams
  CONFLICT: BaseErrorParams & EntityParams & RemotePendingParams
  VAULT_LOCKED: BaseErrorParams
  INTERNAL: BaseErrorParams
  // Sync and OAuth add their own fields here when they land.
  OAUTH_FAILED: BaseErrorParams
  REMOTE_UNAVAILABLE: BaseErrorParams
  INTEGRITY: BaseErrorParams & EntityParams
  VAULT_UNAVAILABLE: VaultUnavailableParams
}

type KeysOf<T> = T extends unknown ? keyof T : never
type AnyErrorParamKey = KeysOf<DeclaredErrorParams[ErrorCode]>
// Each code's params also list every other code's fields as absent, so an error whose code is not
// known yet can still be read field by field (`params.entityId` is `string | undefined`).
type Exclusive<T> = T extends unknown ? T & { [K in Exclude<AnyErrorParamKey, keyof T>]?: undefined } : never

/**
 * The params each code carries, declared once for main and renderer. Main's throw sites are
 * checked against it, and the UI reads these fields instead of parsing sentences. Narrow an
 * error with {@link isAppError} to get one code's exact params.
 */
export type ErrorParamsByCode = { [C in ErrorCode]: Exclusive<DeclaredErrorParams[C]> }

/** The params of an error whose code is not known yet: any code's, every known field readable. */
export type AnyErrorParams = ErrorParamsByCode[ErrorCode]

/** The wire form, one member per code, so checking `code` narrows `params`. */
export type ErrorObject<C extends ErrorCode = ErrorCode> = {
  [K in C]: { statusCode: number; code: K; params: ErrorParamsByCode[K] }
}[C]

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly statusCode: number
  readonly code: C
  readonly params: ErrorParamsByCode[C]

  constructor(code: C, params: ErrorParamsByCode[C]) {
    super(params.message)
    this.name = 'AppError'
    this.code = code
    this.statusCode = ERROR_STATUS[code]
    this.params = params
  }

  toObject(): ErrorObject<C> {
    return { statusCode: this.statusCode, code: this.code, params: this.params } as ErrorObject<C>
  }

  static fromObject<C extends ErrorCode>(object: ErrorObject<C>): AppError<C> {
    return new AppError<C>(object.code, object.params as ErrorParamsByCode[C])
  }
}

/** True for an AppError, of the given code when one is named; its params are then that code's. */
export function isAppError<C extends ErrorCode = ErrorCode>(value: unknown, code?: C): value is AppError<C> {
  return value instanceof AppError && (code === undefined || value.code === code)
}

/** True when an error refused a delete because active flows use the connection. */
export function isConnectionInUse(
  error: unknown,
): error is AppError<'VALIDATION'> & { params: ConnectionInUseParams } {
  return isAppError(error, 'VALIDATION') && typeof error.params.activeFlows === 'number'
}

export function isErrorObject(value: unknown): value is ErrorObject {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as { statusCode?: unknown; code?: unknown; params?: { message?: unknown } | null }
  return (
    typeof candidate.statusCode === 'number' &&
    typeof candidate.code === 'string' &&
    // Own keys only: "constructor" or "toString" is no error code.
    Object.hasOwn(ERROR_STATUS, candidate.code) &&
    typeof candidate.params === 'object' &&
    candidate.params !== null &&
    typeof candidate.params.message === 'string'
  )
}

export const validationError = (message: string, issues?: FieldIssue[]): AppError<'VALIDATION'> =>
  new AppError('VALIDATION', issues ? { message, issues } : { message })

export const notFoundError = (
  entityType: string,
  entityId: string,
  message: string,
): AppError<'ENTITY_NOT_FOUND'> => new AppError('ENTITY_NOT_FOUND', { entityType, entityId, message })

/** Every unknown failure becomes this: no message, stack or secret from inside ever leaves main. */
export const internalError = (): AppError<'INTERNAL'> =>
  new AppError('INTERNAL', { message: 'Something went wrong inside Latchkey. Nothing was changed.' })

/** A remote (a sync server, or browser mode's own server for the web bridge) that does not answer. */
export const remoteUnavailableError = (message: string): AppError<'REMOTE_UNAVAILABLE'> =>
  new AppError('REMOTE_UNAVAILABLE', { message })

/** An OAuth sign-in or refresh that failed; the message names the provider's reason, never a token. */
export const oauthFailedError = (message: string): AppError<'OAUTH_FAILED'> =>
  new AppError('OAUTH_FAILED', { message })

/** The envelope answers travel in over Electron IPC, where `invoke` keeps only an error's message. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorObject }
