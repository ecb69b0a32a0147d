import { KeeperError, type SecretKeeper } from '../adapters/secret-keeper'

/** For hosts with no keychain at all (a CLI, a test that does not need one): says why, stores nothing. */
export function createUnavailableKeeper(reason: string): SecretKeeper {
  const refuse = () => Promise.reject(new KeeperError(reason))
  return {
    availability: async () => ({ available: false, reason }),
    wrap: refuse,
    unwrap: refuse,
    forget: async () => {},
  }
}
