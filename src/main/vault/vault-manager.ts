import type Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { KeychainStatus, LockReason, Settings, VaultState, VaultStatus } from '../../shared/contract'
import { DEFAULT_SETTINGS } from '../../shared/contract/settings'
import { AppError, validationError } from '../../shared/errors'
import { passwordStrength } from '../../shared/password-strength'
import { appendAudit } from '../audit/audit-log'
import type { Clock } from '../adapters/clock'
import type { RandomBytes } from '../adapters/random'
import { deriveSubkey, EnvelopeError, KEY_BYTES, open, seal } from './envelope'
import {
  insertHeader,
  readHeader,
  updatePasswordWrap,
  VAULT_FORMAT_VERSION,
  type VaultHeader,
} from './header'
import {
  deriveKeyFromPassword,
  KdfHeaderError,
  newKdfDescriptor,
  parseKdf,
  PRODUCT_SCRYPT_PARAMS,
  serializeKdf,
  type ScryptParams,
} from './kdf'
import type { Migration } from './migrations'
import { acquireOwnerLock, type OwnerLock } from './owner-lock'
import type { SecretKeeper } from '../adapters/secret-keeper'
import { createSession, vaultLockedError, type OwnedSession } from './session-impl'
import type { VaultSession } from './session'
import { readSettings, writeSettings } from './settings-store'
import { createVaultDatabase, openVaultDatabase } from './store'

export const VAULT_FILE_NAME = 'vault.sqlite'
const FIRST_KEY_VERSION = 1
const KEY_WRAP_ROW = 'vault-key'
/** Keychain availability can change (a keyring gets unlocked); asking costs a D-Bus round trip. */
const KEYCHAIN_STATUS_TTL_MS = 30_000

export interface VaultKdfPolicy {
  /** What new vaults and password changes use. */
  params: ScryptParams
  /** The weakest a vault header may ask for at unlock. */
  minimum: ScryptParams
}

export const PRODUCT_KDF_POLICY: VaultKdfPolicy = {
  params: PRODUCT_SCRYPT_PARAMS,
  minimum: PRODUCT_SCRYPT_PARAMS,
}

export interface VaultManagerDependencies {
  dataDir: string
  clock: Clock
  random: RandomBytes
  keeper: SecretKeeper
  /** Product default PRODUCT_KDF_POLICY; tests pass weaker parameters only for speed. */
  kdf?: VaultKdfPolicy
  nativeBinding?: string
  /** The schema steps; tests of a future migration pass their own list. */
  migrations?: readonly Migration[]
  onStateChanged?: (state: VaultState, reason: LockReason | 'unlock' | 'create') => void
}

export interface VaultManager {
  readonly path: string
  status(): Promise<VaultStatus>
  create(input: { password: string; useKeychain: boolean }, origin: string): Promise<VaultStatus>
  unlock(password: string, origin: string): Promise<VaultStatus>
  unlockWithKeychain(origin: string): Promise<VaultStatus>
  lock(reason: LockReason, origin?: string): void
  changePassword(currentPassword: string, newPassword: string, origin: string): Promise<VaultStatus>
  /** Activity from the person (renderer) resets the idle timer. */
  touch(): void
  /** The host saw the system suspend or the screen lock; locks when settings.lockOnSuspend. */
  hostSuspended(kind: 'suspend' | 'lock-screen'): void
  getSettings(): Settings
  setSettings(patch: Partial<Settings>, origin: string): Settings
  /** The unlocked vault for other domains; VAULT_LOCKED (423) when locked. */
  requireSession(): VaultSession
  /** The open database even while locked (the audit log is plaintext); not for secrets. */
  requireDatabase(): Database.Database
  close(): void
}

interface Unlocked {
  vaultKey: Buffer
  owned: OwnedSession
}

