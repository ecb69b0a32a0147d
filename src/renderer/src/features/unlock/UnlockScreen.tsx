import { useState, type FormEvent } from 'react'
import type { LockReason } from '../../../../shared/contract'
import { useVaultStore, vaultSelectors } from '../../stores/vault-store'
import { KeychainUnavailable } from './KeychainUnavailable'
import { PasswordField } from './PasswordField'
import { AppInfoBadge } from '../shell/AppInfoBadge'

const REASONS: Record<LockReason, string> = {
  manual: 'Locked.',
  idle: 'Locked after a period of inactivity.',
  suspend: 'Locked when the system went to sleep or the screen locked.',
  shutdown: 'Locked.',
  restore:
    'The backup was restored in place of this vault. Unlock it with the master password it was backed up with.',
}

export function UnlockScreen() {
  const [password, setPassword] = useState('')
  // "Wrong password" is only true of a password attempt; a keychain refusal says its own reason.
  const [method, setMethod] = useState<'password' | 'keychain'>('password')
  const busy = useVaultStore(vaultSelectors.busy)
  const error = useVaultStore(vaultSelectors.error)
  const keychain = useVaultStore(vaultSelectors.keychain)
  const lockReason = useVaultStore(vaultSelectors.lockReason)
  const path = useVaultStore(vaultSelectors.path)
  const unlock = useVaultStore((s) => s.unlock)
  const unlockWithKeychain = useVaultStore((s) => s.unlockWithKeychain)
  // Refused before it ran (too many wrong passwords): main's message says how long to wait.
  const waiting =
    error?.code === 'AUTHENTICATION' &&
    (error.params as { retryAfterSeconds?: number }).retryAfterSeconds !== undefined
  const wrongPassword = method === 'password' && error?.code === 'AUTHENTICATION' && !waiting

  async function submit(event: FormEvent) {
    event.preventDefault()
    setMethod('password')
    const ok = await unlock(password)
    // Never keep a password around longer than the attempt: wrong or right, the field empties.
    setPassword('')
    if (!ok) document.querySelector<HTMLInputElement>('.gate input[autocomplete="current-password"]')?.focus()
  }

  function unlockFromKeychain() {
    setMethod('keychain')
    void unlockWithKeychain()
  }

  return (
    <main className="gate">
      <form className="gate-card" onSubmit={submit} aria-labelledby="unlock-title">
        <h1 id="unlock-title">Unlock Latchkey</h1>
        {lockReason && lockReason !== 'manual' ? <p className="notice">{REASONS[lockReason]}</p> : null}
        <PasswordField
          label="Master password"
          value={password}
          onChange={setPassword}
          autoFocus
          autoComplete="current-password"
          invalid={wrongPassword}
          describedBy={error ? 'unlock-error' : undefined}
        />
        {error && (
          <p id="unlock-error" className="form-error" role="alert">
            {wrongPassword ? 'Wrong password. Try again.' : error.params.message}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || password.length === 0}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
        {keychain.enrolled && keychain.available ? (
          <button type="button" disabled={busy} onClick={unlockFromKeychain}>
            Unlock with system keychain
          </button>
        ) : null}
        {keychain.enrolled && !keychain.available ? (
          <KeychainUnavailable reason={keychain.reason} instead="Unlock with your master password." />
        ) : null}
        {path ? <p className="muted small">Vault: {path}</p> : null}
      </form>
      <footer className="gate-footer">
        <AppInfoBadge />
      </footer>
    </main>
  )
}
