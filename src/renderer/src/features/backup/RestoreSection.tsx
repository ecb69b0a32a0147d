import { useState, type FormEvent } from 'react'
import { api, asAppError } from '../../stores/api'
import { useVaultStore } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { PasswordField } from '../unlock/PasswordField'
import { uploadFile } from './transfer-files'

/**
 * backup.restore: the backup replaces this vault only after main has checked its password and every
 * byte. The vault is then locked (this screen goes), and opens with the backup's password.
 */
export function RestoreSection() {
  const [file, setFile] = useState<File | null>(null)
  const [password, setPassword] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!file) return
    if (!confirming) {
      setError(null)
      setConfirming(true)
      return
    }
    setError(null)
    try {
      setBusy('Sending the file…')
      const transferId = await uploadFile(file, (done, total) =>
        setBusy(`Sending the file… ${Math.floor((done / Math.max(1, total)) * 100)}%`),
      )
      setBusy('Checking the backup…')
      const restored = await api().backup.restore({ transferId, password })
      setPassword('')
      toast(
        `Restored ${restored.connections} ${restored.connections === 1 ? 'connection' : 'connections'}. Unlock with the backup's master password.`,
      )
      // Main locked the vault it restored; its event moves every window to the unlock screen, and so does this.
      await useVaultStore.getState().refresh()
    } catch (failure) {
      const refusal = asAppError(failure)
      setError(
        refusal.code === 'AUTHENTICATION'
          ? 'That password does not open this backup. Nothing was changed.'
          : refusal.message,
      )
      setConfirming(false)
    } finally {
      setBusy(null)
    }
  }

  return (
    <form className="form transfer-section" onSubmit={submit} aria-labelledby="restore-title" noValidate>
      <h3 id="restore-title">Restore a backup</h3>
      <p className="muted small">
        Replaces everything in this vault with the backup. The current vault is kept beside it as a file, and
        nothing changes unless the password and the file are both right.
      </p>
      <div className="field">
        <label htmlFor="restore-file">Backup file</label>
        <input
          id="restore-file"
          type="file"
          accept=".latchkey,application/octet-stream"
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null)
            setConfirming(false)
          }}
        />
      </div>
      <PasswordField
        label="The backup's master password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
      />
      {confirming ? (
        <p role="alert" className="warning">
          Restoring replaces every connection, setting and audit entry in this vault with the backup&apos;s.
          Press “Replace this vault” to go ahead.
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {busy ? <p role="status">{busy}</p> : null}
      <div className="form-footer">
        {confirming ? (
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        ) : null}
        <button
          type="submit"
          className={confirming ? 'danger' : 'primary'}
          disabled={busy !== null || !file || password === ''}
        >
          {confirming ? 'Replace this vault' : 'Restore…'}
        </button>
      </div>
    </form>
  )
}
