import { useState, type FormEvent } from 'react'
import { useVaultStore, vaultSelectors } from '../../stores/vault-store'
import { KeychainUnavailable } from './KeychainUnavailable'
import { PasswordField } from './PasswordField'
import { passwordStrength } from '../../../../shared/password-strength'
import { AppInfoBadge } from '../shell/AppInfoBadge'

const LABELS = ['Too short', 'Weak', 'Fair', 'Good', 'Strong'] as const

export function CreateVaultScreen() {
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [useKeychain, setUseKeychain] = useState(false)
  const [mismatch, setMismatch] = useState(false)
  const busy = useVaultStore(vaultSelectors.busy)
  const error = useVaultStore(vaultSelectors.error)
  const keychain = useVaultStore(vaultSelectors.keychain)
  const create = useVaultStore((s) => s.create)
  // The same rule main enforces, so the meter never promises what main refuses.
  const strength = passwordStrength(password)
  const label = strength.acceptable ? LABELS[strength.score] : password.length < 12 ? 'Too short' : 'Weak'

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
        <PasswordField
          label="Master password"
          value={password}
          onChange={setPassword}
          autoFocus
          autoComplete="new-password"
          describedBy="strength-hint"
        />
        <div className="strength" data-score={strength.score}>
          <meter
            min={0}
            max={4}
            low={2}
            high={3}
            optimum={4}
            value={strength.score}
            aria-label="Password strength"
            aria-valuetext={label}
          />
          <span id="strength-hint">
            <strong>{password ? label : 'Strength'}</strong>
            {password && strength.feedback ? ` — ${strength.feedback}` : ''}
          </span>
        </div>
        <PasswordField
          label="Confirm password"
          value={confirm}
          onChange={setConfirm}
          autoComplete="new-password"
          invalid={mismatch}
          describedBy={mismatch ? 'mismatch' : undefined}
        />
        {mismatch && (
          <p id="mismatch" className="field-error" role="alert">
            The two passwords differ.
          </p>
        )}
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
