import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuditPage, VaultStatus } from '../../../src/shared/contract'
import { createManualClock, type ManualClock } from '../../support/manual-clock'
import {
  createUnlockedTestCore,
  createVaultTestCore,
  openUnlockedVault,
  TEST_PASSWORD,
  type UnlockedTestCore,
  type VaultTestCore,
  type VaultTestCoreOptions,
} from '../../support/vault'
import { insertConnection, readSecret } from './fixtures'

const MINUTE = 60_000

// A pass-through spy on the envelope's open(): what it unwraps under the password is the vault key,
// so a test can check that the very buffer is overwritten when the vault locks.
const { unwrappedKeys } = vi.hoisted(() => ({ unwrappedKeys: [] as Buffer[] }))
vi.mock('../../../src/main/vault/envelope', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/main/vault/envelope')>()
  return {
    ...actual,
    open: (input: Parameters<typeof actual.open>[0]) => {
      const plaintext = actual.open(input)
      if (input.purpose === 'key-wrap-password') unwrappedKeys.push(plaintext)
      return plaintext
    },
  }
})
const isZero = (key: Buffer) => key.length === 32 && key.equals(Buffer.alloc(32))

interface AutoLockHarness extends UnlockedTestCore {
  clock: ManualClock
  events: { name: string; payload: unknown }[]
  state(): Promise<VaultStatus['state']>
}

const cores: VaultTestCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose()
})

async function harness(
  options: { detectSuspendByClock?: boolean; dependencies?: VaultTestCoreOptions['dependencies'] } = {},
): Promise<AutoLockHarness> {
  const clock = createManualClock()
  const t = await createUnlockedTestCore({
    clock,
    dependencies: { detectSuspendByClock: options.detectSuspendByClock ?? false, ...options.dependencies },
  })
  cores.push(t)
  const events: { name: string; payload: unknown }[] = []
  t.core.events.subscribe((name, payload) => events.push({ name, payload }))
  return {
    ...t,
    clock,
    events,
    state: async () => (await t.call<VaultStatus>('vault.status')).state,
  }
}

const locked = (reason: string) => ({ name: 'vault.stateChanged', payload: { state: 'locked', reason } })

async function expectLockedOut(t: AutoLockHarness): Promise<void> {
  expect(await t.state()).toBe('locked')
  expect(() => t.session.db).toThrow(/locked/)
  expect(() => t.session.seal('connection-value', 'conn_1', 'x')).toThrow(/locked/)
  for (const [name, input] of [
    ['connections.list', {}],
    ['connections.reveal', { id: 'conn_1' }],
    ['audit.list', {}],
    ['settings.set', { autoLockMinutes: 1 }],
  ] as const) {
    await expect(t.call(name, input), name).rejects.toMatchObject({ statusCode: 423, code: 'VAULT_LOCKED' })
  }
}

async function lockReasons(t: AutoLockHarness): Promise<unknown[]> {
  const page = await t.call<AuditPage>('audit.list', { limit: 100 })
  return page.data.filter((entry) => entry.action === 'vault.lock').map((entry) => entry.details.reason)
}

