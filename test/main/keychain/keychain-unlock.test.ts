import { AsyncEntry } from '@napi-rs/keyring'
import { afterEach, expect, it } from 'vitest'
import type { AuditPage, VaultStatus } from '../../../src/shared/contract'
import { createKeyringKeeper } from '../../../src/main/platform/keyring-keeper'
import { keychainVaultId } from '../../../src/main/vault/keychain-wrap'
import { createVaultTestCore, TEST_PASSWORD, type VaultTestCore } from '../../support/vault'
import { describeWithSecretService } from './describe-with-secret-service'

/** Its own service name, so these entries never mix with a person's Latchkey entries. */
const SERVICE = 'Latchkey keychain test'

const cores: VaultTestCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose()
})

/** A core whose keeper is browser mode's: @napi-rs/keyring talking to the private Secret Service. */
function keyringCore(dataDir?: string): VaultTestCore {
  const core = createVaultTestCore({
    dataDir,
    dependencies: { secretKeeper: createKeyringKeeper({ service: SERVICE }) },
  })
  cores.push(core)
  return core
}

/** What the Secret Service itself holds for this vault, read around Latchkey. */
const keychainEntry = (core: VaultTestCore) =>
  new AsyncEntry(SERVICE, `vault-${keychainVaultId(core.core.vault.path)}`, {
    linux: { store: 'secret-service' },
  })

async function unlockMethods(core: VaultTestCore): Promise<unknown[]> {
  const page = await core.call<AuditPage>('audit.list', {})
  return page.data
    .filter((entry) => entry.action === 'vault.unlock' || entry.action === 'vault.unlock_failed')
    .map((entry) => `${entry.action}:${String(entry.details.method)}`)
    .reverse()
}

describeWithSecretService('unlock with a real Secret Service', () => {
  it('creates a vault with keychain unlock, then unlocks it from the keychain alone', async () => {
    const t = keyringCore()
    const created = await t.call<VaultStatus>('vault.create', { password: TEST_PASSWORD, useKeychain: true })
    expect(created.keychain).toEqual({ available: true, enrolled: true, reason: null })
    const stored = await keychainEntry(t).getSecret()
    expect(stored?.length).toBe(32)

    expect((await t.call<VaultStatus>('vault.lock')).state).toBe('locked')
    const unlocked = await t.call<VaultStatus>('vault.unlock', { method: 'keychain' })
    expect(unlocked.state).toBe('unlocked')
    expect(await unlockMethods(t)).toEqual(['vault.unlock:keychain'])
  })

  it('unlocks from the keychain after a restart, with nothing but the vault file and the keychain entry', async () => {
    const first = keyringCore()
    await first.call('vault.create', { password: TEST_PASSWORD, useKeychain: true })
    const dataDir = first.dataDir
    await first.core.close()

    const second = keyringCore(dataDir)
    const status = await second.call<VaultStatus>('vault.status')
    expect(status).toMatchObject({ state: 'locked', keychain: { available: true, enrolled: true } })
    expect((await second.call<VaultStatus>('vault.unlock', { method: 'keychain' })).state).toBe('unlocked')
  })

  it('leaves the keychain empty when the person did not ask for keychain unlock', async () => {
    const t = keyringCore()
    const created = await t.call<VaultStatus>('vault.create', { password: TEST_PASSWORD })
    expect(created.keychain).toEqual({ available: true, enrolled: false, reason: null })
    expect(await keychainEntry(t).getSecret()).toBeNull()
    await t.call('vault.lock')
    await expect(t.call('vault.unlock', { method: 'keychain' })).rejects.toMatchObject({
      code: 'VALIDATION',
      params: { message: expect.stringMatching(/not set up for this vault/) },
    })
  })

  it('turning keychain unlock off removes the keychain entry, and keychain unlock then refuses', async () => {
    const t = keyringCore()
    await t.call('vault.create', { password: TEST_PASSWORD, useKeychain: true })
    const off = await t.core.vault.setKeychainUnlock(false, 'test')
    expect(off.keychain).toEqual({ available: true, enrolled: false, reason: null })
    expect(await keychainEntry(t).getSecret()).toBeNull()

    await t.call('vault.lock')
    await expect(t.call('vault.unlock', { method: 'keychain' })).rejects.toMatchObject({
      code: 'VALIDATION',
      params: { message: expect.stringMatching(/not set up for this vault/) },
    })
    await t.call('vault.unlock', { password: TEST_PASSWORD })

    const on = await t.core.vault.setKeychainUnlock(true, 'test')
    expect(on.keychain.enrolled).toBe(true)
    await t.call('vault.lock')
    expect((await t.call<VaultStatus>('vault.unlock', { method: 'keychain' })).state).toBe('unlocked')
    const changes = (await t.call<AuditPage>('audit.list', {})).data
      .filter((entry) => entry.action === 'settings.change')
      .map((entry) => entry.details)
    expect(changes.reverse()).toEqual([{ keychainUnlock: false }, { keychainUnlock: true }])
  })

  it('says why when the keychain entry was deleted behind its back, and the password still unlocks', async () => {
    const t = keyringCore()
    await t.call('vault.create', { password: TEST_PASSWORD, useKeychain: true })
    await t.call('vault.lock')
    expect(await keychainEntry(t).deleteCredential()).toBe(true)

    await expect(t.call('vault.unlock', { method: 'keychain' })).rejects.toMatchObject({
      statusCode: 401,
      code: 'AUTHENTICATION',
      params: {
        message: 'The system keychain no longer holds this vault’s key. Use your master password.',
      },
    })
    expect((await t.call<VaultStatus>('vault.unlock', { password: TEST_PASSWORD })).state).toBe('unlocked')
    expect(await unlockMethods(t)).toEqual(['vault.unlock_failed:keychain', 'vault.unlock:password'])
  })
})
