import { useCallback, useEffect, useState } from 'react'
import type { AppConnection, ConnectionValue } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { settingsSelectors, useSettingsStore } from '../../stores/settings-store'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { writeAndScheduleClear } from './clipboard'

/** The fields of a value shown when revealed, secret or not, in a stable order. */
function revealedFields(value: ConnectionValue): [string, string][] {
  const entries = Object.entries(value).filter(([key]) => key !== 'type')
  return entries.map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)])
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

  async function copy() {
    setBusy(true)
    try {
      const delivery = await api().clipboard.copySecret({ connectionId: connection.id })
      if (delivery.delivery === 'renderer') await writeAndScheduleClear(delivery)
      toast(
        delivery.clearAfterSeconds > 0
          ? `Copied. The clipboard will be cleared in ${delivery.clearAfterSeconds} s.`
          : 'Copied.',
      )
    } catch (failure) {
      handleLockedError(failure)
      toast(asAppError(failure).params.message, 'error')
    } finally {
      setBusy(false)
    }
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
        <button type="button" onClick={() => void copy()} disabled={busy}>
          Copy secret
        </button>
      </div>
      {revealed ? (
        <div className="revealed" aria-label="Revealed value">
          <dl>
            {revealedFields(revealed).map(([key, text]) => (
              <div key={key} className="kv">
                <dt>{key}</dt>
                <dd className="mono">{text}</dd>
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
