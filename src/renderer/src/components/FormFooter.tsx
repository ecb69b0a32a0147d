import type { ReactNode } from 'react'

/** The end of every dialog form: main's refusal (if any), then Cancel and the submit button. */
export function FormFooter({
  error,
  errorActions,
  onCancel,
  submitLabel,
  busy = false,
  disabled = false,
}: {
  error: string | null | undefined
  /** What the person can do about the refusal (a conflict's "Open it"), shown under it. */
  errorActions?: ReactNode
  onCancel(): void
  submitLabel: string
  busy?: boolean
  disabled?: boolean
}) {
  return (
    <>
      {error ? (
        <div className="form-error" role="alert">
          <p>{error}</p>
          {errorActions ? <div className="button-row">{errorActions}</div> : null}
        </div>
      ) : null}
      <div className="button-row end">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy || disabled}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </>
  )
}
