import type { LatchkeyApi } from '../../../shared/client'
import { AppError } from '../../../shared/errors'

/** The one way the renderer reaches main. Read lazily: the web bridge installs it at startup. */
export const api = (): LatchkeyApi => window.latchkey

/** Every failure a component shows is an AppError; anything else becomes a generic one. */
export function asAppError(failure: unknown): AppError {
  if (failure instanceof AppError) return failure
  return new AppError('INTERNAL', { message: 'Something went wrong. Nothing was changed.' })
}
