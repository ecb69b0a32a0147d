interface Props {
  /** The keeper's reason, written for a person ("No Secret Service is running…"). */
  reason: string | null
  /** What to do instead, when there is something. */
  instead?: string
}

/**
 * Shown where the keychain option would be, so a person who expected it learns why it is missing
 * and what would bring it back, instead of finding the option silently gone.
 */
export function KeychainUnavailable({ reason, instead }: Props) {
  return (
    <p className="notice small" role="note" aria-label="Keychain unlock">
      <strong>Keychain unlock is unavailable.</strong>{' '}
      {reason ?? 'This system has no keychain Latchkey can use.'}
      {instead ? ` ${instead}` : ''}
    </p>
  )
}
