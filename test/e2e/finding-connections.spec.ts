import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import type { LatchkeyApi } from '../../src/shared/client'

interface LatchkeyPage {
  latchkey: LatchkeyApi
}

// Status a person can trust and a list that finds things (issue 12): badges that say Expired and
// Expiring instead of a green Active, the expiry filter, every sortable header both ways, the
// piece, project and remote pickers, a filter bar on one row at 1280 px, and the palette finding
// connections by name.
test.describe.configure({ mode: 'serial' })

const SHOTS = 'test-results/screens'
const HOUR = 3600

let app: BrowserModeProcess
let context: BrowserContext
let page: Page

const grid = () => page.getByRole('grid', { name: 'Connections' })
const row = (name: string) => grid().getByRole('row', { name: new RegExp(name) })
const dataRows = () => grid().locator('.grid-body [role="row"]')
const filters = () => page.getByRole('search', { name: 'Filter connections' })
const details = () => page.getByRole('complementary', { name: 'Connection details' })
const names = () => dataRows().locator('.cell-name').allTextContents()

interface Seed {
  name: string
  piece: string
  /** Seconds from now the OAuth2 token expires (negative: it has expired); absent: a secret text. */
  expiresIn?: number
  scope?: 'PROJECT' | 'PLATFORM'
  projectIds?: string[]
}

/** Created through the API, in order (ids follow creation time, which breaks ties in the sorts). */
async function seed(items: Seed[]): Promise<void> {
  await page.evaluate(async (list) => {
    const { latchkey } = globalThis as unknown as LatchkeyPage
    const now = Math.floor(Date.now() / 1000)
    for (const item of list) {
      const value =
        item.expiresIn === undefined
          ? { type: 'SECRET_TEXT', secret_text: `secret-of-${item.name}` }
          : {
              type: 'OAUTH2',
              access_token: `token-of-${item.name}`,
              token_url: 'https://auth.example.com/token',
              // Issued a day ago when it has already expired, so expires_in stays positive.
              claimed_at: item.expiresIn < 0 ? now - 86_400 : now,
              expires_in: item.expiresIn < 0 ? 86_400 + item.expiresIn : item.expiresIn,
            }
      await latchkey.connections.create({
        displayName: item.name,
        pieceName: item.piece,
        type: value.type,
        value,
        scope: item.scope ?? 'PROJECT',
        projectIds: item.projectIds ?? [],
      } as Parameters<LatchkeyPage['latchkey']['connections']['create']>[0])
      // A millisecond apart at least, so "updated" orders them as created.
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }, items)
}

async function expectNames(expected: string[]) {
  await expect(dataRows()).toHaveCount(expected.length)
  await expect.poll(names).toEqual(expected)
}

test.beforeAll(async ({ browser }) => {
  app = await startBrowserMode()
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin })
  page = await context.newPage()
  await page.goto(app.url)
  await page.getByLabel('Master password', { exact: true }).fill('correct horse battery staple')
  await page.getByLabel('Confirm password', { exact: true }).fill('correct horse battery staple')
  await page.getByRole('button', { name: 'Create vault' }).click()
  await expect(page.getByRole('heading', { name: 'No connections yet' })).toBeVisible()
  await seed([
    { name: 'Slack alerts', piece: '@activepieces/piece-slack', projectIds: ['p-ops'] },
    { name: 'Slack bot', piece: '@activepieces/piece-slack', expiresIn: -HOUR },
    { name: 'Gmail inbox', piece: '@activepieces/piece-gmail', expiresIn: 2 * HOUR },
    { name: 'Google Sheets', piece: '@activepieces/piece-google-sheets', expiresIn: 30 * 24 * HOUR },
    {
      name: 'Stripe live',
      piece: '@activepieces/piece-stripe',
      scope: 'PLATFORM',
      projectIds: ['p-ops', 'p-sales'],
    },
    { name: 'Jira tickets', piece: '@activepieces/piece-jira', projectIds: ['p-sales'] },
  ])
  await expect(page.getByTestId('result-count')).toHaveText('6 connections')
})

