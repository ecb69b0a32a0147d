import { readdirSync, readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppConnection, AuditPage, Page, VaultStatus } from '../../../src/shared/contract'
import type { ErrorObject } from '../../../src/shared/errors'
import {
  createUnlockedTestCore,
  createVaultTestCore,
  TEST_PASSWORD,
  type VaultTestCore,
} from '../../support/vault'
import { downloadAll, uploadAll } from './support'

const cores: VaultTestCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose()
})

async function sourceVault() {
  const core = await createUnlockedTestCore()
  cores.push(core)
  const slack = await core.call<{ connection: AppConnection }>('connections.upsert', {
    displayName: 'Slack bot',
    pieceName: '@activepieces/piece-slack',
    pieceVersion: '0.10.0',
    type: 'SECRET_TEXT',
    externalId: 'slack-bot',
    value: { type: 'SECRET_TEXT', secret_text: 'xoxb-1\nline two' },
    projectIds: ['project_1'],
  })
  await core.call('connections.upsert', {
    displayName: 'Mail',
    pieceName: '@activepieces/piece-smtp',
    pieceVersion: '0.1.0',
    type: 'BASIC_AUTH',
    externalId: 'mail',
    value: { type: 'BASIC_AUTH', username: 'ops', password: 'hunter2' },
    metadata: { team: 'ops' },
  })
  await core.call('settings.set', { autoLockMinutes: 42 })
  return { core, slackId: slack.connection.id }
}

async function backupOf(core: VaultTestCore): Promise<Buffer> {
  const file = await core.call<{ transferId: string; size: number; connections: number }>('backup.create', {
    password: TEST_PASSWORD,
  })
  expect(file.connections).toBe(2)
  const bytes = await downloadAll(core, file.transferId)
  expect(bytes.length).toBe(file.size)
  return bytes
}

/** Everything a person would compare: rows, values, settings. */
async function contentOf(core: VaultTestCore) {
  const page = await core.call<Page<AppConnection>>('connections.list', { limit: 100, sort: 'displayName' })
  const values = []
  for (const connection of page.data) {
    values.push((await core.call<{ value: unknown }>('connections.reveal', { id: connection.id })).value)
  }
  const settings = await core.call<{ autoLockMinutes: number }>('settings.get')
  return {
    connections: page.data.map(({ health: _h, ...rest }) => rest),
    values,
    autoLock: settings.autoLockMinutes,
  }
}

async function errorOf(core: VaultTestCore, name: string, input: unknown): Promise<ErrorObject> {
  const result = await core.core.router.dispatch(name, input, { origin: 'test' })
  if (result.ok) throw new Error(`${name} succeeded`)
  return result.error
}

