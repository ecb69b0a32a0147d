import { useEffect, useState } from 'react'
import type { AppConnection } from '../../../../shared/contract'
import { Modal } from '../../components/Modal'
import { api, asAppError } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { useSelectionStore } from '../../stores/selection-store'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { deleteRefusalOf, type DeleteRefusal } from './delete-refusal'

export function DeleteConnectionDialog({ id, onClose }: { id: string; onClose(): void }) {
  const [connection, setConnection] = useState<AppConnection | null>(null)
  const [refusal, setRefusal] = useState<DeleteRefusal | null>(null)
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
      setRefusal(deleteRefusalOf(asAppError(failure)))
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
          {refusal.kind === 'in-use' ? (
            <>
              <p>
                <strong>
                  It is used in {refusal.activeFlows} active {refusal.activeFlows === 1 ? 'flow' : 'flows'}.
                </strong>{' '}
                Deleting it anyway leaves a MISSING placeholder, so those flows keep their reference and show
                what to reconnect.
              </p>
              {refusal.flowIds.length > 0 ? (
                <p className="muted small">
                  Active {refusal.flowIds.length === 1 ? 'flow' : 'flows'}:{' '}
                  <span className="mono">{refusal.flowIds.join(', ')}</span>
                </p>
              ) : null}
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
        {refusal?.kind === 'in-use' ? (
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
