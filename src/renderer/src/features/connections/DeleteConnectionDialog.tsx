import { useCallback, useEffect, useState } from 'react'
import type { AppConnection } from '../../../../shared/contract'
import { Modal } from '../../components/Modal'
import { api, asAppError } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { useSelectionStore } from '../../stores/selection-store'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { deleteRefusalOf } from './delete-refusal'
import { flowUsageOf, flowsText, usageSentence, type FlowUsage } from './flow-usage'
import { ReplaceConnection } from './ReplaceConnection'

/** The connection and the flows that use it, read when the dialog opens and again after a refusal. */
function useDeleteSubject(id: string) {
  const [connection, setConnection] = useState<AppConnection | null>(null)
  const [usage, setUsage] = useState<FlowUsage | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const load = useCallback(async () => {
    try {
      const [found, flows] = await Promise.all([
        api().connections.get({ id }),
        api().flows.list({ connectionId: id }),
      ])
      setConnection(found)
      setUsage(flowUsageOf(flows))
    } catch (failure) {
      handleLockedError(failure)
      setLoadError(asAppError(failure).params.message)
    }
  }, [id])
  useEffect(() => {
    void load()
  }, [load])
  return { connection, usage, loadError, reload: load }
}

function PlaceholderSentence() {
  return (
    <p className="muted small">
      A “Missing” placeholder keeps its place, so its flows keep their reference but stop working until the
      placeholder is given credentials again.
    </p>
  )
}

/**
 * Delete, saying up front how many flows use the connection. When flows use it, the choices are the
 * two the UI can carry out: move them to another connection, or delete leaving a placeholder.
 */
export function DeleteConnectionDialog({ id, onClose }: { id: string; onClose(): void }) {
  const { connection, usage, loadError, reload } = useDeleteSubject(id)
  const [step, setStep] = useState<'confirm' | 'replace'>('confirm')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const invalidate = useConnectionsQuery((s) => s.invalidate)
  const showInPanel = useSelectionStore((s) => s.open)
  const name = connection?.displayName ?? 'this connection'

  /** Main's refusal: "in use" (flows appeared since the dialog opened) re-reads them and offers the choices. */
  async function refused(failure: unknown) {
    handleLockedError(failure)
    const refusal = deleteRefusalOf(asAppError(failure))
    if (refusal.kind === 'in-use') {
      setProblem(
        `Since this dialog opened, ${refusal.activeFlows === 1 ? 'an active flow has' : `${refusal.activeFlows} active flows have`} started using it. Choose what happens to them.`,
      )
      setStep('confirm')
      await reload()
    } else {
      setProblem(refusal.message)
    }
  }

  async function remove(leavePlaceholder: boolean) {
    setBusy(true)
    setProblem(null)
    try {
      const { placeholder } = await api().connections.delete({ id, force: leavePlaceholder })
      toast(
        placeholder
          ? `Deleted “${name}”. Its flows now point at a “Missing” placeholder.`
          : `Deleted “${name}”.`,
      )
      showInPanel(placeholder ? placeholder.id : null)
      invalidate()
      onClose()
    } catch (failure) {
      await refused(failure)
    } finally {
      setBusy(false)
    }
  }

  async function replaceWith(target: AppConnection) {
    setBusy(true)
    setProblem(null)
    try {
      const { movedFlowReferences } = await api().connections.replace({
        sourceAppConnectionId: id,
        targetAppConnectionId: target.id,
      })
      invalidate()
      // The flows have moved; what is left is a plain delete of a connection nothing uses.
      await api().connections.delete({ id, force: false })
      toast(`Moved ${flowsText(movedFlowReferences)} to “${target.displayName}” and deleted “${name}”.`)
      showInPanel(target.id)
      invalidate()
      onClose()
    } catch (failure) {
      await refused(failure)
    } finally {
      setBusy(false)
    }
  }

  const inUse = usage !== null && usage.total > 0
  // Main removes a placeholder for good rather than leaving another one in its place.
  const isPlaceholder = connection?.status === 'MISSING' && !connection.hasValue
  const description = loadError
    ? undefined
    : usage === null
      ? 'Checking which flows use it…'
      : `${usageSentence(usage)} ${inUse ? '' : 'Its secret is destroyed; this cannot be undone.'}`.trim()

  return (
    <Modal
      open
      onClose={onClose}
      title={step === 'replace' ? `Replace “${name}”` : `Delete “${name}”?`}
      role="alertdialog"
      {...(description ? { description } : {})}
    >
      {loadError || problem ? (
        <p className="form-error" role="alert">
          {loadError ?? problem}
        </p>
      ) : null}
      {step === 'replace' && connection && usage ? (
        <ReplaceConnection
          source={connection}
          usage={usage}
          busy={busy}
          onBack={() => setStep('confirm')}
          onConfirm={(target) => void replaceWith(target)}
        />
      ) : inUse ? (
        <>
          {usage.activeNames.length > 0 ? (
            <p className="muted small" title={usage.activeNames.join(', ')}>
              Active: {usage.activeNames.slice(0, 5).join(', ')}
              {usage.activeNames.length > 5 ? ` and ${usage.activeNames.length - 5} more` : ''}
            </p>
          ) : null}
          <div className="delete-choices" role="group" aria-label="What happens to its flows">
            <div className="delete-choice">
              <button type="button" disabled={busy} onClick={() => setStep('replace')}>
                Replace with another connection…
              </button>
              <p className="muted small">
                Its flows move to another connection of the same piece that you pick.
              </p>
            </div>
            <div className="delete-choice">
              <button type="button" className="danger" disabled={busy} onClick={() => void remove(true)}>
                {isPlaceholder ? 'Delete the placeholder' : 'Delete and leave a placeholder'}
              </button>
              {isPlaceholder ? (
                <p className="muted small">
                  It is already a placeholder: deleting it leaves its flows pointing at a connection this
                  vault no longer has.
                </p>
              ) : (
                <PlaceholderSentence />
              )}
            </div>
          </div>
          <div className="button-row end">
            <button type="button" onClick={onClose} autoFocus>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <div className="button-row end">
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy || usage === null}
            onClick={() => void remove(false)}
          >
            Delete
          </button>
        </div>
      )}
    </Modal>
  )
}
