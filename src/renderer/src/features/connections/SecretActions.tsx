import { useCallback, useEffect, useState } from 'react'
import type { AppConnection, ConnectionValue } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { settingsSelectors, useSettingsStore } from '../../stores/settings-store'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { copySecret } from './clipboard'

interface RevealedField {
  /** What clipboard.copySecret calls it: a value field, or a custom auth / OIDC property name. */
  field: string
  label: string
  text: string
  /** Nested objects (an OAuth2 value's `data`) are shown, but main copies only text. */
  copyable: boolean
}

const FIELD_LABELS: Record<string, string> = {
  secret_text: 'secret text',
  access_token: 'access token',
  refresh_token: 'refresh token',
  client_id: 'client id',
  client_secret: 'client secret',
  token_type: 'token type',
  token_url: 'token URL',
  redirect_url: 'redirect URL',
  expires_in: 'expires in',
  claimed_at: 'claimed at',
  grant_type: 'grant type',
  authorization_method: 'authorization method',
}

/** Every field of a value, one row each: a custom auth's properties are its fields. */
function revealedFields(value: ConnectionValue): RevealedField[] {
  const source: Record<string, unknown> =
    value.type === 'CUSTOM_AUTH' || value.type === 'OIDC' ? value.props : value
  return Object.entries(source)
    .filter(([key]) => source !== value || key !== 'type')
    .map(([key, item]) => ({
      field: key,
      label: source === value ? (FIELD_LABELS[key] ?? key) : key,
      text: typeof item === 'string' ? item : JSON.stringify(item),
      copyable:
        typeof item === 'number' || typeof item === 'boolean' || (typeof item === 'string' && item !== ''),
    }))
}

/**
 * Reveal and copy. A revealed value is held here, in this component's state, and nowhere else:
 * it is cleared when hidden, when the timer runs out, when the window loses focus, and on
 * unmount (which locking causes, since the whole unlocked screen goes away).
 */
export function SecretActions({ connection }: { connection: AppConnection }) {
  const [revealed, setRevealed] = useState<ConnectionValue | null>(null)
  const [remaining, setRemaining] = useState(0)
  const [busy, setBusy] = useState(false)
  const hideSeconds = useSettingsStore(settingsSelectors.revealHideSeconds)
  const hide = useCallback(() => {
    setRevealed(null)
    setRemaining(0)
  }, [])

  // A different connection must never show the previous one's value.
  useEffect(() => hide, [connection.id, hide])

  useEffect(() => {
    if (!revealed) return
    const hideTimer = setTimeout(hide, hideSeconds * 1000)
    const countdown = setInterval(() => setRemaining((left) => Math.max(0, left - 1)), 1000)
    window.addEventListener('blur', hide)
    return () => {
      clearTimeout(hideTimer)
      clearInterval(countdown)
      window.removeEventListener('blur', hide)
    }
  }, [revealed, hide, hideSeconds])

  async function reveal() {
    setBusy(true)
    try {
      const { value } = await api().connections.reveal({ id: connection.id })
      setRevealed(value)
      setRemaining(hideSeconds)
    } catch (failure) {
      handleLockedError(failure)
      toast(asAppError(failure).params.message, 'error')
    } finally {
      setBusy(false)
    }
  }

  async function copy(field?: RevealedField) {
    setBusy(true)
    await copySecret(connection.id, field?.field, field?.label)
    setBusy(false)
  }

  if (!connection.hasValue || connection.type === 'NO_AUTH') {
    return (
      <p className="muted small">
        {connection.type === 'NO_AUTH'
          ? 'This connection has no secret.'
          : 'No secret is stored here (held remotely, or missing).'}
      </p>
    )
  }
  return (
    <section aria-label="Secret" className="secret">
      <div className="button-row">
        {revealed ? (
          <button type="button" onClick={hide}>
            Hide
          </button>
        ) : (
          <button type="button" onClick={() => void reveal()} disabled={busy}>
            Reveal
          </button>
        )}
        <button type="button" onClick={() => void copy()} disabled={busy} title="Ctrl+Shift+C (⌘⇧C on macOS)">
          Copy secret
        </button>
      </div>
      {revealed ? (
        <div className="revealed" aria-label="Revealed value">
          <dl>
            {revealedFields(revealed).map((item) => (
              <div key={item.field} className="kv revealed-field">
                <dt>{item.label}</dt>
                <dd className="mono revealed-text" data-field={item.field}>
                  {item.text}
                </dd>
                {item.copyable ? (
                  <button
                    type="button"
                    className="copy-field"
                    aria-label={`Copy ${item.label}`}
                    onClick={() => void copy(item)}
                    disabled={busy}
                  >
                    Copy
                  </button>
                ) : null}
              </div>
            ))}
          </dl>
          <p className="muted small" aria-live="polite">
            Hides in {remaining} s, or when this window loses focus.
          </p>
        </div>
      ) : null}
    </section>
  )
}
