import { expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test'
import type { LatchkeyApi } from '../../src/shared/client'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'

// The specs type-check without the DOM library; these are the page globals they reach for.
interface PageGlobals {
  latchkey: LatchkeyApi
  navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } }
  document: { activeElement: unknown }
  DataTransfer: new () => { setData(type: string, text: string): void }
  ClipboardEvent: new (type: string, init: Record<string, unknown>) => unknown
}
interface TextAreaLike {
  value: string
  dispatchEvent(event: unknown): boolean
  focus(): void
}

// Secrets kept byte for byte, rotate, per-field copy and the unsaved-changes guard, through the UI
// of one real vault in browser mode. The steps share the vault and the page, so they run in order.
test.describe.configure({ mode: 'serial' })

const PASSWORD = 'correct horse battery staple'
const SHOTS = 'test-results/screens'
const KIB = 1024

const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ',
  '-----END PRIVATE KEY-----',
  '',
].join('\n')

const SERVICE_ACCOUNT = `${JSON.stringify(
  {
    type: 'service_account',
    project_id: 'latchkey-e2e',
    private_key_id: 'a1b2c3d4e5',
    private_key: PEM,
    client_email: 'e2e@latchkey-e2e.iam.gserviceaccount.com',
    token_uri: 'https://oauth2.googleapis.com/token',
  },
  null,
  2,
)}\n`

const WHITESPACE = '  \tkey with tabs\tand trailing spaces   \t\r\n  second line, Unicode é 🔑 \u00a0  '

/** Exactly 64 KiB of UTF-8, multi-byte characters and line breaks included. */
function sixtyFourKiB(): string {
  const head = 'ünïcødé 🔑 line\n\tindented\r\n'
  const headBytes = new TextEncoder().encode(head).length
  return head + 'x'.repeat(64 * KIB - headBytes)
}

let app: BrowserModeProcess
let context: BrowserContext
let page: Page

test.beforeAll(async ({ browser }) => {
  app = await startBrowserMode()
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin })
  page = await context.newPage()
})

test.afterAll(async () => {
  await context?.close()
  await app?.stop()
})

const grid = () => page.getByRole('grid', { name: 'Connections' })
const row = (name: string) => grid().getByRole('row', { name: new RegExp(name) })
const details = () => page.getByRole('complementary', { name: 'Connection details' })
const toast = () => page.getByRole('region', { name: 'Notifications' })
const newDialog = () => page.getByRole('dialog', { name: 'New connection' })
const readClipboard = () =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText())

async function openConnection(name: string) {
  await row(name).click()
  await expect(details().getByRole('heading', { name })).toBeVisible()
}

/** The id of the connection the UI lists under `name`. */
async function idOf(name: string): Promise<string> {
  const id = await row(name).getAttribute('data-id')
  if (!id) throw new Error(`No row for ${name}`)
  return id
}

const reveal = (id: string) =>
  page.evaluate(
    async (connectionId) =>
      (await (globalThis as unknown as PageGlobals).latchkey.connections.reveal({ id: connectionId })).value,
    id,
  )

/** A real paste (Ctrl+V) of `text` from the system clipboard into `field`. */
async function paste(field: Locator, text: string) {
  await page.evaluate(
    (value) => (globalThis as unknown as PageGlobals).navigator.clipboard.writeText(value),
    text,
  )
  await field.focus()
  await page.keyboard.press('Control+V')
}

async function startConnection(name: string, type: string) {
  await page.getByRole('button', { name: 'New connection' }).click()
  const dialog = newDialog()
  await dialog.getByLabel('Name', { exact: true }).fill(name)
  await dialog.getByLabel('Piece name').fill('@activepieces/piece-google-sheets')
  await dialog.getByLabel('Type').selectOption({ label: type })
  return dialog
}

async function saveConnection(name: string) {
  await newDialog().getByRole('button', { name: 'Create connection' }).click()
  await expect(newDialog()).toBeHidden()
  await expect(toast()).toContainText(`Created “${name}”.`)
}

