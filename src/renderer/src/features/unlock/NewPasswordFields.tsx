import type { PasswordStrength } from '../../../../shared/password-strength'
import { PasswordField } from './PasswordField'

const LABELS = ['Too short', 'Weak', 'Fair', 'Good', 'Strong'] as const

interface Props {
  value: string
  onChange(value: string): void
  confirm: string
  onConfirmChange(value: string): void
  /** The parent's passwordStrength(value): it also gates the parent's submit button. */
  strength: PasswordStrength
  mismatch: boolean
  labels: { password: string; strength: string; confirm: string; mismatch: string }
  /** Keeps the hint and error ids apart when two forms could share a page. */
  idPrefix?: string
  autoFocus?: boolean
}

/** A new password, its strength meter and its confirmation: creating a vault and changing its password. */
export function NewPasswordFields({
  value,
  onChange,
  confirm,
  onConfirmChange,
  strength,
  mismatch,
  labels,
  idPrefix = '',
  autoFocus,
}: Props) {
  // The same rule main enforces, so the meter never promises what main refuses.
  const label = strength.acceptable ? LABELS[strength.score] : value.length < 12 ? 'Too short' : 'Weak'
  const hintId = `${idPrefix}strength-hint`
  const mismatchId = `${idPrefix}mismatch`
  return (
    <>
      <PasswordField
        label={labels.password}
        value={value}
        onChange={onChange}
        autoFocus={autoFocus}
        autoComplete="new-password"
        describedBy={hintId}
      />
      <div className="strength" data-score={strength.score}>
        <meter
          min={0}
          max={4}
          low={2}
          high={3}
          optimum={4}
          value={strength.score}
          aria-label={labels.strength}
          aria-valuetext={label}
        />
        <span id={hintId}>
          <strong>{value ? label : 'Strength'}</strong>
          {value && strength.feedback ? ` — ${strength.feedback}` : ''}
        </span>
      </div>
      <PasswordField
        label={labels.confirm}
        value={confirm}
        onChange={onConfirmChange}
        autoComplete="new-password"
        invalid={mismatch}
        describedBy={mismatch ? mismatchId : undefined}
      />
      {mismatch ? (
        <p id={mismatchId} className="field-error" role="alert">
          {labels.mismatch}
        </p>
      ) : null}
    </>
  )
}
