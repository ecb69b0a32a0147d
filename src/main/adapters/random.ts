/** Cryptographically secure random bytes; injected so a test can count or fix the draws. */
export type RandomBytes = (size: number) => Buffer
