import type Database from 'better-sqlite3'

/** The vault header's one row: how to derive the password key, and the vault key wrapped twice. */
export interface VaultHeader {
  formatVersion: number
  kdf: string
  keyVersion: number
  wrappedKeyPassword: Buffer
  wrappedKeyKeychain: Buffer | null
}

export const VAULT_FORMAT_VERSION = 1

/** The row id both wraps of the vault key bind as associated data. */
export const KEY_WRAP_ROW = 'vault-key'

interface HeaderRow {
  format_version: number
  kdf: string
  key_version: number
  wrapped_key_password: Buffer
  wrapped_key_keychain: Buffer | null
}

export function readHeader(db: Database.Database): VaultHeader | null {
  const row = db.prepare('SELECT * FROM vault_header WHERE id = 1').get() as HeaderRow | undefined
  if (!row) return null
  return {
    formatVersion: row.format_version,
    kdf: row.kdf,
    keyVersion: row.key_version,
    wrappedKeyPassword: row.wrapped_key_password,
    wrappedKeyKeychain: row.wrapped_key_keychain,
  }
}

export function insertHeader(db: Database.Database, header: VaultHeader, nowMs: number): void {
  db.prepare(
    `INSERT INTO vault_header (id, format_version, kdf, key_version, wrapped_key_password, wrapped_key_keychain, created_ms, updated_ms)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    header.formatVersion,
    header.kdf,
    header.keyVersion,
    header.wrappedKeyPassword,
    header.wrappedKeyKeychain,
    nowMs,
    nowMs,
  )
}

export function updatePasswordWrap(db: Database.Database, kdf: string, wrapped: Buffer, nowMs: number): void {
  db.prepare('UPDATE vault_header SET kdf = ?, wrapped_key_password = ?, updated_ms = ? WHERE id = 1').run(
    kdf,
    wrapped,
    nowMs,
  )
}

export function updateKeychainWrap(db: Database.Database, wrapped: Buffer | null, nowMs: number): void {
  db.prepare('UPDATE vault_header SET wrapped_key_keychain = ?, updated_ms = ? WHERE id = 1').run(
    wrapped,
    nowMs,
  )
}
