import { useId, useState, type ClipboardEvent, type InputHTMLAttributes } from 'react'

/** Far above any name, id or URL the contract takes, yet small enough to render at once. */
const DEFAULT_PASTE_LIMIT = 10_000

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  label: string
  value: string
  onChange(value: string): void
  error?: string | undefined
  hint?: string
  /** Characters a paste may bring the field to; more is refused before the browser renders it. */
  pasteLimit?: number
}

/**
 * A labelled input whose error is announced and tied to it (aria-describedby). A paste that would
 * take it past `pasteLimit` is refused with the limit in words rather than rendered (a 1 MB paste
 * took 1.6 s to appear) or cut short (maxLength would truncate it without a word).
 */
export function TextField({
  label,
  value,
  onChange,
  error,
  hint,
  pasteLimit = DEFAULT_PASTE_LIMIT,
  ...rest
}: Props) {
  const id = useId()
  const [refusal, setRefusal] = useState<string | null>(null)
  const problem = refusal ?? error
  const describedBy = [problem ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ')

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const field = event.currentTarget
    const selected = (field.selectionEnd ?? 0) - (field.selectionStart ?? 0)
    const length = value.length - selected + event.clipboardData.getData('text/plain').length
    if (length <= pasteLimit) {
      setRefusal(null)
      return
    }
    event.preventDefault()
    setRefusal(
      `Not pasted: that would make ${label.toLowerCase()} ${length.toLocaleString()} characters; it holds up to ${pasteLimit.toLocaleString()}.`,
    )
  }

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => {
          setRefusal(null)
          onChange(e.target.value)
        }}
        onPaste={onPaste}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy || undefined}
        spellCheck={false}
        autoComplete="off"
        {...rest}
      />
      {hint ? (
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      ) : null}
      {problem ? (
        <span id={`${id}-error`} className="field-error" role={refusal ? 'alert' : undefined}>
          {problem}
        </span>
      ) : null}
    </div>
  )
}
