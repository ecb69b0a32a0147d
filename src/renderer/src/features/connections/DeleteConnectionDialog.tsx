import { useEffect, useState } from 'react'
import type { AppConnection } from '../../../../shared/contract'
import type { AppError } from '../../../../shared/errors'
import { Modal } from '../../components/Modal'
import { api, asAppError } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { useSelectionStore } from '../../stores/selection-store'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'

/** The seed refuses a delete over active flows with 400 VALIDATION "Connection is used in N active flows…". */
function activeFlowCount(error: AppError): number | null {
  if (error.code !== 'VALIDATION') return null
  for (const key of ['activeFlows', 'flowCount', 'count']) {
    const value = error.params[key]
    if (typeof value === 'number') return value
  }
  const match = /used in (\d+) active flow/i.exec(error.params.message)
  return match ? Number(match[1]) : null
}

export function DeleteConnectionDialog({ id, onClose }: { id: string; onClose(): void }) {
  const [connection, setConnection] = useState<AppConnection | null>(null)
  const [refusal, setRefusal] = useState<{ flows: number | null; message: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const invalidate = useConnectionsQuery((s) => s.invalidate)
  const closeDetail = useSelectionStore((s) => s.open)

  useEffect(() => {
    let current = true
    api()
      .connections.get({ id })
      .then((c) => current && setConnection(c))
      .catch(handleLockedError)
    return () => {
      current = false
    }
  }, [id])

  async function remove(force: boolean) {
    setBusy(true)
    try {
      const { placeholder } = await api().connections.delete({ id, force })
      toast(
        placeholder
          ? `Deleted “${connection?.displayName ?? id}”. Its flows now point at a MISSING placeholder.`
          : `Deleted “${connection?.displayName ?? id}”.`,
      )
      closeDetail(placeholder ? placeholder.id : null)
      invalidate()
      onClose()
    } catch (failure) {
      handleLockedError(failure)
      const error = asAppError(failure)
      const flows = activeFlowCount(error)
      if (flows !== null) setRefusal({ flows, message: error.params.message })
      else setRefusal({ flows: null, message: error.params.message })
    } finally {
      setBusy(false)
    }
  }

  const name = connection?.displayName ?? 'this connection'
  return (
    <Modal
      open
      onClose={onClose}
      title={`Delete “${name}”?`}
      role="alertdialog"
      description="The secret is destroyed. This cannot be undone."
    >
      {refusal ? (
        <div className="refusal" role="alert">
          {refusal.flows !== null ? (
            <>
              <p>
                <strong>
                  It is used in {refusal.flows} active {refusal.flows === 1 ? 'flow' : 'flows'}.
                </strong>{' '}
                Deleting it anyway leaves a MISSING placeholder, so those flows keep their reference and show
                what to reconnect.
              </p>
              <p className="muted small">{refusal.message}</p>
            </>
          ) : (
            <p>{refusal.message}</p>
          )}
        </div>
      ) : null}
      <div className="button-row end">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        {refusal?.flows != null ? (
          <button type="button" className="danger" disabled={busy} onClick={() => void remove(true)}>
            Delete anyway
          </button>
        ) : (
          <button type="button" className="danger" disabled={busy} onClick={() => void remove(false)}>
            Delete
          </button>
        )}
      </div>
    </Modal>
  )
}