test.afterAll(async () => {
  await context?.close()
  await app?.stop()
})

test('badges say Expired and Expiring, never Active, for tokens that are or soon will be', async () => {
  // Expired; once the refresher has looked at it (it has no refresh token), Needs sign-in.
  await expect(row('Slack bot').locator('.badge')).toHaveText(/^(Expired|Needs sign-in)$/)
  await expect(row('Slack bot')).toContainText('expired 1 h ago')
  await expect(row('Gmail inbox').locator('.badge')).toHaveText('Expiring')
  await expect(row('Gmail inbox')).toContainText('expires in 2 h')
  await expect(row('Google Sheets').locator('.badge')).toHaveText('Active')
  await expect(row('Slack alerts').locator('.badge')).toHaveText('Active')
  await page.screenshot({ path: `${SHOTS}/health-badges.png` })
})

test('the expiry filter shows expired and expiring tokens', async () => {
  await filters().getByRole('checkbox', { name: 'Expired' }).check()
  await expectNames(['Slack bot'])
  await filters().getByRole('checkbox', { name: 'Expiring soon' }).check()
  await expectNames(['Gmail inbox', 'Slack bot'])
  await page.screenshot({ path: `${SHOTS}/filter-expiry.png` })
  await filters().getByRole('checkbox', { name: 'Expired' }).uncheck()
  await expectNames(['Gmail inbox'])
  await filters().getByRole('checkbox', { name: 'Expiring soon' }).uncheck()
  await expect(page.getByTestId('result-count')).toHaveText('6 connections')
})

test('the piece picker finds "slack" by its friendly name and by package name, with counts', async () => {
  const piece = filters().getByRole('combobox', { name: 'Piece' })
  await piece.click()
  await piece.fill('slack')
  const options = page.getByRole('listbox', { name: 'Pieces' }).getByRole('option')
  await expect(options).toHaveCount(1)
  await expect(options.first()).toContainText('Slack')
  await expect(options.first()).toContainText('@activepieces/piece-slack')
  await expect(options.first()).toContainText('2')
  await page.screenshot({ path: `${SHOTS}/piece-picker.png` })
  await options.first().click()
  await expectNames(['Slack bot', 'Slack alerts'])
  await expect(piece).toHaveValue('Slack')
  // The package name matches too, partially; the keyboard picks.
  await piece.fill('piece-goo')
  await expect(options).toHaveCount(1)
  await piece.press('Enter')
  await expectNames(['Google Sheets'])
  await filters().getByRole('button', { name: 'Any piece' }).click()
  await expect(page.getByTestId('result-count')).toHaveText('6 connections')
})

test('project and remote filters pick from the values the vault holds', async () => {
  const project = filters().getByRole('combobox', { name: 'Project' })
  await expect(project.getByRole('option')).toHaveText(['Any project', 'p-ops (2)', 'p-sales (2)'])
  await project.selectOption({ label: 'p-sales (2)' })
  await expectNames(['Jira tickets', 'Stripe live'])
  await project.selectOption({ label: 'Any project' })
  const remote = filters().getByRole('combobox', { name: 'Remote' })
  await expect(remote.getByRole('option')).toHaveText(['Any remote', 'Local only (6)'])
  await remote.selectOption({ label: 'Local only (6)' })
  await expect(page.getByTestId('result-count')).toHaveText('6 connections')
  await remote.selectOption({ label: 'Any remote' })
})

