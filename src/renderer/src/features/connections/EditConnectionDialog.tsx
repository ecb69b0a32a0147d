import { useEffect, useState, type FormEvent } from 'react'
import { KeyValueRows } from '../../components/KeyValueRows'
import { Modal } from '../../components/Modal'
import { TextField } from '../../components/TextField'
import { api, asAppError } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import {
  metadataFromRows,
  serverFieldErrors,
  validateUpdate,
  type FieldErrors,
  type KeyValueRow,
} from './connection-form'
import { metadataValueText } from './format'

/** connections.update changes the name and metadata; the secret itself is changed by an upsert, not here. */
export function EditConnectionDialog({ id, onClose }: { id: string; onClose(): void }) {
  const [loaded, setLoaded] = useState(false)
  const [displayName, setDisplayName] = useState('')
  const [metadata, setMetadata] = useState<KeyValueRow[]>([])
  const [serverError, setServerError] = useState<{ message: string; fields: FieldErrors } | null>(null)
  const [busy, setBusy] = useState(false)
  const invalidate = useConnectionsQuery((s) => s.invalidate)

  useEffect(() => {
    let current = true
    api()
      .connections.get({ id })
      .then((connection) => {
        if (!current) return
        setDisplayName(connection.displayName)
        setMetadata(
          Object.entries(connection.metadata ?? {}).map(([key, value]) => ({
            key,
            value: metadataValueText(value),
          })),
        )
        setLoaded(true)
      })
      .catch((failure: unknown) => {
        handleLockedError(failure)
        if (current) setServerError({ message: asAppError(failure).params.message, fields: {} })
      })
    return () => {
      current = false
    }
  }, [id])

  const errors: FieldErrors = loaded
    ? { ...serverError?.fields, ...validateUpdate(id, displayName, metadata) }
    : {}

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (Object.keys(validateUpdate(id, displayName, metadata)).length > 0) return
    setBusy(true)
    try {
      const connection = await api().connections.update({
        id,
        displayName: displayName.trim(),
        metadata: metadataFromRows(metadata),
      })
      toast(`Saved “${connection.displayName}”.`)
      invalidate()
      onClose()
    } catch (failure) {
      handleLockedError(failure)
      const error = asAppError(failure)
      setServerError({ message: error.params.message, fields: serverFieldErrors(error.params) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal open onClose={onClose} title="Edit connection" wide>
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
        {serverError ? (
          <p className="form-error" role="alert">
            {serverError.message}
          </p>
        ) : null}
        <div className="button-row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !loaded}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
