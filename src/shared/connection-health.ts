import type { AppConnection } from './contract'
import { EXPIRING_SOON_MS } from './contract/connections'

// What a connection's badge says. The data keeps the seed's three statuses (ACTIVE, MISSING,
// ERROR); an ACTIVE connection can still be unusable, and a person must see that before a flow
// fails: a token that has expired, one about to, a refresh that keeps failing. One pure function,
// given the time, so the table, the detail panel and the tests read the same answer.

export type HealthState =
  'active' | 'expiring' | 'expired' | 'needs-sign-in' | 'refresh-failing' | 'missing' | 'error'

export interface Health {
  state: HealthState
  /** The badge's word. */
  label: string
  /** ok: usable; warn: act soon; bad: not usable now; muted: nothing to use. */
  tone: 'ok' | 'warn' | 'bad' | 'muted'
  /** One short sentence on why, or null when the label says it all. */
  detail: string | null
}

export type HealthInput = Pick<AppConnection, 'status' | 'statusReason' | 'health'> & {
  /**
   * Whether main can get a new token without the person (a refresh token, or a client-credentials
   * grant). The list does not carry it (it lives in the encrypted value): undefined is "unknown",
   * false makes an expired token read "Needs sign-in".
   */
  canRefresh?: boolean | undefined
}

/**
 * How the token refresher words the ERROR of an expired token it cannot refresh (no refresh token,
 * not a client-credentials grant): NEEDS_SIGN_IN in src/shared/contract/oauth.ts.
 */
const NEEDS_SIGN_IN_PREFIX = 'needs_sign_in'

const at = (iso: string | null) => (iso === null ? null : Date.parse(iso))

/** A failure more recent than the last success: the refresher is failing now, not once long ago. */
function refreshFailing(health: HealthInput['health']): boolean {
  const failed = at(health.lastRefreshFailureAt)
  if (failed === null) return false
  const succeeded = at(health.lastRefreshSuccessAt)
  return succeeded === null || failed >= succeeded
}

/** A day in milliseconds: the expiry setting is in days. */
export const DAY_MS = 24 * 60 * 60 * 1000

/** The settings' look-ahead (expiringSoonDays) as the window healthOf takes. */
export const expiringSoonMsOf = (days: number): number => days * DAY_MS

/**
 * `expiringSoonMs` is the settings' look-ahead (expiringSoonDays), so the list's badges and the
 * Health view call a token "expiring" on the same day; without it, EXPIRING_SOON_MS.
 */
export function healthOf(connection: HealthInput, now: number, expiringSoonMs = EXPIRING_SOON_MS): Health {
  const { health } = connection
  if (connection.status === 'MISSING') {
    return {
      state: 'missing',
      label: 'Missing',
      tone: 'muted',
      detail: 'No credentials: flows that use it stop.',
    }
  }
  if (connection.status === 'ERROR') {
    const reason = connection.statusReason
    return reason?.startsWith(NEEDS_SIGN_IN_PREFIX)
      ? { state: 'needs-sign-in', label: 'Needs sign-in', tone: 'bad', detail: reason }
      : { state: 'error', label: 'Error', tone: 'bad', detail: reason }
  }
  const expires = at(health.tokenExpiresAt)
  const expired = expires !== null && expires <= now
  if (refreshFailing(health)) {
    const reason = health.lastRefreshFailureReason
    const attempts = health.refreshAttempts > 1 ? ` (${health.refreshAttempts} attempts)` : ''
    return {
      state: 'refresh-failing',
      label: 'Refresh failing',
      tone: expired ? 'bad' : 'warn',
      detail: `${reason ? `Refresh failed: ${reason}` : 'Refresh failed'}${attempts}.`,
    }
  }
  if (expired) {
    return connection.canRefresh === false
      ? {
          state: 'needs-sign-in',
          label: 'Needs sign-in',
          tone: 'bad',
          detail: 'The token expired and cannot be refreshed.',
        }
      : { state: 'expired', label: 'Expired', tone: 'bad', detail: 'The token has expired.' }
  }
  if (expires !== null && expires - now <= expiringSoonMs) {
    return {
      state: 'expiring',
      label: 'Expiring',
      tone: 'warn',
      detail: `The token expires ${withinWords(expiringSoonMs)}.`,
    }
  }
  return { state: 'active', label: 'Active', tone: 'ok', detail: null }
}

/** "within a day", "within 3 days". */
function withinWords(ms: number): string {
  const days = Math.round(ms / DAY_MS)
  return days <= 1 ? 'within a day' : `within ${days} days`
}
