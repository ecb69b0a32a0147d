import type { Clock } from '../adapters/clock'
import type { KeeperAvailability, SecretKeeper } from '../adapters/secret-keeper'

/** Keychain availability can change (a keyring gets unlocked); asking costs a D-Bus round trip. */
const KEYCHAIN_STATUS_TTL_MS = 30_000

export interface KeychainAvailability {
  /** The keeper's last answer, asked again once it is older than the TTL. */
  current(): Promise<KeeperAvailability>
  /** The keeper just failed or changed: the next `current()` asks it afresh. */
  invalidate(): void
}

export function cacheKeychainAvailability(keeper: SecretKeeper, clock: Clock): KeychainAvailability {
  let cached: { atMs: number; value: KeeperAvailability } | null = null
  return {
    async current() {
      const now = clock.now()
      if (!cached || now - cached.atMs > KEYCHAIN_STATUS_TTL_MS) {
        cached = { atMs: now, value: await keeper.availability() }
      }
      return cached.value
    },
    invalidate() {
      cached = null
    },
  }
}
