import { useState, type FormEvent } from 'react'
import type { AppConnection } from '../../../../shared/contract'
import { FormFooter } from '../../components/FormFooter'
import { Modal } from '../../components/Modal'
import { api } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { useSelectionStore } from '../../stores/selection-store'
import { toast } from '../toasts/toast-store'
import { emptyForm, toValue, validateValue, valueTyped, type ConnectionForm } from './connection-form'
import { typeLabel } from './format'
import { useLoadConnection } from './useLoadConnection'
import { useMainSubmit } from './useMainSubmit'
import { ValueFields } from './ValueFields'

/** A placeholder or a connection whose value only the remote held: it is given one, not rotated. */
export const needsCredentials = (connection: AppConnection) =>
  connection.status === 'MISSING' || !connection.hasValue

export const rotateLabel = (connection: AppConnection) =>
  needsCredentials(connection) ? 'Provide credentials' : 'Rotate'

/**
 * connections.rotate: the type's own fields for the new value, empty (the old secret is never put
 * back on screen), and the promise that nothing else moves. Success lands on the connection.
 */
export function RotateDialog({ id, onClose }: { id: string; onClose(): void }) {
  const [connection, setConnection] = useState<AppConnection | null>(null)
  const [form, setForm] = useState<ConnectionForm>(emptyForm)
  const [submitted, setSubmitted] = useState(false)
  const { busy, serverError, setServerError, run } = useMainSubmit()
  const invalidate = useConnectionsQuery((s) => s.invalidate)
  const openDetail = useSelectionStore((s) => s.open)

  useLoadConnection(
    id,
    (loaded) => {
      setConnection(loaded)
      // The connection's type decides the fields; the token type keeps the create form's default.
      setForm({ ...emptyForm(), type: loaded.type })
    },
    setServerError,
  )

  const errors = submitted && connection ? { ...serverError?.fields, ...validateValue(form) } : {}
  const patch = (next: Partial<ConnectionForm>) => {
    setForm((f) => ({ ...f, ...next }))
    setServerError(null)
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!connection) return
    setSubmitted(true)
    if (Object.keys(validateValue(form)).length > 0) return
    await run(async () => {
      const saved = await api().connections.rotate({ id, value: toValue(form) })
      toast(
        needsCredentials(connection)
          ? `“${saved.displayName}” has its credentials and is active again.`
          : `New value saved for “${saved.displayName}”.`,
      )
      invalidate()
      openDetail(saved.id)
      onClose()
    })
  }

  const providing = connection ? needsCredentials(connection) : false
  const name = connection?.displayName ?? 'connection'
  return (
    <Modal
      open
      onClose={onClose}
      title={providing ? `Provide credentials for “${name}”` : `Rotate “${name}”`}
      description={
        providing
          ? 'Enter the value this connection should hold. It keeps its id and its flows, and becomes active again.'
          : 'Enter the new value. The connection keeps its id and flows; the old value is replaced.'
      }
      dirty={valueTyped(form)}
      wide
    >
      <form onSubmit={submit} noValidate className="form rotate-form">
        {connection ? (
          <>
            <p className="muted small">
              {typeLabel(connection.type)} · {connection.pieceName} · external id{' '}
              <span className="mono">{connection.externalId}</span>
              {connection.flowIds.length > 0
                ? ` · used by ${connection.flowIds.length} ${connection.flowIds.length === 1 ? 'flow' : 'flows'}`
                : ''}
            </p>
            <ValueFields form={form} errors={errors} patch={patch} autoFocus />
          </>
        ) : null}
        <FormFooter
          error={serverError?.message}
          onCancel={onClose}
          submitLabel={providing ? 'Save credentials' : 'Save new value'}
          busy={busy}
          disabled={!connection}
        />
      </form>
    </Modal>
  )
}
