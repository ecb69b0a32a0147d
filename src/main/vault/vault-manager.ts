import type Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import type { KeychainStatus, LockReason, Settings, VaultState, VaultStatus } from '../../shared/contract'
import { DEFAULT_SETTINGS } from '../../shared/contract/settings'
import { AppError, validationError } from '../../shared/errors'
import type { Clock } from '../adapters/clock'
import type { RandomBytes } from '../adapters/random'
import { KeeperError, type SecretKeeper } from '../adapters/secret-keeper'
import { keyAuditLog, unkeyAuditLog } from '../audit/audit-key'
import { appendAudit, type AuditRecord } from '../audit/audit-log'
import { deriveSubkey, KEY_BYTES } from './envelope'
import {
  insertHeader,
  readHeader,
  updateKeychainWrap,
  updatePasswordWrap,
  VAULT_FORMAT_VERSION,
} from './header'
import { createIdleLock } from './idle-lock'
import type { DeriveKey } from './kdf'
import { cacheKeychainAvailability } from './keychain-availability'
import { createKeychainWrapping } from './keychain-wrap'
import type { Migration } from './migrations'
import { requireStrongPassword } from './password-policy'
import {
  createPasswordWrapping,
  PRODUCT_KDF_POLICY,
  type KdfUpgrade,
  type VaultKdfPolicy,
} from './password-wrap'
import { createSerialQueue } from './serial-queue'
import { createSession, vaultLockedError, type OwnedSession } from './session-impl'
import type { VaultSession } from './session'
import { readSettings, writeSettings } from './settings-store'
import { assertUnlockAllowed, clearFailedUnlocks, recordFailedUnlock } from './unlock-backoff'
import { openVaultFile } from './vault-file'

export { PRODUCT_KDF_POLICY, type VaultKdfPolicy } from './password-wrap'
export { VAULT_FILE_NAME } from './vault-file'

const FIRST_KEY_VERSION = 1

export interface VaultManagerDependencies {
  dataDir: string
  clock: Clock
  random: RandomBytes
  /**
   * Long-term keys (the vault key, the keychain's key-encryption key). Defaults to
   * crypto.randomBytes, never the pooled source: a key must not sit in a shared pool buffer.
   */
  keyRandom?: RandomBytes
  keeper: SecretKeeper
  /** Product default PRODUCT_KDF_POLICY; tests pass weaker parameters only for speed. */
  kdf?: VaultKdfPolicy
  /** A host's head start on the KDF (the CLI, kdf-head-start.ts); unlock derives itself otherwise. */
  deriveKey?: DeriveKey
  nativeBinding?: string
  /** The schema steps; tests of a future migration pass their own list. */
  migrations?: readonly Migration[]
  /** False: no whole-file check at open, for a CLI command that only reads (store.ts). */
  consistencyCheck?: boolean
  onStateChanged?: (state: VaultState, reason: LockReason | 'unlock' | 'create') => void
}

export interface VaultManager {
  readonly path: string
  status(): Promise<VaultStatus>
  create(input: { password: string; useKeychain: boolean }, origin: string): Promise<VaultStatus>
  unlock(password: string, origin: string): Promise<VaultStatus>
  unlockWithKeychain(origin: string): Promise<VaultStatus>
  /**
   * Turns unlock with the keychain on (wraps the vault key for it) or off (removes the keychain
   * entry and the header's wrap). Needs the vault unlocked.
   */
  setKeychainUnlock(enabled: boolean, origin: string): Promise<VaultStatus>
  lock(reason: LockReason, origin?: string): void
  changePassword(currentPassword: string, newPassword: string, origin: string): Promise<VaultStatus>
  /**
   * Activity from the person resets the idle timer: the renderer reports keys and pointer use, the CLI
   * channel each command. Background work (token refreshes, sync, list refreshes after them) does
   * not, or a vault with OAuth connections or a remote would never lock for idleness.
   */
  touch(): void
  /** The host saw the system suspend or the screen lock; locks when settings.lockOnSuspend. */
  hostSuspended(kind: 'suspend' | 'lock-screen'): void
  getSettings(): Settings
  setSettings(patch: Partial<Settings>, origin: string): Settings
  /** The unlocked vault for other domains; VAULT_LOCKED (423) when locked. */
  requireSession(): VaultSession
  /** The open database even while locked (the audit log is plaintext); not for secrets. */
  requireDatabase(): Database.Database
  /**
   * A restore: locks, lets `install(path)` put a verified vault file in place (vault-file.ts
   * replace), opens it locked and records `record` in its audit log. The caller checked the file.
   */
  replaceFile(install: (path: string) => void, record: AuditRecord): Promise<VaultStatus>
  close(): void
}

