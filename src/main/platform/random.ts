import { randomFillSync } from 'node:crypto'
import type { RandomBytes } from '../adapters/random'

/** Bytes drawn from the operating system's CSPRNG per refill of the pool. */
const POOL_BYTES = 4096

/**
 * Cryptographically secure random bytes, served from a pool that is refilled from the CSPRNG in one
 * call. Every write takes two small draws (a connection id, an AES-GCM nonce), and each
 * crypto.randomBytes call costs ~8 µs on its own, about a tenth of an upsert in a batch
 * (bench/connections.bench.ts). Each byte is handed out once, copied, and overwritten on refill.
 */
export function pooledRandomBytes(fill: (buffer: Buffer) => void = randomFillSync): RandomBytes {
  const pool = Buffer.alloc(POOL_BYTES)
  let used = POOL_BYTES
  return (size) => {
    if (size > POOL_BYTES / 4) {
      const large = Buffer.alloc(size)
      fill(large)
      return large
    }
    if (used + size > POOL_BYTES) {
      fill(pool)
      used = 0
    }
    const bytes = Buffer.from(pool.subarray(used, used + size))
    pool.fill(0, used, used + size)
    used += size
    return bytes
  }
}
