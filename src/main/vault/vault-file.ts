import type Database from 'better-sqlite3'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { AppError } from '../../shared/errors'
import { readHeader, type VaultHeader } from './header'
import type { Migration } from './migrations'
import { acquireOwnerLock, type OwnerLock } from './owner-lock'
import { createVaultDatabase, openVaultDatabase } from './store'
import { VAULT_FILE_NAME } from './vault-file-name'

export { VAULT_FILE_NAME }

export interface VaultFileOptions {
  dataDir: string
  nativeBinding?: string
  /** The schema steps; tests of a future migration pass their own list. */
  migrations?: readonly Migration[]
  /** False: no whole-file check at open (store.ts StoreOptions.consistencyCheck). */
  consistencyCheck?: boolean
}

/**
 * The vault file's lifecycle, apart from any key: this process's claim on it (the owner lock), the
 * open database, and its header. Opened lazily, so a host can start before the data folder exists.
 */
export interface VaultFile {
  readonly path: string
  /** The open database, or null before a vault exists (or before the first `ensureOpen`). */
  readonly database: Database.Database | null
  /** Claims the vault for this process and opens it if it exists; throws once closed. */
  ensureOpen(): void
  /** The open database; VALIDATION ("create a vault first") when there is none yet. */
  requireDatabase(): Database.Database
  /** The header row; INTEGRITY when it is missing. */
  header(): VaultHeader
  /** Builds a new vault file (all or nothing, see store.ts) and opens it. */
  create(initialise: (db: Database.Database) => void): void
  /**
   * Puts another vault file in this one's place (a restore) and opens it: closes the database,
   * removes its WAL and shared-memory files (a stale WAL would be replayed into the new file), runs
   * `install(path)`, which must leave a complete vault at `path`, and opens what is there.
   */
  replace(install: (path: string) => void): void
  close(): void
}

export function openVaultFile(options: VaultFileOptions): VaultFile {
  const path = resolve(join(options.dataDir, VAULT_FILE_NAME))
  const storeOptions = {
    path,
    nativeBinding: options.nativeBinding,
    migrations: options.migrations,
    consistencyCheck: options.consistencyCheck,
  }
  let ownerLock: OwnerLock | null = null
  let db: Database.Database | null = null
  let closed = false

  function ensureOpen(): void {
    if (closed) throw new AppError('VAULT_UNAVAILABLE', { message: 'Latchkey is shutting down.' })
    if (ownerLock) return
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
    const lock = acquireOwnerLock(path)
    try {
      if (existsSync(path)) db = openVaultDatabase(storeOptions)
      ownerLock = lock
    } catch (error) {
      lock.release()
      throw error
    }
  }

  function requireDatabase(): Database.Database {
    ensureOpen()
    if (!db) throw uninitializedError()
    return db
  }

  return {
    path,
    get database() {
      return db
    },
    ensureOpen,
    requireDatabase,
    header() {
      const found = db ? readHeader(db) : null
      if (!found)
        throw new AppError('INTEGRITY', {
          message: `The vault header in ${path} is missing.`,
          entityType: 'vault',
          entityId: path,
        })
      return found
    },
    create(initialise) {
      createVaultDatabase(storeOptions, initialise)
      db = openVaultDatabase(storeOptions)
    },
    replace(install) {
      ensureOpen()
      db?.close()
      db = null
      for (const suffix of ['-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
      install(path)
      if (existsSync(path)) db = openVaultDatabase(storeOptions)
    },
    close() {
      closed = true
      db?.close()
      db = null
      ownerLock?.release()
      ownerLock = null
    },
  }
}

function uninitializedError(): AppError {
  return new AppError('VALIDATION', {
    message: 'There is no vault yet. Create a vault first.',
    entityType: 'vault',
  })
}
