import type Database from 'better-sqlite3'
import { AppError } from '../../shared/errors'
import type { RandomBytes } from '../adapters/random'
import { appendAudit, type AuditRecord } from '../audit/audit-log'
import { deriveSubkey, EnvelopeError, open, seal } from './envelope'
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
  /** Called on every use, so idle auto-lock measures real work, not just the renderer's touches. */
  onActivity: () => void
}

export interface OwnedSession {
  session: VaultSession
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
  let active = true

  const use = (): Database.Database => {
    if (!active) throw vaultLockedError()
    deps.onActivity()
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
    audit(record: AuditRecord) {
      appendAudit(use(), deps.now(), record)
    },
    transaction(work) {
      return use().transaction(work).immediate()
    },
  }

  return {
    session,
    end() {
      active = false
      for (const key of subkeys.values()) key.fill(0)
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
