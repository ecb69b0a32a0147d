import { useId, useState, type FormEvent } from 'react'
import { TextField } from '../../components/TextField'
import { asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { useNow } from '../connections/useNow'
import { toast } from '../toasts/toast-store'
import { countdownText, isFinal, statusText } from './flow-status'
import { mayOpenInTab } from './tab-url'
import type { SignInFlow } from './useSignInFlow'

interface Props {
  flow: SignInFlow
  onCancel(): Promise<void>
  onComplete(pasted: string): Promise<unknown>
  /** After a failure, cancel or timeout: back to the provider form, or closed. */
  onRetry(): void
}

/**
 * The wait between "Sign in" and the provider's redirect: the URL to open or copy elsewhere, the
 * time left, main's live status, and the paste fallback for a browser that cannot reach the loopback.
 */
export function SignInWaiting({ flow, onCancel, onComplete, onRetry }: Props) {
  const now = useNow(1000)
  const { started, status } = flow
  const final = isFinal(status)
  return (
    <section className="oauth-waiting" aria-label="Sign-in">
      <p role="status" className={`oauth-status oauth-status-${status.state}`} data-state={status.state}>
        {statusText(status)}
      </p>
      {!final ? (
        <>
          <p className="muted small">
            Times out in <span className="mono">{countdownText(started.expiresAt, now)}</span>. Finish the
            sign-in in the browser tab that opened; if none did, open or copy the address below.
          </p>
          <AuthorizationUrl url={started.authorizationUrl} />
          <PasteFallback onComplete={onComplete} />
        </>
      ) : null}
      <div className="button-row end">
        {final ? (
          status.state === 'connected' ? null : (
            <button type="button" className="primary" onClick={onRetry}>
              Try again
            </button>
          )
        ) : (
          <button
            type="button"
            onClick={() =>
              void onCancel().catch((failure: unknown) => toast(asAppError(failure).params.message, 'error'))
            }
          >
            Cancel sign-in
          </button>
        )}
      </div>
    </section>
  )
}

function AuthorizationUrl({ url }: { url: string }) {
  const id = useId()
  async function copy() {
    try {
      await navigator.clipboard.writeText(url)
      toast('Copied the sign-in address.')
    } catch {
      toast('Could not reach the clipboard: select the address and copy it.', 'error')
    }
  }
  return (
    <div className="field">
      <label htmlFor={id}>Sign-in address</label>
      <div className="oauth-url-row">
        <textarea id={id} className="mono oauth-url" readOnly rows={3} value={url} spellCheck={false} />
        <button type="button" onClick={() => void copy()}>
          Copy address
        </button>
        {mayOpenInTab(url) ? (
          <a className="button" href={url} target="_blank" rel="noopener noreferrer">
            Open again
          </a>
        ) : null}
      </div>
    </div>
  )
}

function PasteFallback({ onComplete }: { onComplete(pasted: string): Promise<unknown> }) {
  const [pasted, setPasted] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!pasted.trim()) {
      setError('Paste the address the browser ended on, or the code.')
      return
    }
    setBusy(true)
    try {
      await onComplete(pasted)
    } catch (failure) {
      handleLockedError(failure)
      setError(asAppError(failure).params.message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="oauth-paste" onSubmit={submit} noValidate>
      <p className="muted small">
        If the browser is on another machine and cannot reach this one, it ends on an address that does not
        load: paste that address (or just its code) here.
      </p>
      <TextField
        label="Redirected address or code"
        value={pasted}
        onChange={(value) => {
          setPasted(value)
          setError(null)
        }}
        error={error ?? undefined}
        placeholder="http://127.0.0.1:…/callback?code=…&state=…"
      />
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {busy ? 'Finishing…' : 'Finish sign-in'}
        </button>
      </div>
    </form>
  )
}
