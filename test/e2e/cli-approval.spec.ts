import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import { createVaultThroughUi } from '../support/e2e-vault'

// A terminal's `latchkey` asks the app; the person answers in a dialog, keyboard first.
test.describe.configure({ mode: 'serial' })

const SHOTS = 'test-results/screens'
const BIN = join(__dirname, '..', '..', 'bin', 'latchkey.cjs')

let app: BrowserModeProcess
let context: BrowserContext
let page: Page

/** The product's bin as a child process; detached starts a new session (another terminal). */
function latchkey(
  args: string[],
  detached = false,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('LATCHKEY_')),
  )
  const child = spawn(process.execPath, [BIN, '--data-dir', app.dataDir, ...args], { env, detached })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
}

const dialog = () => page.getByRole('alertdialog', { name: 'Allow the command line?' })

test.beforeAll(async ({ browser }) => {
  app = await startBrowserMode()
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  page = await context.newPage()
  await createVaultThroughUi(page, app.url)
})

test.afterAll(async () => {
  await context?.close()
  await app?.stop()
})

test('a terminal asks once; Allow lets its command run', async () => {
  const running = latchkey(['list', '--json'])
  await expect(dialog()).toBeVisible()
  await expect(dialog()).toContainText('latchkey list')
  await expect(dialog()).toContainText('10 minutes')
  // Deny has the focus: Enter on a dialog that appeared unasked must not grant access.
  await expect(dialog().getByRole('button', { name: 'Deny' })).toBeFocused()
  await page.screenshot({ path: `${SHOTS}/cli-approval.png` })
  await dialog().getByRole('button', { name: 'Allow this terminal' }).click()
  const result = await running
  expect(result.code, result.stderr).toBe(0)
  expect(JSON.parse(result.stdout)).toEqual({ data: [], more: false })
  await expect(dialog()).toBeHidden()

  // The same terminal again: no question.
  const again = await latchkey(['status', '--json'])
  expect(again.code).toBe(0)
  await expect(dialog()).toBeHidden()
})

test('Escape denies another terminal, which exits 3', async () => {
  const running = latchkey(['list'], true)
  await expect(dialog()).toBeVisible()
  await page.keyboard.press('Escape')
  const result = await running
  expect(result.code).toBe(3)
  expect(result.stderr).toMatch(/^latchkey: AUTHENTICATION: Latchkey did not approve this terminal/)
  await expect(dialog()).toBeHidden()
})

test('after Lock, every command is refused and nothing is asked', async () => {
  await page.getByRole('button', { name: 'Lock' }).click()
  const result = await latchkey(['list'])
  expect(result.code).toBe(3)
  expect(result.stderr).toBe(
    'latchkey: VAULT_LOCKED: Latchkey is locked. Unlock it in the app, then run the command again.\n',
  )
})