/** Reveals in the detail panel and answers the text the UI shows for `field`. */
async function revealedText(field: string): Promise<string> {
  await details().getByRole('button', { name: 'Reveal' }).click()
  const text = details().locator(`[data-field="${field}"]`)
  await expect(text).toBeVisible()
  const shown = await text.evaluate((element) => element.textContent ?? '')
  await details().getByRole('button', { name: 'Hide' }).click()
  return shown
}

test('creates and unlocks a vault', async () => {
  await page.goto(app.url)
  await page.getByLabel('Master password', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Create vault' }).click()
  await expect(page.getByRole('heading', { name: 'No connections yet' })).toBeVisible()
})

test('the secret field states its limit and keeps a pasted PEM key byte for byte', async () => {
  const dialog = await startConnection('PEM key', 'Secret text')
  const secret = dialog.getByLabel('Secret text')
  await expect(dialog.getByText(/line breaks, tabs and spaces included; up to 64 KiB/)).toBeVisible()
  await paste(secret, PEM)
  await expect(secret).toHaveValue(PEM)
  // Masked while hidden, with the newlines still in the value.
  await expect(secret).toHaveClass(/masked/)
  await page.screenshot({ path: `${SHOTS}/secret-field-masked.png`, fullPage: true })
  await dialog.getByRole('button', { name: 'Show', exact: true }).click()
  await expect(secret).not.toHaveClass(/masked/)
  await page.screenshot({ path: `${SHOTS}/secret-field-shown.png`, fullPage: true })
  await saveConnection('PEM key')

  const id = await idOf('PEM key')
  expect(await reveal(id)).toEqual({ type: 'SECRET_TEXT', secret_text: PEM })
  await openConnection('PEM key')
  expect(await revealedText('secret_text')).toBe(PEM)
})

test('a service-account JSON key, edge whitespace and tabs, and 64 KiB round-trip exactly', async () => {
  const samples: [string, string][] = [
    ['JSON key file', SERVICE_ACCOUNT],
    ['Whitespace key', WHITESPACE],
    ['Largest key', sixtyFourKiB()],
  ]
  for (const [name, text] of samples) {
    const dialog = await startConnection(name, 'Secret text')
    const secret = dialog.getByLabel('Secret text')
    await paste(secret, text)
    // A textarea shows CR LF as LF; the form keeps the CRs, as the reveal below checks.
    await expect(secret).toHaveValue(text.replace(/\r\n?/g, '\n'))
    await saveConnection(name)
    const id = await idOf(name)
    expect(await reveal(id)).toEqual({ type: 'SECRET_TEXT', secret_text: text })
    await openConnection(name)
    expect(await revealedText('secret_text')).toBe(text)
  }
})

test('a custom auth property holds a multi-line JSON key exactly', async () => {
  const dialog = await startConnection('Custom JSON', 'Custom auth')
  await dialog.getByLabel('Property key 1').fill('serviceAccount')
  await paste(dialog.getByLabel('Property value 1'), SERVICE_ACCOUNT)
  await saveConnection('Custom JSON')
  const id = await idOf('Custom JSON')
  expect(await reveal(id)).toEqual({ type: 'CUSTOM_AUTH', props: { serviceAccount: SERVICE_ACCOUNT } })
  await openConnection('Custom JSON')
  expect(await revealedText('serviceAccount')).toBe(SERVICE_ACCOUNT)
})

test('an oversized paste is refused before it renders, with the limit, and nothing is truncated', async () => {
  const dialog = await startConnection('Too big', 'Secret text')
  const secret = dialog.getByLabel('Secret text')
  await secret.fill('kept')
  // 1 MB through a paste event: the guard cancels it, so the browser never inserts the text.
  const started = Date.now()
  const inserted = await secret.evaluate((element) => {
    const g = globalThis as unknown as PageGlobals
    const data = new g.DataTransfer()
    data.setData('text/plain', 'x'.repeat(1024 * 1024))
    const field = element as unknown as TextAreaLike
    field.focus()
    return field.dispatchEvent(
      new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    )
  })
  expect(inserted).toBe(false)
  await expect(dialog.getByRole('alert')).toContainText('Not pasted')
  await expect(dialog.getByRole('alert')).toContainText('1,024 KiB')
  await expect(dialog.getByRole('alert')).toContainText('up to 64 KiB')
  expect(Date.now() - started).toBeLessThan(1000)
  await expect(secret).toHaveValue('kept')
  await page.screenshot({ path: `${SHOTS}/secret-field-oversized.png`, fullPage: true })

  // Plain fields refuse a huge paste the same way, instead of rendering it or cutting it short.
  const name = dialog.getByLabel('Name', { exact: true })
  const pastedIntoName = await name.evaluate((element) => {
    const g = globalThis as unknown as PageGlobals
    const data = new g.DataTransfer()
    data.setData('text/plain', 'n'.repeat(1024 * 1024))
    const field = element as unknown as TextAreaLike
    return field.dispatchEvent(
      new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    )
  })
  expect(pastedIntoName).toBe(false)
  await expect(
    dialog.getByText(/Not pasted: that would make name 1,048,5\d\d characters; it holds up to 10,000/),
  ).toBeVisible()
  await expect(name).toHaveValue('Too big')

  // A real paste just over the limit: refused the same way.
  await secret.fill('')
  await paste(secret, 'y'.repeat(64 * KIB + 1))
  await expect(dialog.getByText(/Not pasted: that would make secret text 65 KiB/)).toBeVisible()
  await expect(secret).toHaveValue('')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
})

test('rotate keeps the id, externalId and flows, records lastRotated and one audit entry', async () => {
  const id = await idOf('PEM key')
  await page.evaluate(async (connectionId) => {
    const { latchkey } = globalThis as unknown as PageGlobals
    await latchkey.flows.link({ flowId: 'flow_daily', connectionId, flowName: 'Daily export' })
    await latchkey.flows.link({
      flowId: 'flow_weekly',
      connectionId,
      flowName: 'Weekly report',
      active: false,
    })
  }, id)
  const before = await page.evaluate(
    (connectionId) => (globalThis as unknown as PageGlobals).latchkey.connections.get({ id: connectionId }),
    id,
  )
  await openConnection('PEM key')
  await details().getByRole('button', { name: 'Rotate' }).click()
  const dialog = page.getByRole('dialog', { name: 'Rotate “PEM key”' })
  await expect(dialog).toContainText('The connection keeps its id and flows; the old value is replaced.')
  // Never pre-filled with the old secret.
  await expect(dialog.getByLabel('Secret text')).toHaveValue('')
  await expect(dialog.getByLabel('Secret text')).toBeFocused()
  const rotated = PEM.replace('MIIEvQ', 'ROTATED')
  await paste(dialog.getByLabel('Secret text'), rotated)
  await page.screenshot({ path: `${SHOTS}/rotate-dialog.png`, fullPage: true })
  await dialog.getByRole('button', { name: 'Save new value' }).click()
  await expect(dialog).toBeHidden()
  await expect(toast()).toContainText('New value saved for “PEM key”.')
  await expect(details().getByRole('heading', { name: 'PEM key' })).toBeVisible()

  const after = await page.evaluate(
    (connectionId) => (globalThis as unknown as PageGlobals).latchkey.connections.get({ id: connectionId }),
    id,
  )
  expect(after).toMatchObject({ id, externalId: before.externalId, flowIds: ['flow_daily', 'flow_weekly'] })
  expect(after.health.lastRotatedAt).not.toBe(before.health.lastRotatedAt)
  expect(await reveal(id)).toEqual({ type: 'SECRET_TEXT', secret_text: rotated })
  const audit = await page.evaluate(
    (connectionId) => (globalThis as unknown as PageGlobals).latchkey.audit.list({ entityId: connectionId }),
    id,
  )
  expect(audit.data.filter((entry) => entry.action === 'connection.rotate')).toHaveLength(1)
  await expect(details().getByRole('list').last()).toContainText('connection.rotate')
})

test('a MISSING placeholder gets its credentials back through “Provide credentials”', async () => {
  const id = await idOf('Whitespace key')
  await page.evaluate(async (connectionId) => {
    const { latchkey } = globalThis as unknown as PageGlobals
    await latchkey.flows.link({ flowId: 'flow_sync', connectionId })
    await latchkey.connections.delete({ id: connectionId, force: true })
  }, id)
  // The list re-sorts on the change; wait for it so the click lands on the row it means.
  await expect(row('Whitespace key')).toContainText('Missing')
  await openConnection('Whitespace key')
  await expect(details().getByText('Missing', { exact: true }).first()).toBeVisible()
  await details().getByRole('button', { name: 'Provide credentials' }).click()
  const dialog = page.getByRole('dialog', { name: 'Provide credentials for “Whitespace key”' })
  await paste(dialog.getByLabel('Secret text'), WHITESPACE)
  await page.screenshot({ path: `${SHOTS}/provide-credentials.png`, fullPage: true })
  await dialog.getByRole('button', { name: 'Save credentials' }).click()
  await expect(dialog).toBeHidden()
  await expect(toast()).toContainText('has its credentials and is active again')
  const restored = await page.evaluate(
    (connectionId) => (globalThis as unknown as PageGlobals).latchkey.connections.get({ id: connectionId }),
    id,
  )
  expect(restored).toMatchObject({ id, status: 'ACTIVE', hasValue: true, flowIds: ['flow_sync'] })
  expect(await reveal(id)).toEqual({ type: 'SECRET_TEXT', secret_text: WHITESPACE })
})

test('a create conflict leads to the existing connection’s rotate', async () => {
  const id = await idOf('PEM key')
  const existing = await page.evaluate(
    (connectionId) => (globalThis as unknown as PageGlobals).latchkey.connections.get({ id: connectionId }),
    id,
  )
  const dialog = await startConnection('PEM again', 'Secret text')
  await dialog.getByLabel('External id').fill(existing.externalId)
  await dialog.getByLabel('Secret text').fill('another')
  await dialog.getByRole('button', { name: 'Create connection' }).click()
  await expect(dialog.getByRole('alert')).toContainText('already exists')
  await page.screenshot({ path: `${SHOTS}/create-conflict.png`, fullPage: true })
  await dialog.getByRole('button', { name: 'Rotate its value' }).click()
  await expect(page.getByRole('dialog', { name: 'Rotate “PEM key”' })).toBeVisible()
  await page.getByRole('dialog', { name: 'Rotate “PEM key”' }).getByRole('button', { name: 'Cancel' }).click()
})

test('every field of an OAuth2 value has its own copy, through main', async () => {
  const value = {
    access_token: 'ya29.access-e2e',
    refresh_token: '1//refresh-e2e',
    client_id: 'client-e2e.apps.googleusercontent.com',
    client_secret: 'GOCSPX-client-secret-e2e',
    token_url: 'https://oauth2.googleapis.com/token',
  }
  const dialog = await startConnection('Google OAuth', 'OAuth2')
  await dialog.getByRole('radio', { name: 'Paste tokens (advanced)' }).check()
  await dialog.getByLabel('Access token').fill(value.access_token)
  await dialog.getByLabel('Refresh token').fill(value.refresh_token)
  await dialog.getByLabel('Token URL').fill(value.token_url)
  await dialog.getByLabel('Client id').fill(value.client_id)
  await dialog.getByLabel('Client secret').fill(value.client_secret)
  await saveConnection('Google OAuth')
  await openConnection('Google OAuth')
  await details().getByRole('button', { name: 'Reveal' }).click()
  await page.screenshot({ path: `${SHOTS}/per-field-copy.png`, fullPage: true })
  const labels: Record<keyof typeof value, string> = {
    access_token: 'access token',
    refresh_token: 'refresh token',
    client_id: 'client id',
    client_secret: 'client secret',
    token_url: 'token URL',
  }
  for (const [field, label] of Object.entries(labels) as [keyof typeof value, string][]) {
    await details()
      .getByRole('button', { name: `Copy ${label}`, exact: true })
      .click()
    await expect(toast()).toContainText(`Copied ${label}.`)
    expect(await readClipboard()).toBe(value[field])
  }
  const id = await idOf('Google OAuth')
  const audit = await page.evaluate(
    (connectionId) => (globalThis as unknown as PageGlobals).latchkey.audit.list({ entityId: connectionId }),
    id,
  )
  const copied = audit.data
    .filter((entry) => entry.action === 'connection.copy')
    .map((entry) => entry.details.field)
  expect(copied.sort()).toEqual(Object.keys(labels).sort())
  await details().getByRole('button', { name: 'Hide' }).click()
})

test('Ctrl+Shift+C and the palette copy the primary field of the selected connection', async () => {
  await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.writeText(''))
  await openConnection('Custom JSON')
  await page.keyboard.press('Control+Shift+C')
  await expect(toast()).toContainText('Copied the secret of “Custom JSON”.')
  expect(await readClipboard()).toBe(SERVICE_ACCOUNT)

  await openConnection('Google OAuth')
  await page.keyboard.press('Control+k')
  await page.getByRole('combobox', { name: 'Command' }).fill('copy secret')
  await page.keyboard.press('Enter')
  await expect(toast()).toContainText('Copied the secret of “Google OAuth”.')
  expect(await readClipboard()).toBe('ya29.access-e2e')
})

