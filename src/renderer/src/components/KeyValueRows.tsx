import { useState } from 'react'
import { SECRET_FIELD_LIMIT_TEXT } from '../../../shared/contract/connections'
import type { KeyValueRow } from '../features/connections/connection-form'
import { useSecretInput } from './useSecretInput'

interface Props {
  /** Names the group and each input ("Metadata key 1"). */
  label: string
  rows: KeyValueRow[]
  onChange(rows: KeyValueRow[]): void
  error?: string | undefined
  /**
   * Values are secrets (custom auth and OIDC props): masked until shown, kept byte for byte
   * (a multi-line textarea: a prop may hold a PEM key or a JSON key file), guarded at 64 KiB each.
   */
  secretValues?: boolean
}

/** Key/value rows with add and remove. A row with a value but no key is a form error, never dropped. */
export function KeyValueRows({ label, rows, onChange, error, secretValues }: Props) {
  const [shown, setShown] = useState(false)
  const update = (index: number, patch: Partial<KeyValueRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)))
  return (
    <fieldset className="kv-rows" aria-invalid={error ? true : undefined}>
      <legend>{label}</legend>
      {rows.map((row, index) => (
        <div className="kv-row" key={index}>
          <input
            aria-label={`${label} key ${index + 1}`}
            placeholder="Key"
            value={row.key}
            onChange={(e) => update(index, { key: e.target.value })}
            spellCheck={false}
            autoComplete="off"
          />
          {secretValues ? (
            <SecretRowValue
              label={`${label} value ${index + 1}`}
              value={row.value}
              shown={shown}
              onChange={(value) => update(index, { value })}
            />
          ) : (
            <input
              aria-label={`${label} value ${index + 1}`}
              placeholder="Value"
              value={row.value}
              onChange={(e) => update(index, { value: e.target.value })}
              spellCheck={false}
              autoComplete="off"
            />
          )}
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove ${label.toLowerCase()} row ${index + 1}`}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <div className="button-row">
        <button type="button" className="ghost" onClick={() => onChange([...rows, { key: '', value: '' }])}>
          Add {label.toLowerCase()} row
        </button>
        {secretValues ? (
          <button
            type="button"
            className="ghost"
            aria-pressed={shown}
            onClick={() => setShown((now) => !now)}
          >
            {shown ? 'Hide values' : 'Show values'}
          </button>
        ) : null}
      </div>
      {secretValues ? (
        <p className="muted small">
          Values are kept exactly as pasted, line breaks included; {SECRET_FIELD_LIMIT_TEXT} each.
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  )
}

function SecretRowValue({
  label,
  value,
  shown,
  onChange,
}: {
  label: string
  value: string
  shown: boolean
  onChange(value: string): void
}) {
  const guard = useSecretInput(label, value, onChange)
  return (
    <div className="kv-secret">
      <textarea
        aria-label={label}
        placeholder="Value"
        rows={1}
        className={shown ? 'secret-input' : 'secret-input masked'}
        value={guard.display}
        {...guard.handlers}
        onCopy={(event) => !shown && event.preventDefault()}
        onCut={(event) => !shown && event.preventDefault()}
        aria-invalid={guard.refusal ? true : undefined}
        spellCheck={false}
        autoComplete="off"
        wrap={shown ? 'soft' : 'off'}
      />
      {guard.refusal ? (
        <span className="field-error" role="alert">
          {guard.refusal}
        </span>
      ) : null}
    </div>
  )
}
