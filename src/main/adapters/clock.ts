/** Time as a dependency, so expiry, auto-lock and backoff are tested without sleeping. */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}
