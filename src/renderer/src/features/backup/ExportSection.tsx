import { useState, type FormEvent } from 'react'
import { PLAINTEXT_EXPORT_RISK, type ExportFormat } from '../../../../shared/contract/transfer'
import { Modal } from '../../components/Modal'
import { FormError } from '../../components/FormError'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { PasswordField } from '../unlock/PasswordField'
import { saveFile } from './transfer-files'

/** export.plaintext, only after a confirmation that names the risk and the master password. */
export function ExportSection() {
  const [format, setFormat] = useState<ExportFormat>('latchkey-json')
  const [open, setOpen] = useState(false)
  const [understood, setUnderstood] = useState(false)
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  function close() {
    setOpen(false)
    setUnderstood(false)
    setPassword('')
    setError(null)
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!understood) return
    setBusy(true)
    setError(null)
    try {
      const exported = await api().export.plaintext({ format, password, acknowledgeRisk: true })
      saveFile(new Blob([exported.text], { type: 'text/plain' }), exported.fileName)
      close()
      toast(
        `Exported ${exported.connections} ${exported.connections === 1 ? 'connection' : 'connections'} in plain text as ${exported.fileName}. Delete the file when you are done with it.`,
      )
    } catch (failure) {
      handleLockedError(failure)
      setError(asAppError(failure).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="transfer-section" aria-labelledby="export-title">
      <h3 id="export-title">Export in plain text</h3>
      <p className="muted small">
        For moving to another tool: JSON in the connections API&apos;s shape (Latchkey imports it back as it
        was), or a .env file with one variable per secret. Not a backup: use the encrypted backup for that.
      </p>
      <div className="field">
        <label htmlFor="export-format">Format</label>
        <select
          id="export-format"
          value={format}
          onChange={(event) => setFormat(event.target.value as ExportFormat)}
        >
          <option value="latchkey-json">JSON (connections API shape)</option>
          <option value="env">.env file</option>
        </select>
      </div>
      <div className="form-footer">
        <button type="button" onClick={() => setOpen(true)}>
          Export…
        </button>
      </div>
      <Modal open={open} onClose={close} title="Export every secret in plain text?" role="alertdialog">
        <form className="form" onSubmit={submit} noValidate>
          <p className="warning">{PLAINTEXT_EXPORT_RISK}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={understood}
              onChange={(event) => setUnderstood(event.target.checked)}
            />
            I understand that the file is not encrypted
          </label>
          <PasswordField
            label="Master password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
          />
          <FormError error={error} />
          <div className="form-footer">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="danger" disabled={busy || !understood || password === ''}>
              {busy ? 'Exporting…' : 'Export in plain text'}
            </button>
          </div>
        </form>
      </Modal>
    </section>
  )
}