describe('encrypted backup and restore', () => {
  it('restores into a fresh vault on another machine with equal content, locked until its password is given', async () => {
    const { core } = await sourceVault()
    const expected = await contentOf(core)
    const bytes = await backupOf(core)
    // Nothing readable in the file: not a name, not a secret.
    for (const text of ['Slack bot', 'slack-bot', 'hunter2', 'xoxb-1', 'SQLite format'])
      expect(bytes.includes(Buffer.from(text))).toBe(false)

    const fresh = createVaultTestCore()
    cores.push(fresh)
    expect((await fresh.call<VaultStatus>('vault.status')).state).toBe('uninitialized')
    const transferId = await uploadAll(fresh, bytes)
    const states: unknown[] = []
    fresh.core.events.subscribe((name, payload) => name === 'vault.stateChanged' && states.push(payload))
    const restored = await fresh.call<{ connections: number; previousVaultKeptAs: string | null }>(
      'backup.restore',
      {
        transferId,
        password: TEST_PASSWORD,
      },
    )
    expect(restored).toMatchObject({ connections: 2, previousVaultKeptAs: null })
    expect((await fresh.call<VaultStatus>('vault.status')).state).toBe('locked')
    expect(states).toEqual([{ state: 'locked', reason: 'restore' }])
    await fresh.call('vault.unlock', { password: TEST_PASSWORD })
    expect(await contentOf(fresh)).toEqual(expected)
    const audit = await fresh.call<AuditPage>('audit.list', { limit: 100 })
    expect(audit.data.map((entry) => entry.action)).toContain('vault.restore')
  })

  it('replaces an unlocked vault and keeps the one it replaced beside it', async () => {
    const { core } = await sourceVault()
    const bytes = await backupOf(core)
    const other = await createUnlockedTestCore()
    cores.push(other)
    await other.call('connections.upsert', {
      displayName: 'Only here',
      pieceName: '@activepieces/piece-http',
      pieceVersion: '1.0.0',
      type: 'SECRET_TEXT',
      externalId: 'only-here',
      value: { type: 'SECRET_TEXT', secret_text: 'mine' },
    })
    const transferId = await uploadAll(other, bytes, 1000)
    const states: unknown[] = []
    other.core.events.subscribe((name, payload) => name === 'vault.stateChanged' && states.push(payload))
    const restored = await other.call<{ previousVaultKeptAs: string }>('backup.restore', {
      transferId,
      password: TEST_PASSWORD,
    })
    expect(restored.previousVaultKeptAs).toMatch(/^vault\.before-restore-.*\.sqlite$/)
    expect(readdirSync(other.dataDir)).toContain(restored.previousVaultKeptAs)
    expect(states).toEqual([{ state: 'locked', reason: 'restore' }])
    await other.call('vault.unlock', { password: TEST_PASSWORD })
    expect(await contentOf(other)).toEqual(await contentOf(core))
  })

  it('refuses a wrong password and a damaged file, and changes nothing', async () => {
    const { core } = await sourceVault()
    const bytes = await backupOf(core)
    const other = await createUnlockedTestCore()
    cores.push(other)
    await other.call('settings.set', { autoLockMinutes: 7 })
    const before = await contentOf(other)
    const fileBefore = readFileSync(other.core.vault.path)

    const wrong = await errorOf(other, 'backup.restore', {
      transferId: await uploadAll(other, bytes),
      password: 'not the password at all',
    })
    expect(wrong).toMatchObject({ code: 'AUTHENTICATION', statusCode: 401 })

    for (const offset of [bytes.length - 1, bytes.length - 4000, 40]) {
      const damaged = Buffer.from(bytes)
      damaged[offset] = damaged[offset]! ^ 0x01
      const error = await errorOf(other, 'backup.restore', {
        transferId: await uploadAll(other, damaged),
        password: TEST_PASSWORD,
      })
      expect(error.code).toBe('INTEGRITY')
      expect(error.params.message).toMatch(/damaged/)
    }
    const cut = await errorOf(other, 'backup.restore', {
      transferId: await uploadAll(other, bytes.subarray(0, 30)),
      password: TEST_PASSWORD,
    })
    expect(cut.code).toBe('INTEGRITY')
    const notBackup = await errorOf(other, 'backup.restore', {
      transferId: await uploadAll(other, Buffer.from('hello, this is a text file')),
      password: TEST_PASSWORD,
    })
    expect(notBackup.code).toBe('VALIDATION')

    expect((await other.call<VaultStatus>('vault.status')).state).toBe('unlocked')
    expect(await contentOf(other)).toEqual(before)
    expect(readdirSync(other.dataDir).filter((name) => name.includes('restore'))).toEqual([])
    expect(readFileSync(other.core.vault.path).length).toBeGreaterThanOrEqual(fileBefore.length)
  })

  it('asks for the master password before making a backup, and refuses a restore over a locked vault', async () => {
    const { core } = await sourceVault()
    expect(await errorOf(core, 'backup.create', { password: 'wrong password here' })).toMatchObject({
      code: 'AUTHENTICATION',
    })
    const bytes = await backupOf(core)
    const transferId = await uploadAll(core, bytes)
    await core.call('vault.lock')
    expect(await errorOf(core, 'backup.restore', { transferId, password: TEST_PASSWORD })).toMatchObject({
      code: 'VAULT_LOCKED',
    })
  })
})