test('a filled dialog asks before a click outside or Escape throws it away', async () => {
  // An untouched dialog closes at once.
  await page.getByRole('button', { name: 'New connection' }).click()
  await page.keyboard.press('Escape')
  await expect(newDialog()).toBeHidden()

  const dialog = await startConnection('Half typed', 'Secret text')
  await dialog.getByLabel('Secret text').fill('typed-but-not-saved\nsecond line')
  // Earlier toasts would cover the prompt in the screenshot.
  const dismissToasts = page.getByRole('button', { name: 'Dismiss all' })
  if (await dismissToasts.isVisible()) await dismissToasts.click()
  await page.mouse.click(10, 880)
  const prompt = page.getByRole('alertdialog', { name: 'Discard changes?' })
  await expect(prompt).toBeVisible()
  await expect(prompt.getByRole('button', { name: 'Keep editing' })).toBeFocused()
  await page.screenshot({ path: `${SHOTS}/discard-changes.png`, fullPage: true })
  await prompt.getByRole('button', { name: 'Keep editing' }).click()
  await expect(prompt).toBeHidden()
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('Half typed')
  await expect(dialog.getByLabel('Secret text')).toHaveValue('typed-but-not-saved\nsecond line')

  await page.keyboard.press('Escape')
  await expect(prompt).toBeVisible()
  // Escape again means keep editing.
  await page.keyboard.press('Escape')
  await expect(prompt).toBeHidden()
  await expect(dialog).toBeVisible()

  await page.keyboard.press('Escape')
  await prompt.getByRole('button', { name: 'Discard' }).click()
  await expect(dialog).toBeHidden()
  await expect(row('Half typed')).toHaveCount(0)

  // The rotate and edit dialogs ask the same way.
  await openConnection('PEM key')
  await details().getByRole('button', { name: 'Rotate' }).click()
  const rotate = page.getByRole('dialog', { name: 'Rotate “PEM key”' })
  await rotate.getByLabel('Secret text').fill('a new secret typed but not saved')
  await page.keyboard.press('Escape')
  await expect(prompt).toBeVisible()
  await prompt.getByRole('button', { name: 'Discard' }).click()
  await expect(rotate).toBeHidden()
  await details().getByRole('button', { name: 'Edit' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit connection' })
  await edit.getByLabel('Name', { exact: true }).fill('PEM key renamed')
  await page.mouse.click(10, 880)
  await expect(prompt).toBeVisible()
  await prompt.getByRole('button', { name: 'Keep editing' }).click()
  await expect(edit.getByLabel('Name', { exact: true })).toHaveValue('PEM key renamed')
  await edit.getByRole('button', { name: 'Cancel' }).click()
  await expect(edit).toBeHidden()
})

test('a metadata row with a value but no key is an error, not a dropped row', async () => {
  const dialog = await startConnection('Metadata check', 'Secret text')
  await dialog.getByLabel('Secret text').fill('s')
  await dialog.getByRole('button', { name: 'Add metadata row' }).click()
  await dialog.getByLabel('Metadata value 1').fill('orphan value')
  await dialog.getByRole('button', { name: 'Create connection' }).click()
  await expect(
    dialog.getByText('Metadata row 1 has a value but no key. Add one, or remove the row.'),
  ).toBeVisible()
  await expect(dialog).toBeVisible()
  await dialog.getByLabel('Metadata key 1').fill('team')
  await saveConnection('Metadata check')
})
