/**
 * Background work that an unlock makes due (the OAuth refresh catch-up, each remote's sync) waits
 * this long after the unlock, so the person's first screen of connections is not competing with it
 * in main: a vault locked for days can have thousands of refreshes due, and a sync run reads and
 * writes the whole outbox.
 */
export const UNLOCK_SETTLE_MS = 2_000
