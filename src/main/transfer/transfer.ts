import type { Handlers } from '../api/router'
import type { Clock } from '../adapters/clock'
import type { RandomBytes } from '../adapters/random'
import type { ConnectionsService } from '../connections/service'
import { readHeader } from '../vault/header'
import { createPasswordWrapping, PRODUCT_KDF_POLICY, type VaultKdfPolicy } from '../vault/password-wrap'
import type { VaultSession } from '../vault/session'
import type { VaultManager } from '../vault/vault-manager'
import { AppError } from '../../shared/errors'
import { createBackups } from './backup'
import { createStaging } from './staging'
import { transferHandlers } from './transfer-handlers'

export interface TransferOptions {
  vault: VaultManager
  connections: ConnectionsService
  dataDir: string
  clock: Clock
  random: RandomBytes
  kdf?: VaultKdfPolicy
  appVersion: string
  nativeBinding?: string
  /**
   * The row-integrity check (connections/row-integrity.ts) the export runs on every row before it
   * writes a secret out under that row's name.
   */
  assertRowIntegrity?: (session: VaultSession, connectionId: string) => void
}

/** Backup, restore, plaintext export and import, composed for the core. */
export function createTransfer(options: TransferOptions): { handlers: ReturnType<typeof transferHandlers> } {
  const kdf = options.kdf ?? PRODUCT_KDF_POLICY
  const staging = createStaging(options.dataDir, () => options.clock.now())
  const backups = createBackups({ ...options, staging, kdf })
  const wrapping = createPasswordWrapping(kdf, options.random, options.vault.path)
  async function checkPassword(password: string): Promise<void> {
    const header = readHeader(options.vault.requireSession().db)
    const key = header ? await wrapping.unwrap(password, header) : null
    if (!key) throw new AppError('AUTHENTICATION', { message: 'That master password is not correct.' })
    key.fill(0)
  }
  return {
    handlers: transferHandlers({
      vault: options.vault,
      connections: options.connections,
      backups,
      staging,
      clock: options.clock,
      checkPassword,
      assertRowIntegrity: options.assertRowIntegrity ?? (() => {}),
    }) satisfies Partial<Handlers>,
  }
}
