import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliSessionRequest } from '../../src/shared/contract/cli'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import { TEST_PASSWORD } from '../support/vault'
import { describeEveryCommand, type CliHarness } from './support/every-command'
import { buildTestCli, ERROR_LINE, runLatchkey, removeTestCli } from './support/latchkey-process'

// Browser mode holds the vault; every command goes through its CLI channel, approved by "the person"
// (this test, answering cli.requests over browser mode's own HTTP API, as the dialog does).
const root = join(__dirname, '..', '..')
let app: BrowserModeProcess
let bundle = ''
let answer: (request: CliSessionRequest) => boolean = () => true
let approver: NodeJS.Timeout | undefined
const answered: CliSessionRequest[] = []

async function rpc<T>(name: string, input: unknown = {}): Promise<T> {
  const response = await fetch(`${app.origin}/api/rpc/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${app.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  })
  const body = (await response.json()) as T
  if (!response.ok) throw body
  return body
}

function startApprover() {
  approver = setInterval(() => {
    void rpc<CliSessionRequest[]>('cli.requests').then(
      async (requests) => {
        for (const request of requests) {
          answered.push(request)
          await rpc('cli.answer', { requestId: request.requestId, approve: answer(request) }).catch(() => {})
        }
      },
      () => {},
    )
  }, 50)
}

const harness: CliHarness = {
  run: (args, options = {}) => runLatchkey(bundle, app.dataDir, args, options),
  async linkFlow(connectionId, flowId) {
    await rpc('flows.link', { flowId, connectionId })
  },
}

beforeAll(async () => {
  ;[bundle, app] = await Promise.all([
    buildTestCli(),
    // From the sources, so the test neither needs nor rebuilds the shared out/ folder.
    startBrowserMode({
      command: [process.execPath, '--import', 'tsx', join(root, 'src/main/hosts/browser/entry.ts')],
    }),
  ])
  await rpc('vault.create', { password: TEST_PASSWORD })
  startApprover()
}, 120_000)

afterAll(async () => {
  clearInterval(approver)
  await app?.stop()
  removeTestCli(bundle)
})

describe('latchkey while browser mode holds the vault', () => {
  it('uses the app’s session: status names the app’s process, after one approval for this terminal', async () => {
    const status = await harness.run(['status', '--json'])
    expect(status.code, status.stderr).toBe(0)
    const parsed = JSON.parse(status.text) as { state: string; heldBy: { kind: string; pid: number } }
    expect(parsed.state).toBe('unlocked')
    expect(parsed.heldBy.kind).toBe('app')
    expect(parsed.heldBy.pid).not.toBe(process.pid)
    expect(answered.at(-1)).toMatchObject({ command: 'latchkey status' })
    const count = answered.length
    expect((await harness.run(['list'])).code).toBe(0)
    expect(answered).toHaveLength(count)
  })

  it('init is refused while the app holds the data folder', async () => {
    const refused = await harness.run(['init'], { env: { LATCHKEY_PASSWORD: TEST_PASSWORD } })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(
      /^latchkey: CONFLICT: The Latchkey app \(process \d+\) has this data folder open/,
    )
  })

  it('a terminal the person denies gets exit 3 and AUTHENTICATION', async () => {
    answer = () => false
    try {
      // detached: a new session, so a new terminal with no approval yet.
      const denied = await runLatchkey(bundle, app.dataDir, ['list'], {}, { detached: true })
      expect(denied.code).toBe(3)
      expect(denied.stderr).toMatch(/^latchkey: AUTHENTICATION: Latchkey did not approve this terminal/)
      expect(denied.stderr).toMatch(ERROR_LINE)
    } finally {
      answer = () => true
    }
  })

  describeEveryCommand(() => harness)

  it('refuses everything while the app is locked, saying so, and asks again after unlock', async () => {
    await rpc('vault.lock')
    const locked = await harness.run(['list'])
    expect(locked.code).toBe(3)
    expect(locked.stderr).toBe(
      'latchkey: VAULT_LOCKED: Latchkey is locked. Unlock it in the app, then run the command again.\n',
    )
    const before = answered.length
    await rpc('vault.unlock', { password: TEST_PASSWORD })
    expect((await harness.run(['list'])).code).toBe(0)
    expect(answered.length).toBe(before + 1)
  })
})
