import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startKeyDerivation } from '../../../src/main/vault/kdf-head-start'
import { createUnlockedTestCore, createVaultTestCore, TEST_KDF, TEST_PASSWORD } from '../../support/vault'
import { insertConnection, readSecret } from './fixtures'

// A pass-through count of real derivations: the head start must save one, not add one.
const { derivations } = vi.hoisted(() => ({ derivations: { count: 0 } }))
vi.mock('../../../src/main/vault/kdf', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/main/vault/kdf')>()
  return {
    ...actual,
    deriveKeyFromPassword: (...args: Parameters<typeof actual.deriveKeyFromPassword>) => {
      derivations.count += 1
      return actual.deriveKeyFromPassword(...args)
    },
  }
})

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function closedVault(): Promise<string> {
  const t = await createUnlockedTestCore()
  insertConnection(t.session, 'conn_1', 'sk-live-abc')
  await t.core.close()
  dirs.push(t.dataDir)
  return t.dataDir
}

describe('a head start on the KDF (CLI with LATCHKEY_PASSWORD)', () => {
  it('hands unlock the key it started early, once, and the vault opens with it', async () => {
    const dataDir = await closedVault()
    const early = startKeyDerivation({ dataDir, password: TEST_PASSWORD, minimum: TEST_KDF.minimum })
    expect(early).not.toBeNull()
    derivations.count = 0
    const t = createVaultTestCore({ dataDir, dependencies: { deriveKey: early! } })
    try {
      await t.call('vault.unlock', { password: TEST_PASSWORD })
      expect(readSecret(t.core.vault.requireSession(), 'conn_1')).toBe('sk-live-abc')
      expect(derivations.count).toBe(0)
      // Used up: a second unlock derives afresh, and still opens.
      await t.call('vault.lock')
      await t.call('vault.unlock', { password: TEST_PASSWORD })
      expect(derivations.count).toBe(1)
    } finally {
      await t.core.close()
    }
  })

  it('gives an early key only for the same password: a different one derives afresh', async () => {
    const dataDir = await closedVault()
    const early = startKeyDerivation({
      dataDir,
      password: 'not the password at all',
      minimum: TEST_KDF.minimum,
    })
    derivations.count = 0
    const t = createVaultTestCore({ dataDir, dependencies: { deriveKey: early! } })
    try {
      await t.call('vault.unlock', { password: TEST_PASSWORD })
      expect(derivations.count).toBe(1)
      expect(readSecret(t.core.vault.requireSession(), 'conn_1')).toBe('sk-live-abc')
    } finally {
      await t.core.close()
    }
  })

  it('a wrong password started early is refused as wrong, like any other', async () => {
    const dataDir = await closedVault()
    const wrong = 'a wrong but long passphrase'
    const early = startKeyDerivation({ dataDir, password: wrong, minimum: TEST_KDF.minimum })
    const t = createVaultTestCore({ dataDir, dependencies: { deriveKey: early! } })
    try {
      await expect(t.call('vault.unlock', { password: wrong })).rejects.toMatchObject({
        code: 'AUTHENTICATION',
      })
    } finally {
      await t.core.close()
    }
  })

  it('starts nothing without a readable header: no vault, a header below the minimum, or one held open', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'latchkey-headstart-'))
    dirs.push(empty)
    expect(
      startKeyDerivation({ dataDir: empty, password: TEST_PASSWORD, minimum: TEST_KDF.minimum }),
    ).toBeNull()

    const dataDir = await closedVault()
    const strict = { ...TEST_KDF.minimum, argon2id: { m: 131072, t: 3, p: 4 } }
    expect(startKeyDerivation({ dataDir, password: TEST_PASSWORD, minimum: strict })).toBeNull()

    const db = new Database(join(dataDir, 'vault.sqlite'))
    db.prepare('UPDATE vault_header SET kdf = ?').run('{"algorithm":"argon2id","params":{"m":2}}')
    db.close()
    expect(startKeyDerivation({ dataDir, password: TEST_PASSWORD, minimum: TEST_KDF.minimum })).toBeNull()

    // The owner (here, a core that holds the vault) keeps it exclusively: no read, no head start.
    const fresh = await closedVault()
    const owner = createVaultTestCore({ dataDir: fresh })
    try {
      await owner.call('vault.unlock', { password: TEST_PASSWORD })
      expect(
        startKeyDerivation({ dataDir: fresh, password: TEST_PASSWORD, minimum: TEST_KDF.minimum }),
      ).toBeNull()
    } finally {
      await owner.core.close()
    }
  })
})
