import { useState, type FormEvent } from 'react'
import { KeyValueRows } from '../../components/KeyValueRows'
import { FormFooter } from '../../components/FormFooter'
import { Modal } from '../../components/Modal'
import { TextField } from '../../components/TextField'
import { api } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { useUiStore } from '../../stores/ui-store'
import { toast } from '../toasts/toast-store'
import { metadataFromRows, validateUpdate, type FieldErrors, type KeyValueRow } from './connection-form'
import { metadataValueText } from './format'
import { useLoadConnection } from './useLoadConnection'
import { useMainSubmit } from './useMainSubmit'

/** connections.update changes the name and metadata; the secret is changed by Rotate (connections.rotate). */
export function EditConnectionDialog({ id, onClose }: { id: string; onClose(): void }) {
  const [loaded, setLoaded] = useState(false)
  const [displayName, setDisplayName] = useState('')
  const [metadata, setMetadata] = useState<KeyValueRow[]>([])
  // What was loaded, so the unsaved-changes guard asks only when something differs.
  const [initial, setInitial] = useState<string>('')
  const openDialog = useUiStore((s) => s.openDialog)
  const { busy, serverError, setServerError, run } = useMainSubmit()
  const invalidate = useConnectionsQuery((s) => s.invalidate)

  useLoadConnection(
    id,
    (connection) => {
      const rows = Object.entries(connection.metadata ?? {}).map(([key, value]) => ({
        key,
        value: metadataValueText(value),
      }))
      setDisplayName(connection.displayName)
      setMetadata(rows)
      setInitial(JSON.stringify([connection.displayName, rows]))
      setLoaded(true)
    },
    setServerError,
  )

  const errors: FieldErrors = loaded
    ? { ...serverError?.fields, ...validateUpdate(id, displayName, metadata) }
    : {}

  const dirty = loaded && JSON.stringify([displayName, metadata]) !== initial

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (Object.keys(validateUpdate(id, displayName, metadata)).length > 0) return
    await run(async () => {
      const connection = await api().connections.update({
        id,
        displayName: displayName.trim(),
        metadata: metadataFromRows(metadata),
      })
      toast(`Saved “${connection.displayName}”.`)
      invalidate()
      onClose()
    })
  }

  return (
    <Modal open onClose={onClose} title="Edit connection" wide dirty={dirty}>
      <form onSubmit={submit} noValidate className="form">
        <TextField
          label="Name"
          value={displayName}
          onChange={(value) => {
            setDisplayName(value)
            setServerError(null)
          }}
          error={errors.displayName}
          disabled={!loaded}
        />
        <p className="muted small">
          The secret is changed with{' '}
          <button
            type="button"
            className="link-button"
            // Leaving for Rotate would drop the edits typed here: save or cancel them first.
            disabled={dirty}
            onClick={() => openDialog({ kind: 'rotate', id })}
          >
            Rotate
          </button>
          , which keeps the id and flows{dirty ? ' (save or cancel these changes first)' : ''}.
        </p>
        <h3>Metadata</h3>
        <KeyValueRows
          label="Metadata"
          rows={metadata}
          onChange={(rows) => {
            setMetadata(rows)
            setServerError(null)
          }}
          error={errors.metadata}
        />
        <FormFooter
          error={serverError?.message}
          onCancel={onClose}
          submitLabel="Save"
          busy={busy}
          disabled={!loaded}
        />
      </form>
    </Modal>
  )
}
