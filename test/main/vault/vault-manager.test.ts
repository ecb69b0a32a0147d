import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AuditPage, VaultStatus } from '../../../src/shared/contract'
import {
  createVaultTestCore,
  createUnlockedTestCore,
  TEST_KDF,
  TEST_PASSWORD,
  type VaultTestCore,
} from '../../support/vault'
import type { VaultKdfPolicy } from '../../../src/main/vault/vault-manager'
import { insertConnection, readSecret } from './fixtures'

const cores: VaultTestCore[] = []
const track = <T extends VaultTestCore>(core: T) => (cores.push(core), core)
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose()
})

const NEW_PASSWORD = 'a different long passphrase'

describe('vault lifecycle', () => {
  it('reports uninitialized before a vault exists, and asks for one to be created', async () => {
    const t = track(createVaultTestCore())
    const status = await t.call<VaultStatus>('vault.status')
    expect(status).toMatchObject({ state: 'uninitialized', path: join(t.dataDir, 'vault.sqlite') })
    expect(status.keychain).toEqual({
      available: false,
      enrolled: false,
      reason: 'Tests run without a keychain.',
    })
    await expect(t.call('vault.unlock', { password: TEST_PASSWORD })).rejects.toMatchObject({
      code: 'VALIDATION',
      params: { message: expect.stringMatching(/Create a vault first/) },
    })
    expect(() => t.core.vault.requireSession()).toThrow(/Create a vault first/)
    expect(existsSync(join(t.dataDir, 'vault.sqlite'))).toBe(false)
  })

  it('creates an unlocked vault, emits the change, and audits it', async () => {
    const t = track(createVaultTestCore())
    const events: unknown[] = []
    t.core.events.subscribe((name, payload) => events.push({ name, payload }))
    const status = await t.call<VaultStatus>('vault.create', { password: TEST_PASSWORD })
    expect(status.state).toBe('unlocked')
    expect(events).toEqual([{ name: 'vault.stateChanged', payload: { state: 'unlocked', reason: 'create' } }])
    const page = await t.call<AuditPage>('audit.list', {})
    expect(page.data.map((entry) => entry.action)).toEqual(['vault.create'])
    await expect(t.call('vault.create', { password: TEST_PASSWORD })).rejects.toMatchObject({
      code: 'CONFLICT',
    })
  })

  it('refuses a weak password on create with advice, and an empty or overlong one by schema', async () => {
    const t = track(createVaultTestCore())
    await expect(t.call('vault.create', { password: 'password123' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'VALIDATION',
      params: { message: expect.stringMatching(/too weak.*at least 12 characters/) },
    })
    await expect(t.call('vault.create', { password: '' })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(t.call('vault.create', { password: 'x'.repeat(1025) })).rejects.toMatchObject({
      code: 'VALIDATION',
      params: { message: expect.stringMatching(/at most 1024/) },
    })
    expect((await t.call<VaultStatus>('vault.status')).state).toBe('uninitialized')
  })

  it('locks, then unlocks with the password; the key is gone while locked', async () => {
    const t = track(await createUnlockedTestCore())
    insertConnection(t.session, 'conn_1', 'sk-live-abc')
    const status = await t.call<VaultStatus>('vault.lock')
    expect(status.state).toBe('locked')
    expect(() => t.session.seal('connection-value', 'conn_1', 'x')).toThrow(/locked/)
    expect(() => t.session.db).toThrow(/locked/)
    await expect(t.call('audit.list', {})).rejects.toMatchObject({ statusCode: 423, code: 'VAULT_LOCKED' })
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    expect(readSecret(t.core.vault.requireSession(), 'conn_1')).toBe('sk-live-abc')
  })

  it('answers a wrong password with 401, audits it, and changes nothing but the backoff count', async () => {
    const t = track(await createUnlockedTestCore())
    await t.call('vault.lock')
    const db = t.core.vault.requireDatabase()
    const headerBefore = db.prepare('SELECT * FROM vault_header').get()
    const error = await t
      .call('vault.unlock', { password: 'not the right password' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ statusCode: 401, code: 'AUTHENTICATION' })
    expect(JSON.stringify(error)).not.toContain('not the right password')
    expect((await t.call<VaultStatus>('vault.status')).state).toBe('locked')
    expect(db.prepare('SELECT * FROM vault_header').get()).toEqual({
      ...(headerBefore as object),
      failed_unlocks: 1,
      last_failed_unlock_ms: expect.any(Number),
    })
    const actions = db.prepare('SELECT action, details FROM audit_log ORDER BY seq').all()
    expect(actions).toEqual([
      { action: 'vault.create', details: '{"keychain":false}' },
      { action: 'vault.lock', details: '{"reason":"manual"}' },
      { action: 'vault.unlock_failed', details: '{"method":"password"}' },
    ])
  })

  it('changes the password by re-wrapping the key only: secrets stay as they were', async () => {
    const t = track(await createUnlockedTestCore())
    insertConnection(t.session, 'conn_1', 'sk-live-abc')
    const db = t.core.vault.requireDatabase()
    const envelopeBefore = db.prepare('SELECT envelope FROM connection_values').get()
    const wrapBefore = db.prepare('SELECT wrapped_key_password, kdf FROM vault_header').get() as Record<
      string,
      unknown
    >
    await t.call('vault.changePassword', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
    const wrapAfter = db.prepare('SELECT wrapped_key_password, kdf FROM vault_header').get() as Record<
      string,
      unknown
    >
    expect(wrapAfter.wrapped_key_password).not.toEqual(wrapBefore.wrapped_key_password)
    expect(wrapAfter.kdf).not.toEqual(wrapBefore.kdf) // a fresh salt
    expect(db.prepare('SELECT envelope FROM connection_values').get()).toEqual(envelopeBefore)

    await t.call('vault.lock')
    await expect(t.call('vault.unlock', { password: TEST_PASSWORD })).rejects.toMatchObject({
      code: 'AUTHENTICATION',
    })
    await t.call('vault.unlock', { password: NEW_PASSWORD })
    expect(readSecret(t.core.vault.requireSession(), 'conn_1')).toBe('sk-live-abc')
    const page = await t.call<AuditPage>('audit.list', {})
    expect(page.data.map((entry) => entry.action)).toContain('vault.password_change')
  })

  it('refuses a password change with a wrong current password or a weak new one', async () => {
    const t = track(await createUnlockedTestCore())
    await expect(
      t.call('vault.changePassword', { currentPassword: 'wrong wrong wrong', newPassword: NEW_PASSWORD }),
    ).rejects.toMatchObject({ code: 'AUTHENTICATION' })
    await expect(
      t.call('vault.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'abc' }),
    ).rejects.toMatchObject({ code: 'VALIDATION', params: { message: expect.stringMatching(/too weak/) } })
    await t.call('vault.lock')
    await t.call('vault.unlock', { password: TEST_PASSWORD })
  })

  it('refuses a password change while locked', async () => {
    const t = track(await createUnlockedTestCore())
    await t.call('vault.lock')
    await expect(
      t.call('vault.changePassword', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }),
    ).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
  })

  it('unlocks again after a restart, from the parameters stored in the header', async () => {
    const first = await createUnlockedTestCore()
    insertConnection(first.session, 'conn_1', 'sk-live-abc')
    const dataDir = first.dataDir
    await first.core.close()
    const second = track(createVaultTestCore({ dataDir }))
    expect((await second.call<VaultStatus>('vault.status')).state).toBe('locked')
    await second.call('vault.unlock', { password: TEST_PASSWORD })
    expect(readSecret(second.core.vault.requireSession(), 'conn_1')).toBe('sk-live-abc')
    await first.dispose()
  })

  it('stores the vault key only wrapped: header params are JSON, and no 32-byte key sits in the clear', async () => {
    const t = track(await createUnlockedTestCore())
    await t.core.close()
    const db = new Database(join(t.dataDir, 'vault.sqlite'), { readonly: true })
    const header = db.prepare('SELECT * FROM vault_header').get() as {
      kdf: string
      wrapped_key_password: Buffer
    }
    db.close()
    expect(JSON.parse(header.kdf)).toMatchObject({ algorithm: 'argon2id', params: { m: 256, t: 1, p: 1 } })
    // version byte + key version + nonce + tag + 32-byte ciphertext
    expect(header.wrapped_key_password.length).toBe(1 + 4 + 12 + 16 + 32)
  })

  it('re-wraps a scrypt vault with Argon2id at its next password unlock: same key, audited, once', async () => {
    const scryptPolicy: VaultKdfPolicy = {
      ...TEST_KDF,
      params: { algorithm: 'scrypt', params: TEST_KDF.minimum.scrypt },
    }
    const old = track(await createUnlockedTestCore({ dependencies: { vaultKdf: scryptPolicy } }))
    insertConnection(old.session, 'conn_1', 'sk-live-abc')
    await old.core.close()
    const headerKdf = () => {
      const db = new Database(join(old.dataDir, 'vault.sqlite'), { readonly: true })
      try {
        return JSON.parse((db.prepare('SELECT kdf FROM vault_header').get() as { kdf: string }).kdf)
      } finally {
        db.close()
      }
    }
    expect(headerKdf()).toMatchObject({ algorithm: 'scrypt' })

    // A wrong password changes nothing.
    const refused = createVaultTestCore({ dataDir: old.dataDir })
    await expect(refused.call('vault.unlock', { password: NEW_PASSWORD })).rejects.toMatchObject({
      code: 'AUTHENTICATION',
    })
    await refused.core.close()
    expect(headerKdf()).toMatchObject({ algorithm: 'scrypt' })

    const current = track(createVaultTestCore({ dataDir: old.dataDir }))
    await current.call('vault.unlock', { password: TEST_PASSWORD })
    const session = current.core.vault.requireSession()
    const kdf = session.db.prepare('SELECT kdf FROM vault_header').get() as { kdf: string }
    expect(JSON.parse(kdf.kdf)).toMatchObject({ algorithm: 'argon2id', params: TEST_KDF.params.params })
    expect(readSecret(current.core.vault.requireSession(), 'conn_1')).toBe('sk-live-abc')
    await current.call('vault.lock')
    await current.call('vault.unlock', { password: TEST_PASSWORD })
    const upgrades = (await current.call<AuditPage>('audit.list', {})).data.filter(
      (entry) => entry.action === 'vault.kdf_upgrade',
    )
    expect(upgrades).toHaveLength(1)
    expect(upgrades[0]!.details).toEqual({ from: 'scrypt N=1024 r=8 p=1', to: 'argon2id m=256 t=1 p=1' })
    expect((await current.call<{ ok: boolean }>('audit.verify', {})).ok).toBe(true)
  })

  it('keeps settings in the vault, audits changes, and refuses changes while locked', async () => {
    const t = track(await createUnlockedTestCore())
    expect(await t.call('settings.get')).toMatchObject({ autoLockMinutes: 15, lockOnSuspend: true })
    expect(await t.call('settings.set', { autoLockMinutes: 5 })).toMatchObject({ autoLockMinutes: 5 })
    await expect(t.call('settings.set', { autoLockMinutes: -1 })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    await t.call('vault.lock')
    expect(await t.call('settings.get')).toMatchObject({ autoLockMinutes: 5 })
    await expect(t.call('settings.set', { autoLockMinutes: 0 })).rejects.toMatchObject({
      code: 'VAULT_LOCKED',
    })
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    const page = await t.call<AuditPage>('audit.list', {})
    expect(page.data.find((entry) => entry.action === 'settings.change')?.details).toEqual({
      autoLockMinutes: 5,
    })
  })

  it('answers one unlock when two run at once, and a lock during an unlock wins', async () => {
    const t = track(await createUnlockedTestCore())
    await t.call('vault.lock')
    const [a, b] = await Promise.all([
      t.call<VaultStatus>('vault.unlock', { password: TEST_PASSWORD }),
      t.call<VaultStatus>('vault.unlock', { password: TEST_PASSWORD }),
    ])
    expect([a.state, b.state]).toEqual(['unlocked', 'unlocked'])
    await t.call('vault.lock')
    const pending = t.call<VaultStatus>('vault.unlock', { password: TEST_PASSWORD })
    t.core.vault.lock('manual')
    expect((await pending).state).toBe('locked')
  })
})
