import type Database from 'better-sqlite3'
import { AppError } from '../../shared/errors'
import type { RandomBytes } from '../adapters/random'
import { adoptPendingEntries, type Adoption } from '../audit/audit-adopt'
import { keyAuditLog, unkeyAuditLog } from '../audit/audit-key'
import { appendAudit, hasMacColumn, type AuditRecord, type RowHeldHead } from '../audit/audit-log'
import { deriveSubkey, EnvelopeError, open, seal } from './envelope'
import { sealUnmacedRows, startRowMacs, stopRowMacs, verifyRowMac } from './row-mac'
import type { SecretPurpose, VaultSession } from './session'

const PURPOSES: readonly SecretPurpose[] = ['connection-value', 'remote-api-key']

const ENTITY_TYPE: Record<SecretPurpose, string> = {
  'connection-value': 'app_connection',
  'remote-api-key': 'remote',
}

export interface SessionDependencies {
  db: Database.Database
  vaultKey: Buffer
  keyVersion: number
  random: RandomBytes
  now: () => number
}

/** What the first moments of an unlock vouched for, and what it found wrong; see adoptPending. */
export interface Adopted extends Adoption {
  /** Rows MACed now (a vault from before schema 8). */
  connections: number
}

export interface OwnedSession {
  session: VaultSession
  /**
   * MACs what was written without the key: entries appended while locked and, on a vault from
   * before schema 8, the whole log and every row. Runs inside the unlock's transaction.
   */
  adoptPending(): Adopted
  /** Overwrites every key buffer this session owns; every later call throws VAULT_LOCKED. */
  end(): void
}

export const vaultLockedError = () =>
  new AppError('VAULT_LOCKED', { message: 'The vault is locked. Unlock it with your master password.' })

/**
 * The unlocked vault as other domains see it. It holds only per-purpose HKDF subkeys, not the
 * vault key itself (the manager owns that), and forgets them when the vault locks.
 */
export function createSession(deps: SessionDependencies): OwnedSession {
  const subkeys = new Map(PURPOSES.map((purpose) => [purpose, deriveSubkey(deps.vaultKey, purpose)]))
  // Integrity keys: the audit chain's and the rows' MACs, kept by the audit log and SQLite's
  // triggers on this handle (audit-key.ts, row-mac.ts) until end() takes them back and zeroes them.
  const auditKey = deriveSubkey(deps.vaultKey, 'audit-mac')
  const rowKey = deriveSubkey(deps.vaultKey, 'row-mac')
  // Schema 8 or later; the migration tests drive older builds' schemas through this code.
  const keyedSchema = hasMacColumn(deps.db)
  keyAuditLog(deps.db, auditKey)
  if (keyedSchema) startRowMacs(deps.db, rowKey)
  let active = true

  const use = (): Database.Database => {
    if (!active) throw vaultLockedError()
    return deps.db
  }
  const subkeyFor = (purpose: SecretPurpose): Buffer => {
    use()
    const key = subkeys.get(purpose)
    if (!key) throw new Error(`No subkey for ${purpose}.`)
    return key
  }

  const session: VaultSession = {
    get db() {
      return use()
    },
    keyVersion: deps.keyVersion,
    seal(purpose, rowId, plaintext) {
      const bytes = Buffer.from(plaintext, 'utf8')
      try {
        return seal({
          subkey: subkeyFor(purpose),
          purpose,
          rowId,
          keyVersion: deps.keyVersion,
          plaintext: bytes,
          random: deps.random,
        })
      } finally {
        bytes.fill(0)
      }
    },
    open(purpose, rowId, envelope) {
      const subkey = subkeyFor(purpose)
      let bytes: Buffer
      try {
        bytes = open({ subkey, purpose, rowId, keyVersion: deps.keyVersion, envelope })
      } catch (error) {
        if (error instanceof EnvelopeError) throw integrityError(purpose, rowId)
        throw error
      }
      const text = bytes.toString('utf8')
      bytes.fill(0)
      return text
    },
    audit(record: AuditRecord, rowHead?: RowHeldHead) {
      return appendAudit(use(), deps.now(), record, rowHead)
    },
    transaction(work) {
      return use().transaction(work).immediate()
    },
    assertRowIntegrity(connectionId) {
      verifyRowMac(use(), connectionId)
    },
  }

  return {
    session,
    adoptPending() {
      const db = use()
      if (!keyedSchema)
        return { legacy: false, adopted: 0, headProblem: null, anchoredSeq: null, lastSeq: 0, connections: 0 }
      const adoption = adoptPendingEntries(db, auditKey)
      return { ...adoption, connections: adoption.legacy ? sealUnmacedRows(db) : 0 }
    },
    end() {
      active = false
      unkeyAuditLog(deps.db)
      stopRowMacs(deps.db)
      for (const key of [...subkeys.values(), auditKey, rowKey]) key.fill(0)
      subkeys.clear()
    },
  }
}

function integrityError(purpose: SecretPurpose, rowId: string): AppError {
  const what = purpose === 'connection-value' ? 'connection' : 'remote'
  return new AppError('INTEGRITY', {
    message: `The stored secret of ${what} ${rowId} failed its integrity check: it was altered or belongs to another ${what}. Other secrets are unaffected; restore this one from a backup or enter it again.`,
    entityType: ENTITY_TYPE[purpose],
    entityId: rowId,
  })
}
