import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { VaultStatus } from '../../../src/shared/contract'
import { createKeyringKeeper } from '../../../src/main/platform/keyring-keeper'
import { createManualClock } from '../../support/manual-clock'
import { createVaultTestCore, TEST_PASSWORD, type VaultTestCore } from '../../support/vault'
import { describeWithSecretService } from './describe-with-secret-service'

const cores: VaultTestCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose()
})

// Its own file, so its own process and its own Secret Service: this test stops the daemon.
describeWithSecretService('when the Secret Service goes away', (service) => {
  it('reports keychain unlock unavailable with the reason, and the password still unlocks', async () => {
    const clock = createManualClock()
    const t = createVaultTestCore({
      clock,
      dependencies: { secretKeeper: createKeyringKeeper({ service: 'Latchkey keychain test' }) },
    })
    cores.push(t)
    await t.call('vault.create', { password: TEST_PASSWORD, useKeychain: true })
    await t.call('vault.lock')

    await service().stopKeyring()
    // The status asks the keychain at most every 30 s; past that it must see the keyring is gone.
    clock.jump(31_000)
    const status = await t.call<VaultStatus>('vault.status')
    expect(status.keychain).toEqual({
      available: false,
      enrolled: true,
      reason: expect.stringMatching(/^No Secret Service is running.*Install gnome-keyring/),
    })
    await expect(t.call('vault.unlock', { method: 'keychain' })).rejects.toMatchObject({
      statusCode: 401,
      code: 'AUTHENTICATION',
      params: { message: 'The system keychain refused the request (read). Use your master password.' },
    })
    expect((await t.call<VaultStatus>('vault.unlock', { password: TEST_PASSWORD })).state).toBe('unlocked')
  })

  it('a Latchkey started after the Secret Service went away stores the key nowhere else', async () => {
    // Runs after the test above stopped the keyring. Left to choose, the keyring binding falls back
    // to the kernel's keyutils store in a process that finds no Secret Service: memory only, lost at
    // the next reboot. The keeper must refuse instead.
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'children', 'keeper-check.ts')],
      {
        encoding: 'utf8',
      },
    )
    expect(JSON.parse(output)).toEqual({
      availability: { available: false, reason: expect.stringMatching(/^No Secret Service is running/) },
      stored: 'The system keychain refused the request (store).',
    })
  })
})
