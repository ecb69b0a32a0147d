import Database from 'better-sqlite3'
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '../../shared/errors'
import {
  LATEST_SCHEMA_VERSION,
  migrate,
  schemaVersion,
  type Migration,
  migrations as allMigrations,
} from './migrations'

export interface StoreOptions {
  path: string
  /** better-sqlite3's addon built for Electron's ABI (desktop host); plain Node uses its own. */
  nativeBinding?: string
  migrations?: readonly Migration[]
  /**
   * False for a CLI command that only reads (list, get, reveal…): the whole-file quick_check (O(file):
   * ~18 ms at 10k connections, ~130 ms at 100k, on every command) is left to the app's open and to
   * commands that write user data. SQLite still checks each page such a command reads
   * (cell_size_check), and every value it reads is checked by its GCM tag and row MAC. A file that
   * needs a migration is always checked in full first.
   */
  consistencyCheck?: boolean
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')
const SQLITE_HEADER_BYTES = 100

const damaged = (path: string, what: string) =>
  new AppError('INTEGRITY', {
    message: `The vault at ${path} ${what}. Latchkey left the file untouched; restore it from a backup.`,
    entityType: 'vault',
    entityId: path,
  })

/**
 * Checks a vault file without writing to it: the SQLite header bytes, the size the header
 * promises, the schema version, and the vault header row. Run before the file is opened
 * read-write, because switching to WAL or migrating would otherwise change a file that may be a
 * user's only copy.
 */
export function inspectVaultFile(options: StoreOptions): void {
  const { path } = options
  const known = (options.migrations ?? allMigrations).length
  checkSqliteHeader(path)
  let db: Database.Database
  try {
    // A short busy timeout: a vault held by another process should be reported now, not in 5 s.
    db = new Database(path, {
      readonly: true,
      fileMustExist: true,
      timeout: 250,
      nativeBinding: options.nativeBinding,
    })
  } catch {
    throw damaged(path, 'could not be read as a database')
  }
  try {
    let version: number
    try {
      version = schemaVersion(db)
      if (options.consistencyCheck !== false || version !== known) {
        const check = db.pragma('quick_check(1)', { simple: true })
        if (check !== 'ok') throw new Error('quick_check')
      }
    } catch (error) {
      if (isBusy(error)) throw busyError(path)
      throw damaged(path, 'is damaged (the database does not pass its own consistency check)')
    }
    if (version > known) {
      throw new AppError('VAULT_UNAVAILABLE', {
        message: `The vault at ${path} was written by a newer version of Latchkey (schema ${version}; this version understands up to ${known}). Update Latchkey to open it.`,
        entityType: 'vault',
        entityId: path,
      })
    }
    if (version === 0) throw damaged(path, 'is an SQLite database but not a Latchkey vault')
    const header = tryRead(() =>
      db.prepare('SELECT kdf, wrapped_key_password FROM vault_header WHERE id = 1').get(),
    )
    if (!header) throw damaged(path, 'has a missing or damaged vault header')
  } finally {
    db.close()
  }
}

function checkSqliteHeader(path: string): void {
  const size = statSync(path).size
  if (size < SQLITE_HEADER_BYTES) throw damaged(path, size === 0 ? 'is empty' : 'is truncated')
  const header = Buffer.alloc(SQLITE_HEADER_BYTES)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, header, 0, SQLITE_HEADER_BYTES, 0)
  } finally {
    closeSync(fd)
  }
  if (!header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC))
    throw damaged(path, 'is not a Latchkey vault')
  const rawPageSize = header.readUInt16BE(16)
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
  const pageCount = header.readUInt32BE(28)
  // The in-header size is only trustworthy when its "version-valid-for" matches the change counter.
  const sizeIsValid = header.readUInt32BE(92) === header.readUInt32BE(24)
  if (pageSize < 512 || size % pageSize !== 0) throw damaged(path, 'is truncated')
  if (sizeIsValid && pageCount > 0 && size < pageSize * pageCount) throw damaged(path, 'is truncated')
}

/** Opens a validated vault read-write, as its only user, and brings its schema up to date. */
export function openVaultDatabase(options: StoreOptions): Database.Database {
  inspectVaultFile(options)
  const db = new Database(options.path, { fileMustExist: true, nativeBinding: options.nativeBinding })
  try {
    configure(db, options.path)
    if (options.consistencyCheck === false) db.pragma('cell_size_check = ON')
    migrate(db, options.migrations ?? allMigrations)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * Builds a new vault beside its final path and renames it into place only when complete, so a
 * crash during creation never leaves a half-made vault where Latchkey looks for one.
 */
export function createVaultDatabase(
  options: StoreOptions,
  initialise: (db: Database.Database) => void,
): void {
  const temporary = `${options.path}.creating-${process.pid}`
  removeIfPresent(temporary)
  const db = new Database(temporary, { nativeBinding: options.nativeBinding })
  try {
    configure(db, temporary)
    migrate(db, options.migrations ?? allMigrations)
    db.transaction(() => initialise(db)).immediate()
    db.close()
    fsyncPath(temporary)
    renameSync(temporary, options.path)
    fsyncPath(dirname(options.path))
  } catch (error) {
    if (db.open) db.close()
    removeIfPresent(temporary)
    throw error
  }
}

function configure(db: Database.Database, path: string): void {
  // EXCLUSIVE before WAL: SQLite then keeps the WAL index in heap memory (no -shm file) and holds its
  // file lock until close, so a second process cannot read or write even if it got past the lock file.
  db.pragma('locking_mode = EXCLUSIVE')
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal') throw new Error('wal')
  } catch (error) {
    if (isBusy(error)) throw busyError(path)
    throw error
  }
  db.pragma('synchronous = FULL')
  // Checkpoint at 32 MiB of WAL rather than SQLite's 4 MiB: a batch of 500 updates spread over a
  // large vault dirties ~10 MiB, so at the default every commit also checkpointed (copied its pages
  // into the file and fsynced it), ~20% of a batch's time (bench/connections.bench.ts). The WAL is
  // truncated back to 32 MiB after a checkpoint, so it never holds more than that on disk.
  db.pragma('wal_autocheckpoint = 8192')
  // Temporary tables (the connections list's change notes) in memory, never in a temp file. Set
  // before any exists: changing it later drops them.
  db.pragma('temp_store = MEMORY')
  db.pragma('journal_size_limit = 33554432')
  db.pragma('foreign_keys = ON')
  // Freed pages are zeroed, so a deleted secret's envelope does not linger in the file.
  db.pragma('secure_delete = ON')
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
}

function busyError(path: string): AppError {
  return new AppError('VAULT_UNAVAILABLE', {
    message: `The vault at ${path} is held open by another process. Close it there, then try again.`,
    entityType: 'vault',
    entityId: path,
  })
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  } finally {
    closeSync(fd)
  }
}

function removeIfPresent(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) unlinkSync(path + suffix)
  }
}

export { LATEST_SCHEMA_VERSION }
