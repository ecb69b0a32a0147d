import { useCallback, useEffect, useState } from 'react'
import type { FlowReference } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

/** The flows that reference a connection (flows.list), reloadable after a replace moved them. */
export function useFlows(connectionId: string | null) {
  const [flows, setFlows] = useState<FlowReference[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [version, setVersion] = useState(0)
  useEffect(() => {
    setFlows(null)
    setError(null)
    if (!connectionId) return
    let current = true
    api()
      .flows.list({ connectionId })
      .then((found) => current && setFlows(found))
      .catch((failure: unknown) => {
        handleLockedError(failure)
        if (!current) return
        const error = asAppError(failure)
        setError(
          error.code === 'ENTITY_NOT_FOUND' ? 'This connection no longer exists.' : error.params.message,
        )
      })
    return () => {
      current = false
    }
  }, [connectionId, version])
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { flows, error, reload }
}
