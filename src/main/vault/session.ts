import type Database from 'better-sqlite3'
import type { AuditRecord, RowHeldHead } from '../audit/audit-log'

/** What a secret is for. Each purpose encrypts under its own HKDF subkey of the vault key. */
export type SecretPurpose = 'connection-value' | 'remote-api-key'

/**
 * The seam between the vault and the domains stored in it (connections, policies, sync). A domain
 * gets a session only while the vault is unlocked; `lock()` invalidates it, after which every call
 * throws VAULT_LOCKED.
 */
export interface VaultSession {
  readonly db: Database.Database
  readonly keyVersion: number
  /** AES-256-GCM under the purpose's subkey; the row id and key version are bound as associated data. */
  seal(purpose: SecretPurpose, rowId: string, plaintext: string): Buffer
  /** Throws INTEGRITY (naming only the row) when the envelope was altered or belongs to another row. */
  open(purpose: SecretPurpose, rowId: string, envelope: Buffer): string
  /**
   * Appends to the hash-chained audit log and answers the entry's seq; call inside the same
   * transaction as the change. `rowHead`: the caller writes the seq into the connection's row.
   */
  audit(record: AuditRecord, rowHead?: RowHeldHead): number
  /** Runs `work` in one IMMEDIATE transaction: the row, its audit entry and its outbox entry commit together. */
  transaction<T>(work: () => T): T
  /**
   * INTEGRITY naming the connection when its row's identity or list columns (or projects) do not
   * match their MAC: swapped or edited in the file. Call before handing out anything a row's identity
   * selected (reveal, copy, resolve, export). Nothing happens when there is no such row.
   */
  assertRowIntegrity(connectionId: string): void
}
