import { useId, useState } from 'react'

interface Props {
  label: string
  value: string
  onChange(value: string): void
  autoFocus?: boolean
  autoComplete: 'current-password' | 'new-password'
  invalid?: boolean
  describedBy?: string
}

/** A password input with a show/hide toggle; the value lives only in the parent form's state. */
export function PasswordField({
  label,
  value,
  onChange,
  autoFocus,
  autoComplete,
  invalid,
  describedBy,
}: Props) {
  const id = useId()
  const [visible, setVisible] = useState(false)
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="input-with-button">
        <input
          id={id}
          type={visible ? 'text' : 'password'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoFocus={autoFocus}
          autoComplete={autoComplete}
          spellCheck={false}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
        />
        <button
          type="button"
          className="ghost"
          aria-label={visible ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
          aria-pressed={visible}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? 'Hide' : 'Show'}
        </button>
      </div>
    </div>
  )
}
