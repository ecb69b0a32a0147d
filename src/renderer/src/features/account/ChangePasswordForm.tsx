import { useState, type FormEvent } from 'react'
import { passwordStrength } from '../../../../shared/password-strength'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { PasswordField } from '../unlock/PasswordField'

const LABELS = ['Too short', 'Weak', 'Fair', 'Good', 'Strong'] as const

/**
 * vault.changePassword. Main re-wraps the vault key under the new password (nothing is
 * re-encrypted), so it is quick; the passwords live in this form's state only until it answers.
 */
export function ChangePasswordForm() {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // The same rule main enforces, so the meter never promises what main refuses.
  const strength = passwordStrength(next)
  const label = strength.acceptable ? LABELS[strength.score] : next.length < 12 ? 'Too short' : 'Weak'

  async function submit(event: FormEvent) {
    event.preventDefault()
    setError(null)
    if (next !== confirm) {
      setMismatch(true)
      return
    }
    setMismatch(false)
    if (next === current) {
      setError('The new password is the one you already have. Choose a different one.')
      return
    }
    setBusy(true)
    try {
      await api().vault.changePassword({ currentPassword: current, newPassword: next })
      setCurrent('')
      setNext('')
      setConfirm('')
      toast('Master password changed. Use the new one the next time you unlock.')
    } catch (failure) {
      handleLockedError(failure)
      const refusal = asAppError(failure)
      setError(
        refusal.code === 'AUTHENTICATION'
          ? 'That is not your current master password, so nothing was changed.'
          : refusal.params.message,
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="form account-section" onSubmit={submit} aria-labelledby="password-title" noValidate>
      <h3 id="password-title">Master password</h3>
      <p className="muted small">
        It encrypts the key that opens every connection. Changing it does not re-encrypt them, and it cannot
        be recovered: keep the new one somewhere safe.
      </p>
      <PasswordField
        label="Current master password"
        value={current}
        onChange={setCurrent}
        autoComplete="current-password"
      />
      <PasswordField
        label="New master password"
        value={next}
        onChange={setNext}
        autoComplete="new-password"
        describedBy="new-strength-hint"
      />
      <div className="strength" data-score={strength.score}>
        <meter
          min={0}
          max={4}
          low={2}
          high={3}
          optimum={4}
          value={strength.score}
          aria-label="New password strength"
          aria-valuetext={label}
        />
        <span id="new-strength-hint">
          <strong>{next ? label : 'Strength'}</strong>
          {next && strength.feedback ? ` — ${strength.feedback}` : ''}
        </span>
      </div>
      <PasswordField
        label="Confirm new master password"
        value={confirm}
        onChange={setConfirm}
        autoComplete="new-password"
        invalid={mismatch}
        describedBy={mismatch ? 'new-mismatch' : undefined}
      />
      {mismatch ? (
        <p id="new-mismatch" className="field-error" role="alert">
          The two new passwords differ.
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy || !current || !strength.acceptable}>
          {busy ? 'Changing…' : 'Change master password'}
        </button>
      </div>
    </form>
  )
}
