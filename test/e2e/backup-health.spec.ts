import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import { createVaultThroughUi, E2E_PASSWORD, type LatchkeyPage } from '../support/e2e-vault'
import { PLAINTEXT_EXPORT_RISK } from '../../src/shared/contract/transfer'

// Health, encrypted backup and restore, plaintext export and import (issue 15), through browser
// mode against real vaults. Time is arranged through the tokens' claimed_at and expires_in against
// main's own clock: browser mode runs the product's clock, so "expires in 2 days" is exact.
test.describe.configure({ mode: 'serial' })

const SHOTS = 'test-results/screens'
const DAY = 86_400

let app: BrowserModeProcess
let context: BrowserContext
let page: Page
let backupPath: string
/** The vault's content when the backup was made: what a restore must give back. */
let backedUp: Awaited<ReturnType<typeof contentOf>>

const nav = (p: Page, name: string | RegExp) =>
  p.getByRole('navigation', { name: 'Views' }).getByRole('button', { name })

/** Names, and each secret as revealed: what "equal in content" means to a person. */
async function contentOf(p: Page): Promise<{ name: string; piece: string; value: unknown }[]> {
  return p.evaluate(async () => {
    const { latchkey } = globalThis as unknown as LatchkeyPage
    const page = await latchkey.connections.list({ limit: 100, sort: 'displayName' })
    const out = []
    for (const connection of page.data) {
      const { value } = await latchkey.connections.reveal({ id: connection.id })
      out.push({ name: connection.displayName, piece: connection.pieceName, value: value as unknown })
    }
    return out
  })
}

async function seedTokens(
  p: Page,
  items: { name: string; expiresIn?: number; secret?: string }[],
): Promise<void> {
  await p.evaluate(async (list) => {
    const { latchkey } = globalThis as unknown as LatchkeyPage
    const now = Math.floor(Date.now() / 1000)
    for (const item of list) {
      const value =
        item.expiresIn === undefined
          ? { type: 'SECRET_TEXT' as const, secret_text: item.secret ?? `secret-of-${item.name}` }
          : {
              type: 'OAUTH2' as const,
              access_token: `token-of-${item.name}`,
              token_url: 'https://auth.example.com/token',
              // Issued ten days ago, so an expired token still has a positive lifetime.
              claimed_at: now - 10 * 86_400,
              expires_in: 10 * 86_400 + item.expiresIn,
            }
      await latchkey.connections.create({
        displayName: item.name,
        pieceName: '@activepieces/piece-gmail',
        type: value.type,
        value,
      } as Parameters<LatchkeyPage['latchkey']['connections']['create']>[0])
    }
  }, items)
}

test.beforeAll(async ({ browser }) => {
  app = await startBrowserMode()
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  page = await context.newPage()
  await createVaultThroughUi(page, app.url)
  await seedTokens(page, [
    { name: 'Slack bot', secret: 'xoxb-first\nsecond line' },
    { name: 'Gmail soon', expiresIn: 2 * DAY },
    { name: 'Drive later', expiresIn: 5 * DAY },
  ])
})

test.afterAll(async () => {
  await context?.close()
  await app?.stop()
})

test('an expiring token appears in Health and the sidebar badge counts it', async () => {
  const health = nav(page, /^Health/)
  await expect(health.getByLabel('1 need attention')).toBeVisible()
  await health.click()
  const view = page.getByRole('region', { name: 'Health' })
  const expiries = view.getByRole('region', { name: /Tokens expired or expiring soon/ })
  await expect(expiries.getByRole('listitem')).toHaveCount(1)
  await expect(expiries.getByRole('listitem')).toContainText('Gmail soon')
  await expect(expiries.getByRole('listitem')).toContainText('Expires in 2 days')
  // Five days out is on the chart, not in the list: the look-ahead is three days.
  await expect(
    view.getByRole('img', { name: /Token expiries over the next 30 days: 2 in all/ }),
  ).toBeVisible()
  await expect(view.getByText(/Sync is not set up/)).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/health-view.png`, fullPage: true })
  // The connection opens from its name.
  await expiries.getByRole('button', { name: /Gmail soon/ }).click()
  await expect(page.getByRole('complementary', { name: 'Connection details' })).toContainText('Gmail soon')
})

test('on unlock, an expired token is announced once', async () => {
  await seedTokens(page, [{ name: 'Old token', expiresIn: -3600 }])
  await expect(nav(page, /^Health/).getByLabel('2 need attention')).toBeVisible()
  await page.getByRole('button', { name: 'Lock', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible()
  await page.getByLabel('Master password', { exact: true }).fill(E2E_PASSWORD)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await expect(page.getByText('1 token has expired: Old token. Open Health to renew it.')).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/health-unlock-toast.png` })
  await nav(page, /^Health/).click()
  await expect(page.getByText('1 token has expired')).toHaveCount(1)
})

