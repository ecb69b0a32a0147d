/** Refresh this long before expiry (Nango's REFRESH_MARGIN_S, Activepieces' 15 minutes; REFERENCE.md §1.7, §2.2). */
export const REFRESH_MARGIN_MS = 15 * 60 * 1000

/**
 * When a token is due: 15 minutes before it expires, or half way through its life when it lives
 * less than 30 minutes (Activepieces' token_refresh_at rule), so a 10-minute token is not
 * refreshed on every look.
 */
export function refreshDueMs(expiresMs: number, issuedMs: number): number {
  const lifetime = Math.max(0, expiresMs - issuedMs)
  return expiresMs - Math.min(REFRESH_MARGIN_MS, lifetime / 2)
}

const BACKOFF_BASE_MS = 30_000
const BACKOFF_MAX_MS = 60 * 60 * 1000
/** Nango's MAX_CONSECUTIVE_DAYS_FAILED_REFRESH: after this many days of failures, stop trying by itself. */
export const MAX_FAILED_DAYS = 4

/**
 * How long to wait after the `failures`-th consecutive transient failure: 30 s doubling to an
 * hour, with "equal jitter" (half fixed, half random) so connections that failed together during
 * an outage do not all come back at the same instant.
 */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1))
  return ceiling / 2 + random() * (ceiling / 2)
}
