import { useState, type FormEvent } from 'react'
import { useVaultStore, vaultSelectors } from '../../stores/vault-store'
import { KeychainUnavailable } from './KeychainUnavailable'
import { NewPasswordFields } from './NewPasswordFields'
import { passwordStrength } from '../../../../shared/password-strength'
import { AppInfoBadge } from '../shell/AppInfoBadge'

export function CreateVaultScreen() {
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [useKeychain, setUseKeychain] = useState(false)
  const [mismatch, setMismatch] = useState(false)
  const busy = useVaultStore(vaultSelectors.busy)
  const error = useVaultStore(vaultSelectors.error)
  const keychain = useVaultStore(vaultSelectors.keychain)
  const create = useVaultStore((s) => s.create)
  const strength = passwordStrength(password)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (password !== confirm) {
      setMismatch(true)
      return
    }
    setMismatch(false)
    if (await create(password, useKeychain && keychain.available)) {
      setPassword('')
      setConfirm('')
    }
  }

  return (
    <main className="gate">
      <form className="gate-card" onSubmit={submit} aria-labelledby="create-title">
        <h1 id="create-title">Create your vault</h1>
        <p className="muted">
          One master password encrypts every connection on this machine. It cannot be recovered: keep it
          somewhere safe.
        </p>
        <NewPasswordFields
          value={password}
          onChange={setPassword}
          confirm={confirm}
          onConfirmChange={setConfirm}
          strength={strength}
          mismatch={mismatch}
          autoFocus
          labels={{
            password: 'Master password',
            strength: 'Password strength',
            confirm: 'Confirm password',
            mismatch: 'The two passwords differ.',
          }}
        />
        {keychain.available ? (
          <label className="checkbox">
            <input type="checkbox" checked={useKeychain} onChange={(e) => setUseKeychain(e.target.checked)} />
            Also unlock with the system keychain
          </label>
        ) : (
          <KeychainUnavailable reason={keychain.reason} />
        )}
        {error && (
          <p className="form-error" role="alert">
            {error.params.message}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !strength.acceptable}>
          {busy ? 'Creating…' : 'Create vault'}
        </button>
      </form>
      <footer className="gate-footer">
        <AppInfoBadge />
      </footer>
    </main>
  )
}
