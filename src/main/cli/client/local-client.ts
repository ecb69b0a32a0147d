import { AppError, isErrorObject } from '../../../shared/errors'
import type { SecretKeeper } from '../../adapters/secret-keeper'
import { APP_VERSION } from '../../app/version'
import { createCore, type LatchkeyCore } from '../../core'
import { createStderrLogger, silentLogger } from '../../platform/logger'
import type { DeriveKey } from '../../vault/kdf'
import type { VaultKdfPolicy } from '../../vault/vault-manager'
import { promptHidden } from '../terminal/prompt'
import type { VaultClient } from './vault-client'

export interface LocalVaultOptions {
  dataDir: string
  env: NodeJS.ProcessEnv
  secretKeeper: SecretKeeper
  /** Test-only weak scrypt; the program's entry never sets it, so no flag or variable reaches it. */
  vaultKdf?: VaultKdfPolicy
  /** The KDF started before this module loaded (open-client's head start). */
  deriveKey?: DeriveKey
  /** False for a command that changes no user data (context.ts READS_ONLY). */
  consistencyCheck?: boolean
}

/** This process opens the vault itself (nothing else holds it): the one-owner rule applies to it too. */
export function openLocalVault(options: LocalVaultOptions): VaultClient & { core: LatchkeyCore } {
  const core = createCore({
    identity: { name: 'Latchkey', version: APP_VERSION, host: 'browser' },
    dataDir: options.dataDir,
    logger: options.env.LATCHKEY_DEBUG ? createStderrLogger() : silentLogger,
    secretKeeper: options.secretKeeper,
    // Sign-ins need the app; a CLI run opens no browser.
    openExternal: null,
    vaultKdf: options.vaultKdf,
    deriveKey: options.deriveKey,
    consistencyCheckOnOpen: options.consistencyCheck,
    // A command lives for moments; a clock jump is no suspend here, and refreshing tokens or
    // syncing by itself is the app's job, not a command's.
    detectSuspendByClock: false,
    backgroundWork: false,
  })
  return {
    core,
    holder: { kind: 'self' },
    async call(name, input) {
      const result = await core.router.dispatch(name, input, { origin: 'cli' })
      if (result.ok) return result.value as never
      throw isErrorObject(result.error)
        ? AppError.fromObject(result.error)
        : new AppError('INTERNAL', { message: 'Unknown failure.' })
    },
    async close() {
      await core.close()
    },
  }
}

/**
 * Unlocks with, in order: LATCHKEY_PASSWORD (least safe: any process of this user can read another's
 * environment, and shells keep history), the OS keychain when the vault is enrolled, then a no-echo
 * prompt on the terminal.
 */
export async function unlockLocalVault(client: VaultClient, env: NodeJS.ProcessEnv): Promise<void> {
  const status = await client.call('vault.status', {})
  if (status.state === 'unlocked') return
  if (status.state === 'uninitialized') {
    throw new AppError('ENTITY_NOT_FOUND', {
      entityType: 'vault',
      entityId: status.path,
      message: `There is no vault at ${status.path}. Create one with “latchkey init”.`,
    })
  }
  const fromEnv = env.LATCHKEY_PASSWORD
  if (fromEnv) {
    await client.call('vault.unlock', { password: fromEnv })
    return
  }
  let keychainFailure: AppError | null = null
  if (status.keychain.enrolled) {
    try {
      await client.call('vault.unlock', { method: 'keychain' })
      return
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      keychainFailure = error
    }
  }
  const password = await promptHidden('Latchkey master password: ')
  if (password === null) {
    throw (
      keychainFailure ??
      new AppError('AUTHENTICATION', {
        message:
          'The vault is locked and there is no terminal to ask for its password. Set up keychain unlock, or set LATCHKEY_PASSWORD (least safe).',
      })
    )
  }
  await client.call('vault.unlock', { password })
}
