import type { LatchkeyApi } from '../../../shared/client'
import { AppError, internalError } from '../../../shared/errors'

/** The one way the renderer reaches main. Read lazily: the bridge installs it at startup. */
export const api = (): LatchkeyApi => window.latchkey

/**
 * Every failure a component shows is an AppError; anything else (a bug in the renderer itself)
 * becomes INTERNAL. Narrow with `isAppError(error, code)` to read one code's typed params.
 */
export function asAppError(failure: unknown): AppError {
  if (failure instanceof AppError) return failure
  return internalError()
}
