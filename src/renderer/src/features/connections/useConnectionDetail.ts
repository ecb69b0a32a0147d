import { useEffect, useState } from 'react'
import type { AppConnection, AuditEntry, FlowReference } from '../../../../shared/contract'
import type { AppError } from '../../../../shared/errors'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

export interface ConnectionDetail {
  connection: AppConnection | null
  flows: FlowReference[] | null
  audit: AuditEntry[] | null
  error: AppError | null
}

const EMPTY: ConnectionDetail = { connection: null, flows: null, audit: null, error: null }

/** The open connection, the flows that use it and its audit trail; refetched when main says it changed. */
export function useConnectionDetail(id: string): ConnectionDetail {
  const [detail, setDetail] = useState<ConnectionDetail & { id: string }>({ ...EMPTY, id })
  const [revision, setRevision] = useState(0)

  useEffect(
    () =>
      window.latchkey.on('connections.changed', (change) => {
        if (change.ids.includes(id)) setRevision((r) => r + 1)
      }),
    [id],
  )

  useEffect(() => {
    let current = true
    const load = async () => {
      try {
        const [connection, flows, audit] = await Promise.all([
          api().connections.get({ id }),
          api()
            .flows.list({ connectionId: id })
            .catch(() => null),
          api()
            .audit.list({ entityId: id, limit: 50 })
            .catch(() => null),
        ])
        if (current) setDetail({ id, connection, flows, audit: audit?.data ?? null, error: null })
      } catch (failure) {
        handleLockedError(failure)
        if (current) setDetail({ ...EMPTY, id, error: asAppError(failure) })
      }
    }
    void load()
    return () => {
      current = false
    }
  }, [id, revision])

  // Until the new id's answer arrives, show nothing rather than the previous connection.
  return detail.id === id ? detail : EMPTY
}