interface Unlocked {
  /**
   * Kept only so keychain unlock can be turned on without asking for the password again: the
   * session itself holds subkeys, and a password change re-wraps the copy its own check unwraps.
   */
  vaultKey: Buffer
  owned: OwnedSession
}

/**
 * The vault's states (uninitialized, locked, unlocked) and the moves between them. The file, the
 * two key wraps, the keychain's availability and the idle timer each live in their own module;
 * this one decides when each is used and records every move in the audit log.
 */
export function createVaultManager(deps: VaultManagerDependencies): VaultManager {
  const file = openVaultFile(deps)
  const { path } = file
  const keyRandom = deps.keyRandom ?? ((size: number) => randomBytes(size))
  const passwordWrapping = createPasswordWrapping(
    deps.kdf ?? PRODUCT_KDF_POLICY,
    deps.random,
    path,
    deps.deriveKey,
  )
  const keychainWrapping = createKeychainWrapping(deps.keeper, keyRandom, path)
  const keychainAvailability = cacheKeychainAvailability(deps.keeper, deps.clock)
  const idleLock = createIdleLock({
    clock: deps.clock,
    idleMs: () => (unlocked && file.database ? readSettings(file.database).autoLockMinutes * 60_000 : 0),
    onIdle: () => lock('idle', 'system'),
  })
  // create, unlock and password changes run one at a time: each reads and writes the header.
  const serialized = createSerialQueue()

  let unlocked: Unlocked | null = null
  /** Bumped by every lock, so an unlock whose KDF was running when the vault locked is discarded. */
  let epoch = 0
  let closed = false

  function state(): VaultState {
    if (!file.database) return 'uninitialized'
    return unlocked ? 'unlocked' : 'locked'
  }

  async function keychainStatus(): Promise<KeychainStatus> {
    const availability = await keychainAvailability.current()
    const enrolled = file.database ? readHeader(file.database)?.wrappedKeyKeychain != null : false
    return { ...availability, enrolled }
  }

  async function status(): Promise<VaultStatus> {
    file.ensureOpen()
    return { state: state(), keychain: await keychainStatus(), path }
  }

  function requireSession(): VaultSession {
    file.requireDatabase()
    if (!unlocked) throw vaultLockedError()
    return unlocked.owned.session
  }

  function requireUnlocked(): Unlocked {
    requireSession()
    return unlocked!
  }

  function audit(record: AuditRecord): void {
    appendAudit(file.requireDatabase(), deps.clock.now(), record)
  }

  function installKey(vaultKey: Buffer, keyVersion: number): OwnedSession {
    const owned = createSession({
      db: file.requireDatabase(),
      vaultKey,
      keyVersion,
      random: deps.random,
      now: () => deps.clock.now(),
    })
    unlocked = { vaultKey, owned }
    idleLock.noteActivity()
    idleLock.schedule()
    return owned
  }

  function lock(reason: LockReason, origin = 'system'): void {
    epoch += 1
    idleLock.stop()
    if (!unlocked) return
    const { owned, vaultKey } = unlocked
    unlocked = null
    try {
      // Before the keys go, so the entry is MACed like every other rather than left for the next unlock.
      if (file.database) owned.session.audit({ action: 'vault.lock', origin, details: { reason } })
    } finally {
      owned.end()
      vaultKey.fill(0)
    }
    deps.onStateChanged?.('locked', reason)
  }

  /** A keychain that cannot wrap right now means no keychain unlock, never a failed create. */
  async function wrapForKeychainIfAvailable(vaultKey: Buffer, keyVersion: number): Promise<Buffer | null> {
    if (!(await deps.keeper.availability()).available) return null
    return keychainWrapping.wrap(vaultKey, keyVersion).catch(() => null)
  }

  async function create(
    input: { password: string; useKeychain: boolean },
    origin: string,
  ): Promise<VaultStatus> {
    return serialized(async () => {
      file.ensureOpen()
      if (file.database)
        throw new AppError('CONFLICT', {
          message: `A vault already exists at ${path}.`,
          entityType: 'vault',
          entityId: path,
        })
      requireStrongPassword(input.password)
      const vaultKey = keyRandom(KEY_BYTES)
      const passwordWrap = await passwordWrapping.wrap(input.password, vaultKey, FIRST_KEY_VERSION)
      const keychainWrap = input.useKeychain
        ? await wrapForKeychainIfAvailable(vaultKey, FIRST_KEY_VERSION)
        : null
      file.create((database) => {
        const now = deps.clock.now()
        insertHeader(
          database,
          {
            formatVersion: VAULT_FORMAT_VERSION,
            kdf: passwordWrap.kdf,
            keyVersion: FIRST_KEY_VERSION,
            wrappedKeyPassword: passwordWrap.wrapped,
            wrappedKeyKeychain: keychainWrap,
          },
          now,
        )
        // The first entry is MACed and anchored, so a new vault never needs the legacy re-MAC.
        const auditKey = deriveSubkey(vaultKey, 'audit-mac')
        keyAuditLog(database, auditKey)
        try {
          appendAudit(database, now, {
            action: 'vault.create',
            origin,
            details: { keychain: keychainWrap !== null },
          })
        } finally {
          unkeyAuditLog(database)
          auditKey.fill(0)
        }
      })
      installKey(vaultKey, FIRST_KEY_VERSION)
      deps.onStateChanged?.('unlocked', 'create')
      return status()
    })
  }

  async function unlock(password: string, origin: string): Promise<VaultStatus> {
    // Taken at the call, not when the queue gets to it: a lock requested after this call wins.
    const started = epoch
    return serialized(async () => {
      file.requireDatabase()
      if (unlocked) return status()
      const db = file.requireDatabase()
      assertUnlockAllowed(db, deps.clock.now())
      const header = file.header()
      const vaultKey = await passwordWrapping.unwrap(password, header)
      if (!vaultKey) {
        db.transaction(() => {
          recordFailedUnlock(db, deps.clock.now())
          audit({ action: 'vault.unlock_failed', origin, details: { method: 'password' } })
        }).immediate()
        throw new AppError('AUTHENTICATION', { message: 'That master password is not correct.' })
      }
      // An older KDF is replaced while the password is at hand: only the wrap changes.
      const upgrade = await passwordWrapping.upgrade(password, vaultKey, header)
      return finishUnlock(vaultKey, header.keyVersion, started, origin, 'password', upgrade)
    })
  }

  async function unlockWithKeychain(origin: string): Promise<VaultStatus> {
    const started = epoch
    return serialized(async () => {
      file.requireDatabase()
      if (unlocked) return status()
      const header = file.header()
      if (!header.wrappedKeyKeychain)
        throw validationError(
          'Unlock with the keychain is not set up for this vault. Use your master password.',
        )
      let vaultKey: Buffer
      try {
        vaultKey = await keychainWrapping.unwrap(header.wrappedKeyKeychain, header.keyVersion)
      } catch (error) {
        keychainAvailability.invalidate()
        audit({ action: 'vault.unlock_failed', origin, details: { method: 'keychain' } })
        throw new AppError('AUTHENTICATION', { message: keychainFailureMessage(error) })
      }
      return finishUnlock(vaultKey, header.keyVersion, started, origin, 'keychain')
    })
  }

  function finishUnlock(
    vaultKey: Buffer,
    keyVersion: number,
    started: number,
    origin: string,
    method: string,
    upgrade: KdfUpgrade | null = null,
  ): Promise<VaultStatus> {
    if (epoch !== started || closed) {
      // Locked (or shutting down) while the key was being derived: the later intent wins.
      vaultKey.fill(0)
      return status()
    }
    const owned = installKey(vaultKey, keyVersion)
    try {
      owned.session.transaction(() => {
        // What was written without the key (entries while locked; a pre-schema-8 vault's log and
        // rows) is MACed before anything else is, and the unlock entry then anchors it.
        const adopted = owned.adoptPending()
        if (adopted.legacy)
          owned.session.audit({
            action: 'audit.remac',
            origin: 'system',
            details: { entries: adopted.adopted, connections: adopted.connections },
          })
        if (adopted.headProblem)
          owned.session.audit({
            action: 'audit.head_mismatch',
            origin: 'system',
            details: {
              anchor: adopted.headProblem,
              anchoredSeq: adopted.anchoredSeq,
              lastSeq: adopted.lastSeq,
            },
          })
        if (method === 'password') clearFailedUnlocks(owned.session.db)
        if (upgrade) {
          updatePasswordWrap(owned.session.db, upgrade.wrap.kdf, upgrade.wrap.wrapped, deps.clock.now())
          owned.session.audit({
            action: 'vault.kdf_upgrade',
            origin: 'system',
            details: { from: upgrade.from, to: upgrade.to },
          })
        }
        owned.session.audit({ action: 'vault.unlock', origin, details: { method } })
      })
    } catch (error) {
      // Not recorded means not unlocked: the key must not outlive the failed attempt in memory.
      unlocked = null
      idleLock.stop()
      owned.end()
      vaultKey.fill(0)
      throw error
    }
    deps.onStateChanged?.('unlocked', 'unlock')
    return status()
  }

  async function setKeychainUnlock(enabled: boolean, origin: string): Promise<VaultStatus> {
    return serialized(async () => {
      const { vaultKey, owned } = requireUnlocked()
      const header = file.header()
      if ((header.wrappedKeyKeychain !== null) === enabled) return status()
      keychainAvailability.invalidate()
      let wrapped: Buffer | null = null
      if (enabled) {
        const availability = await deps.keeper.availability()
        if (!availability.available)
          throw validationError(`Keychain unlock is unavailable. ${availability.reason ?? ''}`.trim())
        wrapped = await keychainWrapping.wrap(vaultKey, header.keyVersion)
      } else {
        // A keychain that is gone cannot be tidied; its entry opens nothing once the header's wrap
        // is removed, because the sealed vault key lives only there.
        await keychainWrapping.forget().catch(() => undefined)
      }
      owned.session.transaction(() => {
        updateKeychainWrap(owned.session.db, wrapped, deps.clock.now())
        owned.session.audit({ action: 'settings.change', origin, details: { keychainUnlock: enabled } })
      })
      return status()
    })
  }

  async function changePassword(
    currentPassword: string,
    newPassword: string,
    origin: string,
  ): Promise<VaultStatus> {
    return serialized(async () => {
      const session = requireSession()
      const header = file.header()
      const confirmedKey = await passwordWrapping.unwrap(currentPassword, header)
      if (!confirmedKey) {
        audit({
          action: 'vault.unlock_failed',
          origin,
          details: { method: 'password', during: 'password_change' },
        })
        throw new AppError('AUTHENTICATION', { message: 'The current master password is not correct.' })
      }
      try {
        requireStrongPassword(newPassword)
        if (!unlocked) throw vaultLockedError()
        // Only the wrap changes: every secret stays encrypted under the same vault key, the one the
        // current password just unwrapped (no second copy is made, and this one is zeroed below).
        const rewrapped = await passwordWrapping.wrap(newPassword, confirmedKey, header.keyVersion)
        session.transaction(() => {
          updatePasswordWrap(session.db, rewrapped.kdf, rewrapped.wrapped, deps.clock.now())
          session.audit({ action: 'vault.password_change', origin })
        })
      } finally {
        confirmedKey.fill(0)
      }
      return status()
    })
  }

  function getSettings(): Settings {
    file.ensureOpen()
    return file.database ? readSettings(file.database) : { ...DEFAULT_SETTINGS }
  }

  function setSettings(patch: Partial<Settings>, origin: string): Settings {
    const session = requireSession()
    session.transaction(() => {
      writeSettings(session.db, patch)
      session.audit({ action: 'settings.change', origin, details: { ...patch } })
    })
    idleLock.schedule()
    return readSettings(session.db)
  }

  return {
    path,
    status,
    create,
    unlock,
    unlockWithKeychain,
    setKeychainUnlock,
    lock,
    changePassword,
    touch() {
      if (unlocked) idleLock.noteActivity()
    },
    hostSuspended() {
      if (!unlocked || !file.database) return
      if (readSettings(file.database).lockOnSuspend) lock('suspend', 'system')
    },
    getSettings,
    setSettings,
    requireSession,
    requireDatabase: file.requireDatabase,
    replaceFile: (install, record) =>
      serialized(async () => {
        // lock() announces the move when the vault was unlocked; from uninitialized, this does.
        const announced = unlocked !== null
        lock('restore', record.origin)
        file.replace(install)
        audit(record)
        if (!announced) deps.onStateChanged?.('locked', 'restore')
        return status()
      }),
    close() {
      if (closed) return
      if (file.database) lock('shutdown', 'system')
      closed = true
      file.close()
    },
  }
}

/** A keeper's refusal is written for a person; anything else (bytes that do not open) is not. */
function keychainFailureMessage(error: unknown): string {
  const reason =
    error instanceof KeeperError ? error.message : 'The system keychain could not unlock this vault.'
  return `${reason} Use your master password.`
}
