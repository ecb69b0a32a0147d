import type { KeyValueRow } from '../features/connections/connection-form'

interface Props {
  /** Names the group and each input ("Metadata key 1"). */
  label: string
  rows: KeyValueRow[]
  onChange(rows: KeyValueRow[]): void
  error?: string | undefined
  /** Hide values as you type (custom auth props are usually secrets). */
  secretValues?: boolean
}

/** Key/value rows with add and remove; rows with an empty key are ignored on save. */
export function KeyValueRows({ label, rows, onChange, error, secretValues }: Props) {
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
          <input
            aria-label={`${label} value ${index + 1}`}
            placeholder="Value"
            type={secretValues ? 'password' : 'text'}
            value={row.value}
            onChange={(e) => update(index, { value: e.target.value })}
            spellCheck={false}
            autoComplete="off"
          />
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
      <button type="button" className="ghost" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        Add {label.toLowerCase()} row
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  )
}