test('an encrypted backup downloads, asking for the master password', async () => {
  await nav(page, 'Backup & import').click()
  const view = page.getByRole('region', { name: 'Backup & import' })
  await view.getByLabel('Master password for the backup', { exact: true }).fill('not my password at all')
  await view.getByRole('button', { name: 'Download encrypted backup' }).click()
  await expect(view.getByRole('alert')).toHaveText('That master password is not correct.')
  await view.getByLabel('Master password for the backup', { exact: true }).fill(E2E_PASSWORD)
  backedUp = await contentOf(page)
  const download = page.waitForEvent('download')
  await view.getByRole('button', { name: 'Download encrypted backup' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^latchkey-backup-\d{4}-\d{2}-\d{2}\.latchkey$/)
  backupPath = join(test.info().outputDir, file.suggestedFilename())
  await file.saveAs(backupPath)
  const bytes = readFileSync(backupPath)
  expect(bytes.subarray(0, 16).toString('latin1')).toBe('LATCHKEY-BACKUP1')
  expect(bytes.includes(Buffer.from('Slack bot'))).toBe(false)
  await page.screenshot({ path: `${SHOTS}/backup-view.png`, fullPage: true })
})

test('plaintext export only after a confirmation that names the risk', async () => {
  const view = page.getByRole('region', { name: 'Backup & import' })
  const exportSection = view.getByRole('region', { name: 'Export in plain text' })
  await exportSection.getByLabel('Format').selectOption('env')
  await exportSection.getByRole('button', { name: 'Export…' }).click()
  const dialog = page.getByRole('alertdialog', { name: 'Export every secret in plain text?' })
  await expect(dialog).toContainText(PLAINTEXT_EXPORT_RISK)
  const exportButton = dialog.getByRole('button', { name: 'Export in plain text' })
  await dialog.getByLabel('Master password', { exact: true }).fill(E2E_PASSWORD)
  await expect(exportButton).toBeDisabled()
  await dialog.getByLabel('I understand that the file is not encrypted').check()
  await page.screenshot({ path: `${SHOTS}/export-confirmation.png` })
  const download = page.waitForEvent('download')
  await exportButton.click()
  const file = await download
  expect(file.suggestedFilename()).toBe('latchkey-export.env')
  const text = readFileSync(await file.path(), 'utf8')
  expect(text).toContain('SLACK_BOT="xoxb-first\\nsecond line"')
  expect(text).toContain('GMAIL_SOON_ACCESS_TOKEN="token-of-Gmail soon"')
  await expect(dialog).toBeHidden()
})

test('a malformed import changes nothing and says where', async () => {
  const before = await contentOf(page)
  const view = page.getByRole('region', { name: 'Backup & import' })
  const importSection = view.getByRole('region', { name: 'Import' })
  await importSection.getByLabel('Format').selectOption('env')
  await importSection.getByLabel('File to import').setInputFiles({
    name: 'broken.env',
    mimeType: 'text/plain',
    buffer: Buffer.from('GOOD=1\nthis is not a variable\n'),
  })
  await importSection.getByRole('button', { name: 'Preview import' }).click()
  await expect(importSection.getByRole('alert')).toContainText('malformed at line 2')
  await page.screenshot({ path: `${SHOTS}/import-malformed.png` })
  expect(await contentOf(page)).toEqual(before)
})

test('an import previews what it creates, updates and skips, then applies it', async () => {
  const view = page.getByRole('region', { name: 'Backup & import' })
  const importSection = view.getByRole('region', { name: 'Import' })
  await importSection.getByLabel('Format').selectOption('bitwarden-json')
  await importSection.getByLabel('Piece for these entries').fill('@activepieces/piece-github')
  await importSection.getByLabel('File to import').setInputFiles({
    name: 'bitwarden.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        encrypted: false,
        items: [
          { id: 'bw-1', type: 1, name: 'GitHub deploy', login: { username: 'octo', password: 'ghp-1' } },
          { id: 'bw-2', type: 2, name: 'Webhook secret', notes: 'whsec-2' },
          { id: 'bw-3', type: 3, name: 'Company card', card: {} },
        ],
      }),
    ),
  })
  await importSection.getByRole('button', { name: 'Preview import' }).click()
  await expect(importSection.getByRole('status')).toHaveText('2 to create, 0 to update, 1 to skip')
  const table = importSection.getByRole('table', { name: 'What the import will do with each entry' })
  await expect(table.getByRole('row', { name: /Company card/ })).toContainText('not an app connection')
  await page.screenshot({ path: `${SHOTS}/import-preview.png`, fullPage: true })
  await importSection.getByRole('button', { name: 'Import 2 connections' }).click()
  await expect(page.getByText('Imported: 2 created, 0 updated, 1 skipped.')).toBeVisible()
  const names = (await contentOf(page)).map((c) => c.name)
  expect(names).toEqual(expect.arrayContaining(['GitHub deploy', 'Webhook secret']))
})

