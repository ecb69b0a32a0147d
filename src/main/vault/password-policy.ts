import { AppError } from '../../shared/errors'
import { passwordStrength } from '../../shared/password-strength'

/** The same rule the create screen's meter shows, enforced here where it cannot be bypassed. */
export function requireStrongPassword(password: string): void {
  const strength = passwordStrength(password)
  if (strength.acceptable) return
  throw new AppError('VALIDATION', {
    message: `That master password is too weak. ${strength.feedback ?? ''}`.trim(),
    issues: [{ path: 'password', message: strength.feedback ?? 'Too weak.' }],
  })
}
