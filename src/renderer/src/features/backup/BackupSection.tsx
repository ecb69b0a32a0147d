import { useState, type FormEvent } from 'react'
import { FormError } from '../../components/FormError'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { PasswordField } from '../unlock/PasswordField'
import { downloadFile, saveFile } from './transfer-files'

/** backup.create, then the encrypted file to the person's downloads. */
export function BackupSection() {
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const file = await api().backup.create({ password })
      setPassword('')
      saveFile(await downloadFile(file.transferId), file.fileName)
      toast(
        `Backup of ${file.connections} ${file.connections === 1 ? 'connection' : 'connections'} saved as ${file.fileName}.`,
      )
    } catch (failure) {
      handleLockedError(failure)
      setError(asAppError(failure).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="form transfer-section" onSubmit={submit} aria-labelledby="backup-title" noValidate>
      <h3 id="backup-title">Encrypted backup</h3>
      <p className="muted small">
        The whole vault in one file: connections and their secrets, the audit log, policies, remotes and
        settings. It is encrypted with your master password, names included, and opens on any machine with
        that password.
      </p>
      <PasswordField
        label="Master password for the backup"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
      />
      <FormError error={error} />
      <div className="form-footer">
        <button type="submit" className="primary" disabled={busy || password === ''}>
          {busy ? 'Backing up…' : 'Download encrypted backup'}
        </button>
      </div>
    </form>
  )
}
