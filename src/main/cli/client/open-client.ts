import type { SecretKeeper } from '../../adapters/secret-keeper'
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
  // Loaded only here: the app's session needs no SQLite, scrypt or keychain, and each costs start-up time.
  const { openLocalVault, unlockLocalVault } = await import('./local-client')
  const local = openLocalVault({
    dataDir: options.dataDir,
    env: options.env,
    secretKeeper: await options.secretKeeper(),
    vaultKdf: options.vaultKdf,
  })
  try {
    if (options.unlock) await unlockLocalVault(local, options.env)
    return local
  } catch (error) {
    await local.close()
    throw error
  }
}
