import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type CoreDependencies, type LatchkeyCore } from '../../src/main/core'
import type { CallContext } from '../../src/main/api/router'
import type { Clock } from '../../src/main/adapters/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { createUnavailableKeeper } from '../../src/main/platform/unavailable-keeper'
import type { VaultSession } from '../../src/main/vault/session'
import type { VaultKdfPolicy } from '../../src/main/vault/vault-manager'

/**
 * A weak Argon2id so a test unlocks in a millisecond, and a weak scrypt minimum so tests can still
 * open a vault written the old way. Only tests use these; the product's are in kdf.ts, and
 * test/main/vault has tests that run them.
 */
export const TEST_KDF: VaultKdfPolicy = {
  params: { algorithm: 'argon2id', params: { m: 256, t: 1, p: 1 } },
  minimum: { argon2id: { m: 256, t: 1, p: 1 }, scrypt: { N: 2 ** 10, r: 8, p: 1 } },
}

/** Passes the strength rule; tests use it so they read as "the user's password". */
export const TEST_PASSWORD = 'correct horse battery staple'

export const TEST_CONTEXT: CallContext = { origin: 'test' }

export interface VaultTestCoreOptions {
  dataDir?: string
  clock?: Clock
  dependencies?: Partial<CoreDependencies>
}

export interface VaultTestCore {
  core: LatchkeyCore
  dataDir: string
  /** Calls a procedure through the router and returns its value, or throws the contract error object. */
  call<T = unknown>(name: string, input?: unknown): Promise<T>
  dispose(): Promise<void>
}

/** Tests never open the system browser; a test that needs to see a URL opened passes its own. */
async function refuseToOpenBrowser(): Promise<void> {
  throw new Error('Tests open no system browser.')
}

/** A real core with test KDF parameters and no keychain, on a temp data dir (or the one given). */
export function createVaultTestCore(options: VaultTestCoreOptions = {}): VaultTestCore {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-vault-'))
  const core = createCore({
    identity: { name: 'Latchkey', version: '0.0.0-test', host: 'browser' },
    dataDir,
    logger: silentLogger,
    clock: options.clock,
    vaultKdf: TEST_KDF,
    secretKeeper: createUnavailableKeeper('Tests run without a keychain.'),
    openExternal: refuseToOpenBrowser,
    detectSuspendByClock: false,
    ...options.dependencies,
  })
  return {
    core,
    dataDir,
    async call<T>(name: string, input: unknown = {}) {
      const result = await core.router.dispatch(name, input, TEST_CONTEXT)
      if (!result.ok) throw result.error
      return result.value as T
    },
    async dispose() {
      await core.close()
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface UnlockedTestCore extends VaultTestCore {
  /** The live session; it stops working once the vault locks. */
  session: VaultSession
}

/** A real core whose vault has been created (with TEST_PASSWORD) and is unlocked. */
export async function createUnlockedTestCore(options: VaultTestCoreOptions = {}): Promise<UnlockedTestCore> {
  const base = createVaultTestCore(options)
  try {
    await base.call('vault.create', { password: TEST_PASSWORD })
  } catch (error) {
    await base.dispose()
    throw error
  }
  return { ...base, session: base.core.vault.requireSession() }
}

/** Reopens an existing data dir and unlocks it with TEST_PASSWORD. */
export async function openUnlockedVault(
  dataDir: string,
  options: Omit<VaultTestCoreOptions, 'dataDir'> = {},
): Promise<UnlockedTestCore> {
  const base = createVaultTestCore({ ...options, dataDir })
  try {
    await base.call('vault.unlock', { password: TEST_PASSWORD })
  } catch (error) {
    await base.dispose()
    throw error
  }
  return { ...base, session: base.core.vault.requireSession() }
}
