import { useEffect, useRef } from 'react'
import type { AppConnection } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import type { useMainSubmit } from './useMainSubmit'

type SetServerError = ReturnType<typeof useMainSubmit>['setServerError']

/**
 * Reads one connection for a dialog that edits it, once per id: hands it to `onLoaded`, or shows
 * main's refusal in the dialog. A dialog closed before the answer ignores it.
 */
export function useLoadConnection(
  id: string,
  onLoaded: (connection: AppConnection) => void,
  setServerError: SetServerError,
): void {
  // The latest callback, without reloading whenever the dialog re-renders with a new closure.
  const loaded = useRef(onLoaded)
  loaded.current = onLoaded
  useEffect(() => {
    let current = true
    api()
      .connections.get({ id })
      .then((connection) => {
        if (current) loaded.current(connection)
      })
      .catch((failure: unknown) => {
        handleLockedError(failure)
        if (current) setServerError({ message: asAppError(failure).params.message, fields: {} })
      })
    return () => {
      current = false
    }
  }, [id, setServerError])
}
