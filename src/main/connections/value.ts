import type { ConnectionType, ConnectionValue } from '../../shared/contract'

const OAUTH_TYPES = new Set<ConnectionType>(['OAUTH2', 'CLOUD_OAUTH2', 'PLATFORM_OAUTH2'])

/**
 * Above this, claimed_at cannot be Unix seconds (it would be after the year 5000): it is
 * milliseconds, which is what the Activepieces document's example sends (`Date.now()`), while its
 * server stores seconds (REFERENCE.md §1.12).
 */
const LARGEST_PLAUSIBLE_SECONDS = 100_000_000_000

export function isOAuthType(type: ConnectionType): boolean {
  return OAUTH_TYPES.has(type)
}

/** NO_AUTH takes no value; storing `{ type: 'NO_AUTH' }` keeps every connection's value uniform. */
export function valueOrDefault(value: ConnectionValue | undefined): ConnectionValue {
  return value ?? ({ type: 'NO_AUTH' } as ConnectionValue)
}

/**
 * OAuth2 values are stored the way the Activepieces server stores them, so a token refresher and a
 * sync push read one format: claimed_at in Unix seconds (milliseconds are converted), and set to
 * now when the caller did not say when the token was issued.
 */
export function normalizeValue(value: ConnectionValue, nowMs: number): ConnectionValue {
  if (!('access_token' in value)) return value
  const claimed = value.claimed_at
  const claimedSeconds =
    claimed === undefined
      ? Math.floor(nowMs / 1000)
      : claimed > LARGEST_PLAUSIBLE_SECONDS
        ? Math.floor(claimed / 1000)
        : claimed
  return { ...value, claimed_at: claimedSeconds }
}

/** claimed_at + expires_in for OAuth2 types; null when the token's lifetime is unknown or there is none. */
export function tokenExpiryMs(value: ConnectionValue): number | null {
  if (!('access_token' in value)) return null
  if (value.expires_in === undefined || value.claimed_at === undefined) return null
  return (value.claimed_at + value.expires_in) * 1000
}
