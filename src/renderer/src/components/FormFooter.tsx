/** The end of every dialog form: main's refusal (if any), then Cancel and the submit button. */
export function FormFooter({
  error,
  onCancel,
  submitLabel,
  busy = false,
  disabled = false,
}: {
  error: string | null | undefined
  onCancel(): void
  submitLabel: string
  busy?: boolean
  disabled?: boolean
}) {
  return (
    <>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
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