export function createVaultManager(deps: VaultManagerDependencies): VaultManager {
  const path = resolve(join(deps.dataDir, VAULT_FILE_NAME))
  const kdfPolicy = deps.kdf ?? PRODUCT_KDF_POLICY
  const storeOptions = { path, nativeBinding: deps.nativeBinding, migrations: deps.migrations }
  const vaultId = createHash('sha256').update(path).digest('hex').slice(0, 32)

  let ownerLock: OwnerLock | null = null
  let db: Database.Database | null = null
  let unlocked: Unlocked | null = null
  let lastActivityMs = deps.clock.now()
  let idleTimer: unknown = null
  let keychainCache: { atMs: number; value: { available: boolean; reason: string | null } } | null = null
  /** Bumped by every lock, so an unlock whose KDF was running when the vault locked is discarded. */
  let epoch = 0
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  /** create, unlock and password changes run one at a time: each reads and writes the header. */
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work)
    queue = run.catch(() => undefined)
    return run
  }

  function ensureOpen(): void {
    if (closed) throw new AppError('VAULT_UNAVAILABLE', { message: 'Latchkey is shutting down.' })
    if (ownerLock) return
    mkdirSync(deps.dataDir, { recursive: true, mode: 0o700 })
    const lock = acquireOwnerLock(path)
    try {
      if (existsSync(path)) db = openVaultDatabase(storeOptions)
      ownerLock = lock
    } catch (error) {
      lock.release()
      throw error
    }
  }

  function state(): VaultState {
    if (!db) return 'uninitialized'
    return unlocked ? 'unlocked' : 'locked'
  }

  function header(): VaultHeader {
    const found = db ? readHeader(db) : null
    if (!found)
      throw new AppError('INTEGRITY', {
        message: `The vault header in ${path} is missing.`,
        entityType: 'vault',
        entityId: path,
      })
    return found
  }

  async function keychainStatus(): Promise<KeychainStatus> {
    const now = deps.clock.now()
    if (!keychainCache || now - keychainCache.atMs > KEYCHAIN_STATUS_TTL_MS) {
      keychainCache = { atMs: now, value: await deps.keeper.availability() }
    }
    const enrolled = db ? readHeader(db)?.wrappedKeyKeychain != null : false
    return { ...keychainCache.value, enrolled }
  }

  async function status(): Promise<VaultStatus> {
    ensureOpen()
    return { state: state(), keychain: await keychainStatus(), path }
  }

  function requireDatabase(): Database.Database {
    ensureOpen()
    if (!db) throw uninitializedError()
    return db
  }

  function requireSession(): VaultSession {
    const database = requireDatabase()
    if (!unlocked || !database) throw vaultLockedError()
    return unlocked.owned.session
  }

  function audit(record: Parameters<typeof appendAudit>[2]): void {
    appendAudit(requireDatabase(), deps.clock.now(), record)
  }

  function installKey(vaultKey: Buffer, keyVersion: number): void {
    const database = requireDatabase()
    const owned = createSession({
      db: database,
      vaultKey,
      keyVersion,
      random: deps.random,
      now: () => deps.clock.now(),
      onActivity: noteActivity,
    })
    unlocked = { vaultKey, owned }
    noteActivity()
    scheduleIdleCheck()
  }

  function noteActivity(): void {
    lastActivityMs = deps.clock.now()
  }

  // One pending timer at most: activity only moves lastActivityMs, and the check re-arms itself
  // for the remaining time, so a hot loop of session calls never churns timers.
  function scheduleIdleCheck(): void {
    if (idleTimer !== null) deps.clock.clearTimeout(idleTimer)
    idleTimer = null
    if (!unlocked || !db) return
    const idleMs = readSettings(db).autoLockMinutes * 60_000
    if (idleMs === 0) return
    const wait = Math.max(0, lastActivityMs + idleMs - deps.clock.now())
    idleTimer = deps.clock.setTimeout(onIdleCheck, wait)
  }

  function onIdleCheck(): void {
    idleTimer = null
    if (!unlocked || !db) return
    const idleMs = readSettings(db).autoLockMinutes * 60_000
    if (idleMs > 0 && deps.clock.now() - lastActivityMs >= idleMs) lock('idle', 'system')
    else scheduleIdleCheck()
  }

  function lock(reason: LockReason, origin = 'system'): void {
    epoch += 1
    if (idleTimer !== null) deps.clock.clearTimeout(idleTimer)
    idleTimer = null
    if (!unlocked) return
    unlocked.owned.end()
    unlocked.vaultKey.fill(0)
    unlocked = null
    if (db) audit({ action: 'vault.lock', origin, details: { reason } })
    deps.onStateChanged?.('locked', reason)
  }

  async function wrapWithPassword(password: string, vaultKey: Buffer, keyVersion: number) {
    const descriptor = newKdfDescriptor(kdfPolicy.params, deps.random)
    const wrapping = await deriveWrappingKey(password, descriptor)
    try {
      const wrapped = seal({
        subkey: wrapping,
        purpose: 'key-wrap-password',
        rowId: KEY_WRAP_ROW,
        keyVersion,
        plaintext: vaultKey,
        random: deps.random,
      })
      return { kdf: serializeKdf(descriptor), wrapped }
    } finally {
      wrapping.fill(0)
    }
  }

  /** The vault key, or null when the password is wrong. */
  async function unwrapWithPassword(password: string, current: VaultHeader): Promise<Buffer | null> {
    let descriptor
    try {
      descriptor = parseKdf(current.kdf, kdfPolicy.minimum)
    } catch (error) {
      if (error instanceof KdfHeaderError)
        throw new AppError('INTEGRITY', {
          message: `${error.message} (${path})`,
          entityType: 'vault',
          entityId: path,
        })
      throw error
    }
    const wrapping = await deriveWrappingKey(password, descriptor)
    try {
      return open({
        subkey: wrapping,
        purpose: 'key-wrap-password',
        rowId: KEY_WRAP_ROW,
        keyVersion: current.keyVersion,
        envelope: current.wrappedKeyPassword,
      })
    } catch (error) {
      if (error instanceof EnvelopeError) return null
      throw error
    } finally {
      wrapping.fill(0)
    }
  }

  async function deriveWrappingKey(
    password: string,
    descriptor: ReturnType<typeof newKdfDescriptor>,
  ): Promise<Buffer> {
    const derived = await deriveKeyFromPassword(password, descriptor)
    const wrapping = deriveSubkey(derived, 'key-wrap-password')
    derived.fill(0)
    return wrapping
  }

  /**
   * The keychain never holds the vault key itself: it wraps a random key-encryption key, and the
   * vault key is sealed under that with AES-GCM. A keeper answering with the wrong bytes then
   * fails authentication cleanly instead of yielding a wrong vault key.
   */
  async function wrapWithKeychain(vaultKey: Buffer, keyVersion: number): Promise<Buffer> {
    const kek = deps.random(KEY_BYTES)
    try {
      const keeperBlob = await deps.keeper.wrap(vaultId, kek)
      const sealed = seal({
        subkey: deriveSubkey(kek, 'key-wrap-keychain'),
        purpose: 'key-wrap-keychain',
        rowId: KEY_WRAP_ROW,
        keyVersion,
        plaintext: vaultKey,
        random: deps.random,
      })
      const length = Buffer.alloc(4)
      length.writeUInt32BE(keeperBlob.length)
      return Buffer.concat([length, keeperBlob, sealed])
    } finally {
      kek.fill(0)
    }
  }

  async function unwrapWithKeychain(stored: Buffer, keyVersion: number): Promise<Buffer> {
    if (stored.length < 4) throw new EnvelopeError('malformed')
    const blobLength = stored.readUInt32BE(0)
    if (stored.length < 4 + blobLength) throw new EnvelopeError('malformed')
    const kek = await deps.keeper.unwrap(vaultId, stored.subarray(4, 4 + blobLength))
    const subkey = deriveSubkey(kek, 'key-wrap-keychain')
    kek.fill(0)
    try {
      return open({
        subkey,
        purpose: 'key-wrap-keychain',
        rowId: KEY_WRAP_ROW,
        keyVersion,
        envelope: stored.subarray(4 + blobLength),
      })
    } finally {
      subkey.fill(0)
    }
  }

  function requireStrong(password: string): void {
    const strength = passwordStrength(password)
    if (!strength.acceptable) {
      throw new AppError('VALIDATION', {
        message: `That master password is too weak. ${strength.feedback ?? ''}`.trim(),
        issues: [{ path: 'password', message: strength.feedback ?? 'Too weak.' }],
      })
    }
  }

  async function create(
    input: { password: string; useKeychain: boolean },
    origin: string,
  ): Promise<VaultStatus> {
    return serialized(async () => {
      ensureOpen()
      if (db)
        throw new AppError('CONFLICT', {
          message: `A vault already exists at ${path}.`,
          entityType: 'vault',
          entityId: path,
        })
      requireStrong(input.password)
      const vaultKey = deps.random(KEY_BYTES)
      const password = await wrapWithPassword(input.password, vaultKey, FIRST_KEY_VERSION)
      let keychainWrap: Buffer | null = null
      if (input.useKeychain && (await deps.keeper.availability()).available) {
        keychainWrap = await wrapWithKeychain(vaultKey, FIRST_KEY_VERSION).catch(() => null)
      }
      createVaultDatabase(storeOptions, (database) => {
        const now = deps.clock.now()
        insertHeader(
          database,
          {
            formatVersion: VAULT_FORMAT_VERSION,
            kdf: password.kdf,
            keyVersion: FIRST_KEY_VERSION,
            wrappedKeyPassword: password.wrapped,
            wrappedKeyKeychain: keychainWrap,
          },
          now,
        )
        appendAudit(database, now, {
          action: 'vault.create',
          origin,
          details: { keychain: keychainWrap !== null },
        })
      })
      db = openVaultDatabase(storeOptions)
      installKey(vaultKey, FIRST_KEY_VERSION)
      deps.onStateChanged?.('unlocked', 'create')
      return status()
    })
  }

  async function unlock(password: string, origin: string): Promise<VaultStatus> {
    // Taken at the call, not when the queue gets to it: a lock requested after this call wins.
    const started = epoch
    return serialized(async () => {
      requireDatabase()
      if (unlocked) return status()
      const current = header()
      const vaultKey = await unwrapWithPassword(password, current)
      if (!vaultKey) {
        audit({ action: 'vault.unlock_failed', origin, details: { method: 'password' } })
        throw new AppError('AUTHENTICATION', { message: 'That master password is not correct.' })
      }
      return finishUnlock(vaultKey, current.keyVersion, started, origin, 'password')
    })
  }

  async function unlockWithKeychain(origin: string): Promise<VaultStatus> {
    const started = epoch
    return serialized(async () => {
      requireDatabase()
      if (unlocked) return status()
      const current = header()
      if (!current.wrappedKeyKeychain)
        throw validationError(
          'Unlock with the keychain is not set up for this vault. Use your master password.',
        )
      let vaultKey: Buffer
      try {
        vaultKey = await unwrapWithKeychain(current.wrappedKeyKeychain, current.keyVersion)
      } catch {
        audit({ action: 'vault.unlock_failed', origin, details: { method: 'keychain' } })
        throw new AppError('AUTHENTICATION', {
          message: 'The system keychain could not unlock this vault. Use your master password.',
        })
      }
      return finishUnlock(vaultKey, current.keyVersion, started, origin, 'keychain')
    })
  }

  function finishUnlock(
    vaultKey: Buffer,
    keyVersion: number,
    started: number,
    origin: string,
    method: string,
  ): Promise<VaultStatus> {
    if (epoch !== started || closed) {
      // Locked (or shutting down) while the key was being derived: the later intent wins.
      vaultKey.fill(0)
      return status()
    }
    try {
      audit({ action: 'vault.unlock', origin, details: { method } })
    } catch (error) {
      // Not recorded means not unlocked: the key must not outlive the failed attempt in memory.
      vaultKey.fill(0)
      throw error
    }
    installKey(vaultKey, keyVersion)
    deps.onStateChanged?.('unlocked', 'unlock')
    return status()
  }

  async function changePassword(
    currentPassword: string,
    newPassword: string,
    origin: string,
  ): Promise<VaultStatus> {
    return serialized(async () => {
      const session = requireSession()
      const current = header()
      const check = await unwrapWithPassword(currentPassword, current)
      if (!check) {
        audit({
          action: 'vault.unlock_failed',
          origin,
          details: { method: 'password', during: 'password_change' },
        })
        throw new AppError('AUTHENTICATION', { message: 'The current master password is not correct.' })
      }
      check.fill(0)
      requireStrong(newPassword)
      if (!unlocked) throw vaultLockedError()
      // Only the wrap changes: every secret stays encrypted under the same vault key.
      const rewrapped = await wrapWithPassword(newPassword, unlocked.vaultKey, current.keyVersion)
      session.transaction(() => {
        updatePasswordWrap(session.db, rewrapped.kdf, rewrapped.wrapped, deps.clock.now())
        session.audit({ action: 'vault.password_change', origin })
      })
      return status()
    })
  }

  function getSettings(): Settings {
    ensureOpen()
    return db ? readSettings(db) : { ...DEFAULT_SETTINGS }
  }

  function setSettings(patch: Partial<Settings>, origin: string): Settings {
    const session = requireSession()
    session.transaction(() => {
      writeSettings(session.db, patch)
      session.audit({ action: 'settings.change', origin, details: { ...patch } })
    })
    scheduleIdleCheck()
    return readSettings(session.db)
  }

  return {
    path,
    status,
    create,
    unlock,
    unlockWithKeychain,
    lock,
    changePassword,
    touch() {
      if (unlocked) noteActivity()
    },
    hostSuspended() {
      if (!unlocked || !db) return
      if (readSettings(db).lockOnSuspend) lock('suspend', 'system')
    },
    getSettings,
    setSettings,
    requireSession,
    requireDatabase,
    close() {
      if (closed) return
      if (db) lock('shutdown', 'system')
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