test('every sortable header sorts by what it says, ascending then descending', async () => {
  const header = (label: string) => grid().getByRole('columnheader', { name: label })
  const cases: [string, string[], string[]][] = [
    ['Name', ['Gmail inbox', 'Google Sheets'], ['Stripe live', 'Slack bot']],
    // @activepieces/piece-gmail, -google-sheets, -jira, -slack (two, by id), -stripe.
    ['Piece', ['Gmail inbox', 'Google Sheets', 'Jira tickets'], ['Stripe live', 'Slack bot', 'Slack alerts']],
    // Expired, expiring, fresh, then those without an expiry; descending is the exact reverse.
    [
      'Status',
      ['Slack bot', 'Gmail inbox', 'Google Sheets'],
      ['Jira tickets', 'Stripe live', 'Slack alerts'],
    ],
  ]
  for (const [label, ascending, descending] of cases) {
    await header(label).getByRole('button').click()
    await expect(header(label)).toHaveAttribute('aria-sort', 'ascending')
    await expect(header(label)).toContainText('▲')
    await expect.poll(async () => (await names()).slice(0, ascending.length)).toEqual(ascending)
    await header(label).getByRole('button').click()
    await expect(header(label)).toHaveAttribute('aria-sort', 'descending')
    await expect(header(label)).toContainText('▼')
    await expect.poll(async () => (await names()).slice(0, descending.length)).toEqual(descending)
  }
  await expect(header('Status').getByRole('button')).toHaveAttribute('title', /Sort by status/)
  // Updated starts newest first; its first click goes the other way.
  await header('Updated').getByRole('button').click()
  await expect(header('Updated')).toHaveAttribute('aria-sort', 'descending')
  await expect.poll(async () => (await names())[0]).toBe('Jira tickets')
  await header('Updated').getByRole('button').click()
  await expect(header('Updated')).toHaveAttribute('aria-sort', 'ascending')
  await expect.poll(async () => (await names())[0]).toBe('Slack alerts')
  await expect(header('Name')).toHaveAttribute('aria-sort', 'none')
  await page.screenshot({ path: `${SHOTS}/sort-updated-ascending.png` })
})

test('the filter bar fits one row at 1280 px, each chip as wide as its word', async () => {
  // With a filter set, the Clear filters button is there too.
  await filters().getByRole('checkbox', { name: 'Active' }).check()
  const bar = await filters().boundingBox()
  expect(bar!.height).toBeLessThan(48)
  const tops = await filters()
    .locator(':scope > *')
    .evaluateAll((children) => children.map((child) => Math.round(child.getBoundingClientRect().top)))
  expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(8)
  for (const label of ['Active', 'Missing', 'Error', 'Expired', 'Expiring soon']) {
    const chip = filters().locator('label.chip', { hasText: label })
    const box = (await chip.boundingBox())!
    expect(box.width).toBeLessThan(130)
    // The checkbox sits right beside its word.
    const check = (await chip.getByRole('checkbox').boundingBox())!
    expect(check.x - box.x).toBeLessThan(12)
  }
  await page.screenshot({ path: `${SHOTS}/filter-bar-1280.png` })
  await page.getByRole('button', { name: 'Clear filters' }).click()
})

test('the palette finds a connection by name, opens it, and copies its secret', async () => {
  await page.keyboard.press('Control+k')
  const palette = page.getByRole('dialog', { name: 'Command palette' })
  await page.getByRole('combobox', { name: 'Command' }).fill('sheets')
  await expect(palette.getByRole('option', { name: 'Open Google Sheets' })).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/palette-connection.png` })
  await page.keyboard.press('Enter')
  await expect(palette).toBeHidden()
  await expect(details().getByRole('heading', { name: 'Google Sheets' })).toBeVisible()

  await page.keyboard.press('Control+k')
  await page.getByRole('combobox', { name: 'Command' }).fill('stripe')
  await expect(palette.getByRole('option', { name: 'Open Stripe live' })).toBeVisible()
  await page.keyboard.press('Control+c')
  await expect(palette).toBeHidden()
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Copied')
  await expect
    .poll(() =>
      page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    )
    .toBe('secret-of-Stripe live')
})
