import { useCallback, useEffect, useState } from 'react'
import type { AuditBreak, AuditVerification } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

const entries = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'entry' : 'entries'}`

function rangeText(from: number, to: number): string {
  return from === to ? `entry ${from}` : `entries ${from}–${to}`
}

const BREAK_WORDS: Record<AuditBreak['reason'], string> = {
  invalid: 'Altered',
  missing: 'Missing',
  unlinked: 'Hidden from its connection’s history',
}

const ANCHOR_WORDS = {
  missing: 'The record of where the log ends is missing, so entries cut from the end would not show.',
  invalid: 'The record of where the log ends was forged.',
  mismatch: 'The log ends earlier than its sealed record says: entries were cut from the end.',
} as const

/** What happened, from the kinds of break found, and what to do about it. */
function brokenText(breaks: { reason: AuditBreak['reason'] }[], anchor: AuditVerification['anchor']): string {
  const what = [
    breaks.some((b) => b.reason === 'invalid') ? 'entries that no longer match their seal were edited' : '',
    breaks.some((b) => b.reason === 'missing') ? 'entries in the middle were deleted' : '',
    breaks.some((b) => b.reason === 'unlinked')
      ? 'entries were hidden from their connection’s history (the log itself still holds them)'
      : '',
    anchor === 'mismatch' ? 'entries were cut from the end' : '',
  ].filter(Boolean)
  const done = what.length > 0 ? `: ${what.join(', and ')}` : ''
  return (
    `The vault file was changed outside Latchkey${done}. Latchkey cannot tell what those entries said before. ` +
    'If you did not do this yourself, treat the secrets in this vault as exposed and restore a backup you trust.'
  )
}

/** audit.verify, as a sentence and what it means; every break is listed, never only the first. */
export function VerifyPanel() {
  const [result, setResult] = useState<AuditVerification | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const verify = useCallback(() => {
    setBusy(true)
    api()
      .audit.verify({})
      .then((answer) => {
        setResult(answer)
        setError(null)
      })
      .catch((failure: unknown) => {
        handleLockedError(failure)
        setError(asAppError(failure).params.message)
      })
      .finally(() => setBusy(false))
  }, [])
  useEffect(verify, [verify])

  const breaks =
    result?.breaks ??
    (result?.brokenAt
      ? [{ fromSeq: result.brokenAt, toSeq: result.brokenAt, reason: 'invalid' as const }]
      : [])
  return (
    <section
      className={result && !result.ok ? 'audit-verify broken' : 'audit-verify'}
      aria-labelledby="audit-verify-title"
    >
      <div className="audit-verify-head">
        <h3 id="audit-verify-title">
          {error
            ? 'The log could not be checked'
            : !result
              ? 'Checking the log…'
              : result.ok
                ? `Chain intact, ${entries(result.checked)}`
                : `Broken at entry ${result.brokenAt ?? breaks[0]?.fromSeq ?? '?'}`}
        </h3>
        <button type="button" onClick={verify} disabled={busy}>
          {busy ? 'Checking…' : 'Check again'}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : result?.ok ? (
        <p className="muted small" role="status">
          Every entry is linked to the one before it and sealed with a key only your master password opens.
          None was changed, removed or cut off since it was written.
        </p>
      ) : result ? (
        <div role="alert">
          <p>{brokenText(breaks, result.anchor)}</p>
          <ul className="audit-breaks">
            {breaks.map((b) => (
              <li key={`${b.fromSeq}-${b.toSeq}`}>
                {BREAK_WORDS[b.reason]}: {rangeText(b.fromSeq, b.toSeq)}
              </li>
            ))}
            {result.anchor ? <li>{ANCHOR_WORDS[result.anchor]}</li> : null}
          </ul>
          <p className="muted small">{entries(result.checked)} read.</p>
        </div>
      ) : null}
    </section>
  )
}