test('restore into a fresh vault: a wrong password and a damaged file change nothing, the right one is equal in content', async ({
  browser,
}) => {
  const fresh = await startBrowserMode()
  const freshContext = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  try {
    const other = await freshContext.newPage()
    await createVaultThroughUi(other, fresh.url)
    await seedTokens(other, [{ name: 'Only on the new machine' }])
    const before = await contentOf(other)
    await nav(other, 'Backup & import').click()
    const restore = other.getByRole('form', { name: 'Restore a backup' })

    async function attempt(
      file: string | { name: string; mimeType: string; buffer: Buffer },
      password: string,
    ) {
      await restore.getByLabel('Backup file').setInputFiles(file)
      await restore.getByLabel("The backup's master password", { exact: true }).fill(password)
      await restore.getByRole('button', { name: 'Restore…' }).click()
      await expect(restore.getByRole('alert')).toContainText('replaces every connection')
      await restore.getByRole('button', { name: 'Replace this vault' }).click()
    }

    await attempt(backupPath, 'a wrong password for this')
    await expect(restore.getByRole('alert')).toHaveText(
      'That password does not open this backup. Nothing was changed.',
    )
    const damaged = readFileSync(backupPath)
    damaged[damaged.length - 100] = damaged[damaged.length - 100]! ^ 0xff
    await attempt(
      { name: 'damaged.latchkey', mimeType: 'application/octet-stream', buffer: damaged },
      E2E_PASSWORD,
    )
    await expect(restore.getByRole('alert')).toContainText('This backup file is damaged')
    await other.screenshot({ path: `${SHOTS}/restore-refused.png`, fullPage: true })
    expect(await contentOf(other)).toEqual(before)

    await attempt(backupPath, E2E_PASSWORD)
    await expect(other.getByRole('button', { name: 'Unlock' })).toBeVisible()
    await expect(
      other.getByText('The backup was restored in place of this vault.', { exact: false }),
    ).toBeVisible()
    await other.getByLabel('Master password', { exact: true }).fill(E2E_PASSWORD)
    await other.getByRole('button', { name: 'Unlock' }).click()
    await expect(nav(other, 'Connections')).toBeVisible()
    expect(await contentOf(other)).toEqual(backedUp)
    await other.screenshot({ path: `${SHOTS}/restored-vault.png` })
  } finally {
    await freshContext.close()
    await fresh.stop()
  }
})
