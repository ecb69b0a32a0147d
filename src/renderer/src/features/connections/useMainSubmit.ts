import { useState } from 'react'
import { asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { serverFieldErrors, type FieldErrors } from './connection-form'

export interface ServerError {
  message: string
  fields: FieldErrors
  /** A CONFLICT names the connection that is already there, so the form can lead to it. */
  conflictId?: string
}

/**
 * A form's call to main: busy while it runs, and main's refusal kept as a message plus the errors
 * of the fields it names, so the form shows them where they belong. A lock sends the app to unlock.
 */
export function useMainSubmit() {
  const [busy, setBusy] = useState(false)
  const [serverError, setServerError] = useState<ServerError | null>(null)

  async function run(work: () => Promise<void>): Promise<void> {
    setBusy(true)
    try {
      await work()
    } catch (failure) {
      handleLockedError(failure)
      const error = asAppError(failure)
      const conflictId = error.code === 'CONFLICT' ? error.params.entityId : undefined
      setServerError({
        message: error.params.message,
        fields: serverFieldErrors(error.params),
        ...(typeof conflictId === 'string' ? { conflictId } : {}),
      })
    } finally {
      setBusy(false)
    }
  }

  return { busy, serverError, setServerError, run }
}
