import { AsyncEntry } from '@napi-rs/keyring'
import { KeeperError, type KeeperAvailability, type SecretKeeper } from '../adapters/secret-keeper'

export interface KeyringKeeperOptions {
  service?: string
  /** A keychain that never answers (a locked keyring waiting for a prompt) must not hang the vault. */
  timeoutMs?: number
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
}

const PROBE_ACCOUNT = 'availability-probe'
/** What the vault header stores for this keeper: the secret itself stays in the OS keychain. */
const MARKER = Buffer.from('keyring:v1', 'utf8')

// Linux reasons name what to install: a person seeing them is one package away from keychain unlock.
const NO_SESSION_BUS =
  'No desktop session bus (D-Bus) is running, so there is no Secret Service to keep the key. Start Latchkey from a desktop session.'
const NO_SECRET_SERVICE =
  'No Secret Service is running, or its keyring is locked. Install gnome-keyring (or turn on KeePassXC’s Secret Service) and unlock it.'

/**
 * Left to choose, the binding falls back to the kernel's keyutils keyring when no Secret Service
 * answers: memory only, gone at reboot, so keychain unlock would quietly stop working after a
 * restart. Pinned, a missing Secret Service is reported as unavailable instead.
 */
const ENTRY_OPTIONS = { linux: { store: 'secret-service' } } as const

class KeeperTimeout extends KeeperError {}
const isTimeout = (error: unknown) => error instanceof KeeperTimeout

/**
 * The OS keychain in browser mode, through @napi-rs/keyring (keyring-rs): the freedesktop Secret
 * Service on Linux, Keychain on macOS, Credential Manager on Windows. It stores the vault's random
 * key-encryption key as the secret of one entry per vault. Every call runs off the main thread with
 * a timeout, so a missing or stuck keychain is reported, never waited on forever.
 */
export function createKeyringKeeper(options: KeyringKeeperOptions = {}): SecretKeeper {
  const service = options.service ?? 'Latchkey'
  const timeoutMs = options.timeoutMs ?? 3_000
  const platform = options.platform ?? process.platform
  const env = options.env ?? process.env

  const withTimeout = async <T>(work: (signal: AbortSignal) => Promise<T>, what: string): Promise<T> => {
    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort()
        reject(
          new KeeperTimeout(`The system keychain did not answer within ${timeoutMs / 1000} s (${what}).`),
        )
      }, timeoutMs)
      timer.unref?.()
    })
    try {
      return await Promise.race([work(controller.signal), timeout])
    } catch (error) {
      if (error instanceof KeeperError) throw error
      // keyring-rs errors can quote platform details; keep only that it failed and where.
      throw new KeeperError(`The system keychain refused the request (${what}).`)
    } finally {
      clearTimeout(timer)
    }
  }

  const entry = (vaultId: string) => new AsyncEntry(service, `vault-${vaultId}`, ENTRY_OPTIONS)

  return {
    async availability(): Promise<KeeperAvailability> {
      if (platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS) {
        return { available: false, reason: NO_SESSION_BUS }
      }
      try {
        const probe = new AsyncEntry(service, PROBE_ACCOUNT, ENTRY_OPTIONS)
        await withTimeout((signal) => probe.setPassword('probe', signal), 'probe')
        await withTimeout((signal) => probe.deleteCredential(signal), 'probe')
        return { available: true, reason: null }
      } catch (error) {
        if (platform === 'linux' && !isTimeout(error)) return { available: false, reason: NO_SECRET_SERVICE }
        return { available: false, reason: (error as Error).message }
      }
    },
    async wrap(vaultId, secret) {
      await withTimeout((signal) => entry(vaultId).setSecret(secret, signal), 'store')
      return Buffer.from(MARKER)
    },
    async unwrap(vaultId, wrapped) {
      if (!wrapped.equals(MARKER)) throw new KeeperError('This vault was enrolled with another keychain.')
      const secret = await withTimeout((signal) => entry(vaultId).getSecret(signal), 'read')
      if (!secret) throw new KeeperError('The system keychain no longer holds this vault’s key.')
      return Buffer.from(secret)
    },
    async forget(vaultId) {
      await withTimeout((signal) => entry(vaultId).deleteCredential(signal), 'remove')
    },
  }
}
