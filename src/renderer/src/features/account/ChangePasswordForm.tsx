import { useState, type FormEvent } from 'react'
import { passwordStrength } from '../../../../shared/password-strength'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { NewPasswordFields } from '../unlock/NewPasswordFields'
import { PasswordField } from '../unlock/PasswordField'

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
  const strength = passwordStrength(next)

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
      <NewPasswordFields
        value={next}
        onChange={setNext}
        confirm={confirm}
        onConfirmChange={setConfirm}
        strength={strength}
        mismatch={mismatch}
        idPrefix="new-"
        labels={{
          password: 'New master password',
          strength: 'New password strength',
          confirm: 'Confirm new master password',
          mismatch: 'The two new passwords differ.',
        }}
      />
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
