import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openUnlockedVault, TEST_PASSWORD } from '../support/vault'
import { describeEveryCommand, type CliHarness } from './support/every-command'
import { buildTestCli, ERROR_LINE, runLatchkey, removeTestCli } from './support/latchkey-process'

// No app holds the vault: each command opens it itself, unlocking with LATCHKEY_PASSWORD.
let bundle = ''
let dataDir = ''
const harness: CliHarness = {
  run: (args, options = {}) =>
    runLatchkey(bundle, dataDir, args, {
      ...options,
      env: { LATCHKEY_PASSWORD: TEST_PASSWORD, ...options.env },
    }),
  async linkFlow(connectionId, flowId) {
    const vault = await openUnlockedVault(dataDir)
    try {
      await vault.call('flows.link', { flowId, connectionId })
    } finally {
      await vault.dispose()
    }
  },
}

beforeAll(async () => {
  bundle = await buildTestCli()
  dataDir = mkdtempSync(join(tmpdir(), 'latchkey-cli-'))
}, 60_000)

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true })
  removeTestCli(bundle)
})

describe('latchkey with no app running', () => {
  it('init refuses a weak password, then creates the vault with a strong one', async () => {
    const noVault = await runLatchkey(bundle, dataDir, ['list'], {
      env: { LATCHKEY_PASSWORD: TEST_PASSWORD },
    })
    expect(noVault.code).toBe(4)
    expect(noVault.stderr).toMatch(/^latchkey: ENTITY_NOT_FOUND: There is no vault at .*latchkey init/)
    const weak = await runLatchkey(bundle, dataDir, ['init'], { env: { LATCHKEY_PASSWORD: 'password1' } })
    expect(weak.code).toBe(2)
    expect(weak.stderr).toMatch(/^latchkey: VALIDATION: That master password is too weak/)
    expect(weak.stderr).toMatch(ERROR_LINE)
    const created = await runLatchkey(bundle, dataDir, ['init'], {
      env: { LATCHKEY_PASSWORD: TEST_PASSWORD },
    })
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const again = await runLatchkey(bundle, dataDir, ['init'], { env: { LATCHKEY_PASSWORD: TEST_PASSWORD } })
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/^latchkey: CONFLICT: A vault already exists at .*vault\.sqlite\.\n$/)
  })

  it('a wrong password is exit 3, and no password without a terminal says how to give one', async () => {
    const wrong = await runLatchkey(bundle, dataDir, ['list'], {
      env: { LATCHKEY_PASSWORD: 'not the password at all' },
    })
    expect(wrong.code).toBe(3)
    expect(wrong.stderr).toMatch(/^latchkey: AUTHENTICATION: /)
    // detached: no controlling terminal, so there is no /dev/tty to prompt on.
    const none = await runLatchkey(bundle, dataDir, ['list'], {}, { detached: true })
    expect(none.code).toBe(3)
    expect(none.stderr).toMatch(/^latchkey: AUTHENTICATION: .*LATCHKEY_PASSWORD \(least safe\)/)
  })

  it('another process holding the vault is named in the one-owner error', async () => {
    const holder = await openUnlockedVault(dataDir)
    try {
      const refused = await runLatchkey(bundle, dataDir, ['list'], {
        env: { LATCHKEY_PASSWORD: TEST_PASSWORD },
      })
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/^latchkey: VAULT_UNAVAILABLE: /)
      expect(refused.stderr).toContain(String(process.pid))
    } finally {
      await holder.dispose()
    }
  })

  describeEveryCommand(() => harness)
})