describe('idle auto-lock', () => {
  it('locks after the configured idle minutes, announces it with reason idle, and audits it', async () => {
    const t = await harness()
    insertConnection(t.session, 'conn_1', 'sk-idle-secret')
    await t.call('settings.set', { autoLockMinutes: 5 })
    t.events.length = 0
    t.clock.advance(5 * MINUTE - 1)
    expect(await t.state()).toBe('unlocked')
    expect(t.events).toEqual([])
    t.clock.advance(1)
    expect(t.events).toEqual([locked('idle')])
    await expectLockedOut(t)
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    expect(readSecret(t.core.vault.requireSession(), 'conn_1')).toBe('sk-idle-secret')
    expect(await lockReasons(t)).toEqual(['idle'])
  })

  it('uses the default of 15 minutes on a new vault', async () => {
    const t = await harness()
    t.clock.advance(15 * MINUTE - 1)
    expect(await t.state()).toBe('unlocked')
    t.clock.advance(1)
    expect(await t.state()).toBe('locked')
  })

  it('drops the vault key from memory: the key buffer is overwritten with zeros', async () => {
    const clock = createManualClock()
    let capturing = false
    const draws: Buffer[] = []
    const t = createVaultTestCore({
      clock,
      dependencies: {
        randomBytes: (size: number) => {
          const bytes = randomBytes(size)
          if (capturing) draws.push(bytes)
          return bytes
        },
      },
    })
    cores.push(t)
    // vault.create draws the new vault key first, before the KDF salt and the nonces.
    capturing = true
    await t.call('vault.create', { password: TEST_PASSWORD })
    capturing = false
    const vaultKey = draws[0]!
    expect(vaultKey).toHaveLength(32)
    expect(vaultKey.equals(Buffer.alloc(32))).toBe(false)
    clock.advance(15 * MINUTE)
    expect((await t.call<VaultStatus>('vault.status')).state).toBe('locked')
    expect(vaultKey.equals(Buffer.alloc(32))).toBe(true)
  })

  it('drops a key unwrapped by unlock when the vault locks again', async () => {
    const t = await harness()
    await t.call('vault.lock')
    unwrappedKeys.length = 0
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    expect(unwrappedKeys).toHaveLength(1)
    expect(isZero(unwrappedKeys[0]!)).toBe(false)
    t.clock.advance(15 * MINUTE)
    expect(await t.state()).toBe('locked')
    expect(isZero(unwrappedKeys[0]!)).toBe(true)
  })

  it('drops the unwrapped key when an unlock fails after unwrapping (its audit entry cannot be written)', async () => {
    const t = await harness()
    await t.call('vault.lock')
    t.core.vault.requireDatabase().exec(
      `CREATE TEMP TRIGGER refuse_unlock BEFORE INSERT ON audit_log WHEN NEW.action = 'vault.unlock'
         BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    )
    unwrappedKeys.length = 0
    await expect(t.call('vault.unlock', { password: TEST_PASSWORD })).rejects.toMatchObject({
      code: 'INTERNAL',
    })
    expect(await t.state()).toBe('locked')
    expect(unwrappedKeys).toHaveLength(1)
    expect(isZero(unwrappedKeys[0]!)).toBe(true)
  })

  it('drops the key unwrapped to check the current password during a password change', async () => {
    const t = await harness()
    unwrappedKeys.length = 0
    await t.call('vault.changePassword', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a wholly different long passphrase',
    })
    expect(unwrappedKeys).toHaveLength(1)
    expect(isZero(unwrappedKeys[0]!)).toBe(true)
    expect(await t.state()).toBe('unlocked')
  })

  it('restarts the idle time on vault.touch from the renderer', async () => {
    const t = await harness()
    await t.call('settings.set', { autoLockMinutes: 5 })
    for (let i = 0; i < 5; i += 1) {
      t.clock.advance(4 * MINUTE)
      expect(await t.call('vault.touch')).toBeNull()
    }
    expect(await t.state()).toBe('unlocked')
    t.clock.advance(5 * MINUTE - 1)
    expect(await t.state()).toBe('unlocked')
    t.clock.advance(1)
    expect(await t.state()).toBe('locked')
    expect(t.events.at(-1)).toEqual(locked('idle'))
  })

  it('counts the person (vault.touch), not background work through the session, and keeps one timer', async () => {
    const t = await harness()
    await t.call('settings.set', { autoLockMinutes: 2 })
    t.clock.advance(MINUTE + 30_000)
    // What a token refresh, a sync or a list refresh after them does: reads and writes, no person.
    await t.call('connections.list', {})
    for (let i = 0; i < 50; i += 1) insertConnection(t.session, `conn_${i}`, `secret-${i}`)
    expect(t.clock.pendingTimers()).toBe(1)
    t.clock.advance(30_000 - 1)
    expect(await t.state()).toBe('unlocked')
    t.clock.advance(1)
    expect(await t.state()).toBe('locked')

    // The renderer's report of keys and pointer use moves the deadline.
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    t.clock.advance(MINUTE + 30_000)
    await t.call('vault.touch')
    t.clock.advance(2 * MINUTE - 1)
    expect(await t.state()).toBe('unlocked')
    t.clock.advance(1)
    expect(await t.state()).toBe('locked')
  })

  it('ignores vault.touch while locked: it neither unlocks nor schedules anything', async () => {
    const t = await harness()
    await t.call('vault.lock')
    expect(await t.call('vault.touch')).toBeNull()
    expect(await t.state()).toBe('locked')
    expect(t.clock.pendingTimers()).toBe(0)
  })

  it('never locks for idleness when the setting is 0, and picks a new value up at once', async () => {
    const t = await harness()
    await t.call('settings.set', { autoLockMinutes: 0 })
    // Past the OAuth scheduler's settle after unlock (a timer of its own; no tokens, so none after).
    t.clock.advance(10_000)
    expect(t.clock.pendingTimers()).toBe(0)
    t.clock.advance(48 * 60 * MINUTE)
    expect(await t.state()).toBe('unlocked')
    await t.call('vault.touch')
    await t.call('settings.set', { autoLockMinutes: 1 })
    t.clock.advance(MINUTE)
    expect(await t.state()).toBe('locked')
    expect(t.events.at(-1)).toEqual(locked('idle'))
  })

  it('shortening the time while idle locks at the new deadline, measured from the last activity', async () => {
    const t = await harness()
    await t.call('settings.set', { autoLockMinutes: 30 })
    t.clock.advance(10 * MINUTE)
    // the person's keys and pointer in the settings form: the 3 minutes run from now
    await t.call('vault.touch')
    await t.call('settings.set', { autoLockMinutes: 3 })
    t.clock.advance(3 * MINUTE - 1)
    expect(await t.state()).toBe('unlocked')
    t.clock.advance(1)
    expect(await t.state()).toBe('locked')
  })

  it('keeps the setting in the vault: after a restart the stored minutes apply', async () => {
    const t = await harness()
    await t.call('settings.set', { autoLockMinutes: 2 })
    await t.core.close()
    const clock = createManualClock()
    const reopened = await openUnlockedVault(t.dataDir, { clock })
    cores.push(reopened)
    clock.advance(2 * MINUTE - 1)
    expect((await reopened.call<VaultStatus>('vault.status')).state).toBe('unlocked')
    clock.advance(1)
    expect((await reopened.call<VaultStatus>('vault.status')).state).toBe('locked')
  })
})

describe('lock on suspend or screen lock (vault.hostSuspended)', () => {
  it.each(['suspend', 'lock-screen'] as const)(
    'locks at once on %s while lockOnSuspend is on (the default)',
    async (kind) => {
      const t = await harness()
      insertConnection(t.session, 'conn_1', 'sk-suspend-secret')
      t.events.length = 0
      t.core.vault.hostSuspended(kind)
      expect(t.events).toEqual([locked('suspend')])
      await expectLockedOut(t)
      expect(t.clock.pendingTimers()).toBe(0)
      await t.call('vault.unlock', { password: TEST_PASSWORD })
      expect(await lockReasons(t)).toEqual(['suspend'])
    },
  )

  it('does not lock when lockOnSuspend is off, and idle auto-lock still applies', async () => {
    const t = await harness()
    await t.call('settings.set', { lockOnSuspend: false, autoLockMinutes: 5 })
    t.events.length = 0
    t.core.vault.hostSuspended('suspend')
    t.core.vault.hostSuspended('lock-screen')
    expect(await t.state()).toBe('unlocked')
    expect(t.events).toEqual([])
    t.clock.advance(5 * MINUTE)
    expect(t.events).toEqual([locked('idle')])
  })

  it('does nothing while already locked', async () => {
    const t = await harness()
    await t.call('vault.lock')
    t.events.length = 0
    t.core.vault.hostSuspended('suspend')
    expect(t.events).toEqual([])
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    expect(await lockReasons(t)).toEqual(['manual'])
  })
})

describe('the wall-clock-jump suspend detector (hosts without power events)', () => {
  it('locks when the wall clock jumped far past the next tick, with reason suspend', async () => {
    const t = await harness({ detectSuspendByClock: true })
    // idle auto-lock off, so only the detector can lock
    await t.call('settings.set', { autoLockMinutes: 0 })
    t.events.length = 0
    t.clock.jump(30 * MINUTE) // the machine slept: no timer ran
    expect(await t.state()).toBe('unlocked')
    t.clock.advance(10_000) // the first tick after waking
    expect(t.events).toEqual([locked('suspend')])
    await expectLockedOut(t)
  })

  it('does not lock while timers keep running on time, or for a jump within its tolerance', async () => {
    const t = await harness({ detectSuspendByClock: true })
    await t.call('settings.set', { autoLockMinutes: 0 })
    t.clock.advance(60 * MINUTE)
    t.clock.jump(50_000)
    t.clock.advance(10_000)
    expect(await t.state()).toBe('unlocked')
    expect(t.events.filter((event) => event.name === 'vault.stateChanged')).toEqual([])
  })

  it('does not lock on a jump when lockOnSuspend is off', async () => {
    const t = await harness({ detectSuspendByClock: true })
    await t.call('settings.set', { autoLockMinutes: 0, lockOnSuspend: false })
    t.clock.jump(3 * 60 * MINUTE)
    t.clock.advance(10_000)
    expect(await t.state()).toBe('unlocked')
  })

  it('locks for suspend, not idle, when a sleep outlasted the idle time too', async () => {
    const t = await harness({ detectSuspendByClock: true })
    await t.call('settings.set', { autoLockMinutes: 5 })
    t.events.length = 0
    t.clock.jump(60 * MINUTE)
    t.clock.advance(10_000)
    expect(t.events).toEqual([locked('suspend')])
  })

  it('keeps watching after an unlock, and stops when the core closes', async () => {
    const t = await harness({ detectSuspendByClock: true })
    await t.call('settings.set', { autoLockMinutes: 0 })
    t.clock.jump(10 * MINUTE)
    t.clock.advance(10_000)
    expect(await t.state()).toBe('locked')
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    t.clock.jump(10 * MINUTE)
    t.clock.advance(10_000)
    expect(await t.state()).toBe('locked')
    expect(t.events.filter((event) => event.name === 'vault.stateChanged').map((e) => e.payload)).toEqual([
      { state: 'locked', reason: 'suspend' },
      { state: 'unlocked', reason: 'unlock' },
      { state: 'locked', reason: 'suspend' },
    ])
    await t.core.close()
    expect(t.clock.pendingTimers()).toBe(0)
  })
})
