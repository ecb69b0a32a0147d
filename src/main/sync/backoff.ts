/** The first retry after a transient failure, and the longest wait between two. */
export const BACKOFF_BASE_MS = 2_000
export const BACKOFF_MAX_MS = 5 * 60_000

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): a random wait up to the
 * exponential bound, so many clients coming back online at once do not retry in step. A 429's
 * Retry-After is honoured as a floor: the server said when, and earlier is refused again.
 */
export function nextDelayMs(failures: number, random: () => number, retryAfterMs?: number): number {
  const bound = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1))
  const jittered = Math.max(BACKOFF_BASE_MS / 2, Math.floor(random() * bound))
  if (retryAfterMs === undefined) return jittered
  return Math.max(retryAfterMs, 0) + Math.floor(random() * Math.min(1000, BACKOFF_BASE_MS))
}
