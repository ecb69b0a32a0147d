import type { Handlers } from '../api/router'
import type { VaultManager } from './vault-manager'

type VaultHandlers = Pick<
  Handlers,
  | 'vault.status'
  | 'vault.create'
  | 'vault.unlock'
  | 'vault.lock'
  | 'vault.changePassword'
  | 'vault.setKeychainUnlock'
  | 'vault.touch'
  | 'settings.get'
  | 'settings.set'
>

export function vaultHandlers(vault: VaultManager): VaultHandlers {
  return {
    'vault.status': () => vault.status(),
    'vault.create': (input, context) => vault.create(input, context.origin),
    'vault.unlock': (input, context) =>
      'password' in input
        ? vault.unlock(input.password, context.origin)
        : vault.unlockWithKeychain(context.origin),
    'vault.lock': (_input, context) => {
      vault.lock('manual', context.origin)
      return vault.status()
    },
    'vault.changePassword': (input, context) =>
      vault.changePassword(input.currentPassword, input.newPassword, context.origin),
    'vault.setKeychainUnlock': (input, context) => vault.setKeychainUnlock(input.enabled, context.origin),
    'vault.touch': () => {
      vault.touch()
      return null
    },
    'settings.get': () => vault.getSettings(),
    'settings.set': (input, context) => vault.setSettings(input, context.origin),
  }
}
