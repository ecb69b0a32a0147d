import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import type { BackupFile } from '../../shared/contract/transfer'
import { AppError, isAppError } from '../../shared/errors'
import type { Clock } from '../adapters/clock'
import type { RandomBytes } from '../adapters/random'
import { readHeader } from '../vault/header'
import { createPasswordWrapping, type VaultKdfPolicy } from '../vault/password-wrap'
import { inspectVaultFile } from '../vault/store'
import type { VaultManager } from '../vault/vault-manager'
import { decryptBackup, writeBackup } from './backup-format'
import type { Staging } from './staging'

export interface BackupDependencies {
  vault: VaultManager
  staging: Staging
  dataDir: string
  clock: Clock
  random: RandomBytes
  kdf: VaultKdfPolicy
  appVersion: string
  nativeBinding?: string
}

const ENTITY = { entityType: 'backup', entityId: 'file' }

/**
 * Encrypted backup and restore of the whole vault. The snapshot is SQLite's online backup of the
 * open database (consistent while writes go on), so a backup needs no lock and no downtime.
 */
export function createBackups(deps: BackupDependencies) {
  const wrapping = createPasswordWrapping(deps.kdf, deps.random, deps.vault.path)

  /** The password must open this vault: a backup is only as good as the password that opens it. */
  async function requireVaultPassword(db: Database.Database, password: string): Promise<void> {
    const header = readHeader(db)
    const key = header ? await wrapping.unwrap(password, header) : null
    if (!key) throw new AppError('AUTHENTICATION', { message: 'That master password is not correct.' })
    key.fill(0)
  }

  async function create(password: string, origin: string): Promise<BackupFile> {
    const session = deps.vault.requireSession()
    await requireVaultPassword(session.db, password)
    const snapshot = deps.staging.create()
    const target = deps.staging.create()
    try {
      await session.db.backup(snapshot.path)
      const connections = countConnections(snapshot.path, deps.nativeBinding)
      const createdAt = new Date(deps.clock.now()).toISOString()
      await writeBackup({
        source: snapshot.path,
        target: target.path,
        password,
        kdf: deps.kdf,
        random: deps.random,
        meta: { createdAt, appVersion: deps.appVersion, connections },
      })
      const live = deps.vault.requireSession()
      live.transaction(() =>
        live.audit({ action: 'vault.backup', origin, details: { connections, encrypted: true } }),
      )
      const { size } = deps.staging.read(target.id, 0, 0)
      return {
        transferId: target.id,
        fileName: `latchkey-backup-${createdAt.slice(0, 10)}.latchkey`,
        size,
        connections,
      }
    } catch (error) {
      deps.staging.discard(target.id)
      throw error
    } finally {
      deps.staging.discard(snapshot.id)
    }
  }

  async function restore(
    transferId: string,
    password: string,
    origin: string,
  ): Promise<{ connections: number; createdAt: string; previousVaultKeptAs: string | null }> {
    const status = await deps.vault.status()
    // Whoever replaces a vault must be able to open it: a locked vault is not replaced.
    if (status.state === 'locked') {
      throw new AppError('VAULT_LOCKED', {
        message:
          'Unlock the vault first: restoring a backup replaces it (the current vault is kept beside it).',
      })
    }
    const source = deps.staging.pathOf(transferId)
    const candidate = join(deps.dataDir, `vault.restore-${deps.random(9).toString('base64url')}.sqlite`)
    try {
      const header = await decryptBackup({ path: source, target: candidate, password, kdf: deps.kdf })
      await checkRestoredVault(candidate, password)
      const kept = existsSync(deps.vault.path)
        ? join(deps.dataDir, `vault.before-restore-${stamp(deps.clock.now())}.sqlite`)
        : null
      await deps.vault.replaceFile(
        (path) => {
          if (kept) copyFileSync(path, kept)
          renameSync(candidate, path)
        },
        {
          action: 'vault.restore',
          origin,
          details: {
            backupCreatedAt: header.createdAt,
            connections: header.connections,
            previousVaultKept: kept !== null,
          },
        },
      )
      deps.staging.discard(transferId)
      return {
        connections: header.connections,
        createdAt: header.createdAt,
        previousVaultKeptAs: kept && basename(kept),
      }
    } finally {
      rmSync(candidate, { force: true })
    }
  }

  /** The decrypted file must be a sound vault that this build opens, and open with the same password. */
  async function checkRestoredVault(path: string, password: string): Promise<void> {
    try {
      inspectVaultFile({ path, nativeBinding: deps.nativeBinding })
    } catch (error) {
      if (isAppError(error, 'VAULT_UNAVAILABLE')) {
        throw new AppError('VALIDATION', {
          message: 'This backup was made by a newer version of Latchkey. Update Latchkey to restore it.',
        })
      }
      throw new AppError('INTEGRITY', {
        message: 'The vault inside this backup is damaged. Nothing was changed.',
        ...ENTITY,
      })
    }
    const db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding: deps.nativeBinding })
    try {
      const header = readHeader(db)
      const key = header ? await wrapping.unwrap(password, header) : null
      if (!key) {
        throw new AppError('INTEGRITY', {
          message: 'The vault inside this backup does not open with that password. Nothing was changed.',
          ...ENTITY,
        })
      }
      key.fill(0)
    } finally {
      db.close()
    }
  }

  return { create, restore }
}

export type Backups = ReturnType<typeof createBackups>

function countConnections(path: string, nativeBinding: string | undefined): number {
  const db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding })
  try {
    return (db.prepare('SELECT count(*) AS n FROM connections').get() as { n: number }).n
  } finally {
    db.close()
  }
}

/** 2026-11-30T20-15-03Z: sortable, and legal in every file system's names. */
function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-')
}
