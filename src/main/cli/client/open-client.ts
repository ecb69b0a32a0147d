import type { SecretKeeper } from '../../adapters/secret-keeper'
import type { DeriveKey } from '../../vault/kdf'
import type { VaultKdfPolicy } from '../../vault/vault-manager'
import { terminalIdentity } from '../terminal/terminal-key'
import { connectToApp } from './channel-client'
import type { VaultClient } from './vault-client'

export interface OpenClientOptions {
  dataDir: string
  env: NodeJS.ProcessEnv
  /** The command's name for the approval dialog. */
  command: string
  /** False for commands that work on a locked vault (status) or create one (init). */
  unlock: boolean
  /** False for a command that changes no user data: no whole-file check when it opens the vault. */
  consistencyCheck: boolean
  secretKeeper: () => Promise<SecretKeeper>
  vaultKdf?: VaultKdfPolicy
  say: (line: string) => void
}

/**
 * The app's vault when an app serves this data folder (no KDF; the person approves the terminal),
 * else the vault opened by this process. Never both: the app holds the owner lock while it runs.
 */
export async function openClient(options: OpenClientOptions): Promise<VaultClient> {
  const app = await connectToApp(options.dataDir, {
    identity: terminalIdentity(),
    command: options.command,
    onWaiting: () => options.say('Waiting for you to approve this terminal in the Latchkey app…'),
  })
  if (app) return app
  const deriveKey = options.unlock ? await kdfHeadStart(options) : undefined
  // Loaded only here: the app's session needs no SQLite, KDF or keychain, and each costs start-up time.
  const { openLocalVault, unlockLocalVault } = await import('./local-client')
  const local = openLocalVault({
    dataDir: options.dataDir,
    env: options.env,
    secretKeeper: await options.secretKeeper(),
    vaultKdf: options.vaultKdf,
    deriveKey,
    consistencyCheck: options.consistencyCheck,
  })
  try {
    if (options.unlock) await unlockLocalVault(local, options.env)
    return local
  } catch (error) {
    await local.close()
    throw error
  }
}

/**
 * With LATCHKEY_PASSWORD the password is known before the vault's code has loaded: its KDF starts
 * now, on libuv's threads, and runs while the main thread loads the core and opens the file.
 */
async function kdfHeadStart(options: OpenClientOptions): Promise<DeriveKey | undefined> {
  const password = options.env.LATCHKEY_PASSWORD
  if (!password) return undefined
  const { startKeyDerivation } = await import('../../vault/kdf-head-start')
  const minimum = options.vaultKdf?.minimum
  return startKeyDerivation({ dataDir: options.dataDir, password, minimum }) ?? undefined
}
