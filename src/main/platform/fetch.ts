import type { Fetch } from '../adapters/fetch'

/** Node's own fetch (undici): what every host passes today. */
export const platformFetch: Fetch = (input, init) => fetch(input, init)

/**
 * Loads Node's fetch machinery (undici: ~20–30 ms of main, synchronously, at its first use) in a
 * turn of its own right after start-up, while the unlock screen waits for a password. Otherwise
 * the first request pays it: sync's run at the unlock's settle, when a person may be typing their
 * first search (the UI bench's keystrokes). For long-running hosts; a CLI command loads it if it
 * needs it.
 */
export function warmPlatformFetch(): void {
  setImmediate(() => void new Headers())
}
