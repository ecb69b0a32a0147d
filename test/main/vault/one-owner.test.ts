import { rmSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VaultStatus } from '../../../src/shared/contract'
import { createUnlockedTestCore, createVaultTestCore, TEST_PASSWORD } from '../../support/vault'
import { runChild, type Child } from './child-process'
import { sha256File } from './fixtures'

let dataDir: string
let holder: Child

beforeAll(async () => {
  const t = await createUnlockedTestCore()
  dataDir = t.dataDir
  await t.core.close()
  holder = runChild('hold-vault.ts', [dataDir])
  await holder.waitFor((line) => line.startsWith('ready'))
})

afterAll(async () => {
  holder.process.kill('SIGKILL')
  await holder.exited
  rmSync(dataDir, { recursive: true, force: true })
})

describe('one process owns a vault', () => {
  it('refuses a second process with an error naming the vault and the holder', async () => {
    const file = join(dataDir, 'vault.sqlite')
    const second = createVaultTestCore({ dataDir })
    try {
      const error = await second.call('vault.status').catch((e: unknown) => e)
      expect(error).toMatchObject({
        statusCode: 409,
        code: 'VAULT_UNAVAILABLE',
        params: { entityId: file, holderPid: holder.process.pid },
      })
      const message = (error as { params: { message: string } }).params.message
      expect(message).toContain(file)
      expect(message).toContain(`pid ${holder.process.pid}`)
      await expect(second.call('vault.unlock', { password: TEST_PASSWORD })).rejects.toMatchObject({
        code: 'VAULT_UNAVAILABLE',
      })
    } finally {
      await second.dispose()
    }
  })

  it('is still refused by SQLite’s exclusive lock if the lock file is removed', async () => {
    const file = join(dataDir, 'vault.sqlite')
    const lockFile = `${file}.lock`
    const lockContent = (await import('node:fs')).readFileSync(lockFile)
    unlinkSync(lockFile)
    const before = sha256File(file)
    const second = createVaultTestCore({ dataDir })
    try {
      await expect(second.call('vault.status')).rejects.toMatchObject({
        code: 'VAULT_UNAVAILABLE',
        params: { message: expect.stringContaining(file) },
      })
    } finally {
      await second.dispose()
      ;(await import('node:fs')).writeFileSync(lockFile, lockContent)
    }
    expect(sha256File(file)).toBe(before)
  })

  it('takes the vault over once the holder has died', async () => {
    holder.process.kill('SIGKILL')
    await holder.exited
    const next = createVaultTestCore({ dataDir })
    try {
      expect((await next.call<VaultStatus>('vault.status')).state).toBe('locked')
      await next.call('vault.unlock', { password: TEST_PASSWORD })
    } finally {
      await next.dispose()
    }
  })

  it('refuses a second core in the same process', async () => {
    const first = await createUnlockedTestCore()
    const second = createVaultTestCore({ dataDir: first.dataDir })
    try {
      await expect(second.call('vault.status')).rejects.toMatchObject({
        code: 'VAULT_UNAVAILABLE',
        params: { message: expect.stringMatching(/open in this Latchkey process/) },
      })
    } finally {
      await second.dispose()
      await first.dispose()
    }
  })
})
