import { safeStorage } from 'electron'
import { KeeperError, type KeeperAvailability, type SecretKeeper } from '../../adapters/secret-keeper'

/**
 * The desktop keychain: Electron safeStorage (DPAPI, Keychain, libsecret/kwallet). The wrapped blob
 * lives in the vault header, so nothing is left in the OS keychain to forget. On Linux, safeStorage
 * silently falls back to a hard-coded key ('basic_text') when no keyring runs; that is no
 * protection, so it is refused rather than offered.
 */
export function createSafeStorageKeeper(platform: NodeJS.Platform = process.platform): SecretKeeper {
  function availability(): KeeperAvailability {
    if (!safeStorage.isEncryptionAvailable()) {
      return { available: false, reason: 'The system keychain is not available to Latchkey.' }
    }
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return {
        available: false,
        reason:
          'No keyring (GNOME Keyring or KWallet) is running, so the keychain would not protect the key.',
      }
    }
    return { available: true, reason: null }
  }

  function requireAvailable(): void {
    const state = availability()
    if (!state.available) throw new KeeperError(state.reason ?? 'The system keychain is not available.')
  }

  return {
    availability: async () => availability(),
    async wrap(_vaultId, vaultKey) {
      requireAvailable()
      return safeStorage.encryptString(vaultKey.toString('base64'))
    },
    async unwrap(_vaultId, wrapped) {
      requireAvailable()
      try {
        return Buffer.from(safeStorage.decryptString(wrapped), 'base64')
      } catch {
        // The OS message may describe the keychain; the vault only needs to know it failed.
        throw new KeeperError('The system keychain could not unlock this vault.')
      }
    },
    forget: async () => {},
  }
}
