import { useId, useState } from 'react'
import { SECRET_FIELD_LIMIT_TEXT } from '../../../shared/contract/connections'
import { useSecretInput } from './useSecretInput'

interface Props {
  label: string
  value: string
  onChange(value: string): void
  error?: string | undefined
  /** Visible lines; 1 for values that are usually one line (still kept byte for byte). */
  rows?: number
  hint?: string
  autoFocus?: boolean
}

/**
 * A secret input that keeps every byte: a textarea, because an <input> silently turns pasted
 * newlines into nothing (the HTML value sanitization), which corrupted PEM keys. Masked while
 * hidden (-webkit-text-security, Chromium's own password dots) with Show/Hide, and guarded
 * against an oversized paste before the browser renders it.
 */
export function SecretField({ label, value, onChange, error, rows = 3, hint, autoFocus }: Props) {
  const id = useId()
  const [shown, setShown] = useState(false)
  const guard = useSecretInput(label, value, onChange)
  const problem = guard.refusal ?? error
  const describedBy = [problem ? `${id}-error` : '', `${id}-hint`].join(' ').trim()
  return (
    <div className="field secret-field">
      <div className="secret-field-head">
        <label htmlFor={id}>{label}</label>
        <button
          type="button"
          className="link-button"
          aria-controls={id}
          aria-pressed={shown}
          onClick={() => setShown((now) => !now)}
        >
          {shown ? 'Hide' : 'Show'}
        </button>
      </div>
      <textarea
        id={id}
        className={shown ? 'secret-input' : 'secret-input masked'}
        rows={rows}
        value={guard.display}
        {...guard.handlers}
        // While masked, the dots are all a person sees; copying them out would hand over the
        // secret unaudited, so copy and cut wait for Show.
        onCopy={(event) => !shown && event.preventDefault()}
        onCut={(event) => !shown && event.preventDefault()}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
        wrap={shown ? 'soft' : 'off'}
        autoFocus={autoFocus}
      />
      <span id={`${id}-hint`} className="muted small">
        {hint ?? `Kept exactly as pasted: line breaks, tabs and spaces included; ${SECRET_FIELD_LIMIT_TEXT}.`}
      </span>
      {problem ? (
        <span id={`${id}-error`} className="field-error" role={guard.refusal ? 'alert' : undefined}>
          {problem}
        </span>
      ) : null}
    </div>
  )
}
