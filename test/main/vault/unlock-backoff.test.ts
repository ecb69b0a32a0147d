import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { unlockDelayMs } from '../../../src/main/vault/unlock-backoff'
import type { VaultStatus } from '../../../src/shared/contract'
import type { ErrorObject } from '../../../src/shared/errors'
import { createManualClock, type ManualClock } from '../../support/manual-clock'
import {
  createUnlockedTestCore,
  createVaultTestCore,
  TEST_PASSWORD,
  type VaultTestCore,
} from '../../support/vault'

const dirs: string[] = []
const cores: VaultTestCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function lockedVault(clock: ManualClock): Promise<{ dataDir: string; t: VaultTestCore }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-backoff-'))
  dirs.push(dataDir)
  const t = await createUnlockedTestCore({ dataDir, clock })
  cores.push(t)
  await t.call('vault.lock')
  return { dataDir, t }
}

const attempt = (t: VaultTestCore, password: string): Promise<ErrorObject | VaultStatus> =>
  t.call<VaultStatus>('vault.unlock', { password }).catch((error: unknown) => error as ErrorObject)

const auditCount = (t: VaultTestCore) =>
  t.core.vault.requireDatabase().prepare('SELECT count(*) FROM audit_log').pluck().get() as number

describe('unlock backoff', () => {
  it('lets the first three wrong passwords through, then doubles the wait from 1 s up to 5 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10, 11, 12, 50].map(unlockDelayMs)).toEqual([
      0, 0, 0, 1_000, 2_000, 4_000, 8_000, 128_000, 256_000, 300_000, 300_000,
    ])
  })

  it('refuses an early attempt, even with the right password, saying how long to wait; then lets it in', async () => {
    const clock = createManualClock()
    const { t } = await lockedVault(clock)
    for (let i = 0; i < 3; i += 1)
      expect(await attempt(t, 'wrong password')).toMatchObject({ code: 'AUTHENTICATION' })
    const entries = auditCount(t)
    const refused = await attempt(t, TEST_PASSWORD)
    expect(refused).toMatchObject({
      statusCode: 401,
      code: 'AUTHENTICATION',
      params: { retryAfterSeconds: 1, message: 'Too many wrong master passwords. Try again in 1 second.' },
    })
    // An early attempt is no guess: it runs no KDF, writes nothing, and does not lengthen the wait.
    expect(auditCount(t)).toBe(entries)
    clock.advance(999)
    expect(await attempt(t, TEST_PASSWORD)).toMatchObject({ params: { retryAfterSeconds: 1 } })
    clock.advance(1)
    expect(await attempt(t, TEST_PASSWORD)).toMatchObject({ state: 'unlocked' })
    // A successful unlock starts the count again.
    await t.call('vault.lock')
    for (let i = 0; i < 3; i += 1)
      expect(await attempt(t, 'wrong password')).toMatchObject({ code: 'AUTHENTICATION' })
    expect(await attempt(t, TEST_PASSWORD)).toMatchObject({ params: { retryAfterSeconds: 1 } })
  })

  it('survives a restart: the count and the time are in the vault file', async () => {
    const clock = createManualClock()
    const { dataDir, t } = await lockedVault(clock)
    for (let i = 0; i < 6; i += 1) {
      await attempt(t, 'wrong password')
      clock.advance(unlockDelayMs(i + 1))
    }
    clock.advance(-unlockDelayMs(6))
    await t.core.close()
    cores.splice(cores.indexOf(t), 1)

    const restarted = createVaultTestCore({ dataDir, clock })
    cores.push(restarted)
    const refused = await attempt(restarted, TEST_PASSWORD)
    expect(refused).toMatchObject({
      code: 'AUTHENTICATION',
      params: { retryAfterSeconds: 8, message: 'Too many wrong master passwords. Try again in 8 seconds.' },
    })
    clock.advance(8_000)
    expect(await attempt(restarted, TEST_PASSWORD)).toMatchObject({ state: 'unlocked' })
  })

  it('never makes the owner wait longer than the policy says when the clock was set back', async () => {
    const clock = createManualClock()
    const { t } = await lockedVault(clock)
    for (let i = 0; i < 4; i += 1) {
      await attempt(t, 'wrong password')
      clock.advance(unlockDelayMs(i + 1))
    }
    // A day back: measured naively, the last failure would be a day in the future.
    clock.jump(-86_400_000)
    expect(await attempt(t, TEST_PASSWORD)).toMatchObject({ params: { retryAfterSeconds: 2 } })
    clock.advance(2_000)
    expect(await attempt(t, TEST_PASSWORD)).toMatchObject({ state: 'unlocked' })
  })
})
