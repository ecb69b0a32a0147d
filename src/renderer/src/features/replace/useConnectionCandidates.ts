import { useEffect, useState } from 'react'
import type { AppConnection, ConnectionStatus } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

export interface CandidateFilter {
  pieceName?: string
  /** undefined: any remote; null: local connections only. */
  remoteId?: string | null
  status?: ConnectionStatus[]
  /** Never offer this one (the source, when picking a target). */
  excludeId?: string
  /** Only connections with credentials: a placeholder would leave flows as broken as before. */
  withValue?: boolean
}

/** Enough to choose from; more letters narrow it, as the palette does. */
const AT_MOST = 50

/**
 * Connections matching a filter and the typed name, from main's list (never the whole vault).
 * Answers to older text are dropped; typing waits 120 ms so each key does not cost a query.
 */
export function useConnectionCandidates(filter: CandidateFilter, search: string, enabled = true) {
  const [candidates, setCandidates] = useState<AppConnection[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const { pieceName, remoteId, excludeId, withValue } = filter
  const status = filter.status?.join(',')
  useEffect(() => {
    if (!enabled) return
    let current = true
    const needle = search.trim().slice(0, 200)
    const timer = setTimeout(() => {
      api()
        .connections.list({
          sort: 'displayName',
          limit: AT_MOST,
          ...(pieceName ? { pieceName } : {}),
          ...(remoteId !== undefined ? { remoteId } : {}),
          ...(status ? { status: status.split(',') as ConnectionStatus[] } : {}),
          ...(needle ? { displayName: needle } : {}),
        })
        .then((page) => {
          if (!current) return
          setError(null)
          setCandidates(page.data.filter((c) => c.id !== excludeId && (!withValue || c.hasValue)))
        })
        .catch((failure: unknown) => {
          handleLockedError(failure)
          if (current) setError(asAppError(failure).params.message)
        })
    }, 120)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [enabled, pieceName, remoteId, status, excludeId, withValue, search])
  return { candidates, error }
}
