import { useEffect, useState } from 'react'
import type { AuditPage } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

export interface AuditFilters {
  action: string
  connectionId: string | null
  /** datetime-local text ("2026-11-30T09:00"), in the person's own time zone; empty for open. */
  since: string
  until: string
}

export const NO_FILTERS: AuditFilters = { action: '', connectionId: null, since: '', until: '' }

/** A datetime-local value is local time; main wants an instant. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined)

/** One page of the log for these filters at this cursor; a new filter starts at the newest page. */
export function useAuditPage(filters: AuditFilters, cursor: string | null, pageSize: number) {
  const [page, setPage] = useState<AuditPage | null>(null)
  const [error, setError] = useState<string | null>(null)
  const { action, connectionId, since, until } = filters
  useEffect(() => {
    let current = true
    const sinceIso = instant(since)
    const untilIso = instant(until)
    api()
      .audit.list({
        limit: pageSize,
        ...(action ? { actions: [action] } : {}),
        ...(connectionId ? { entityId: connectionId } : {}),
        ...(sinceIso ? { since: sinceIso } : {}),
        ...(untilIso ? { until: untilIso } : {}),
        ...(cursor ? { cursor } : {}),
      })
      .then((answer) => {
        if (!current) return
        setPage(answer)
        setError(null)
      })
      .catch((failure: unknown) => {
        handleLockedError(failure)
        if (!current) return
        setPage(null)
        setError(asAppError(failure).params.message)
      })
    return () => {
      current = false
    }
  }, [action, connectionId, since, until, cursor, pageSize])
  return { page, error }
}
