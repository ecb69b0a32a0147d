import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import type { LatchkeyApi } from '../../src/shared/client'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'

// The specs type-check without the DOM library; these are the page globals they reach for.
interface PageGlobals {
  latchkey: LatchkeyApi
  navigator: { clipboard: { readText(): Promise<string> } }
  dispatchEvent(event: unknown): boolean
  Event: new (type: string) => unknown
}

// One real vault, driven through the UI from creation to unlock, in the order a person would.
// The steps share state (the vault, the page), so they run serially in one browser context.
test.describe.configure({ mode: 'serial' })

const PASSWORD = 'correct horse battery staple'
const SHOTS = 'test-results/screens'

let app: BrowserModeProcess
let context: BrowserContext
let page: Page

test.beforeAll(async ({ browser }) => {
  app = await startBrowserMode()
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  // Copy is tested for real: the page writes and later clears the system clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin })
  page = await context.newPage()
})

test.afterAll(async () => {
  await context?.close()
  await app?.stop()
})

const grid = () => page.getByRole('grid', { name: 'Connections' })
const row = (name: string | RegExp) => grid().getByRole('row', { name })
const dataRows = () => grid().locator('.grid-body [role="row"]')
const toast = () => page.getByRole('region', { name: 'Notifications' })

async function expectRows(names: string[]) {
  await expect(dataRows()).toHaveCount(names.length)
  for (const name of names) await expect(row(new RegExp(name))).toBeVisible()
}

async function openConnection(name: string) {
  await row(new RegExp(name)).click()
  await expect(
    page.getByRole('complementary', { name: 'Connection details' }).getByRole('heading', { name }),
  ).toBeVisible()
}

const details = () => page.getByRole('complementary', { name: 'Connection details' })

interface NewConnection {
  name: string
  piece: string
  type: string
  scope?: 'Project' | 'Platform'
  projects?: string
  fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>
}

async function createConnection(spec: NewConnection) {
  await page.getByRole('button', { name: 'New connection' }).click()
  const dialog = page.getByRole('dialog', { name: 'New connection' })
  await dialog.getByLabel('Name', { exact: true }).fill(spec.name)
  await dialog.getByLabel('Piece name').fill(spec.piece)
  await dialog.getByLabel('Type').selectOption({ label: spec.type })
  if (spec.scope) await dialog.getByLabel('Scope', { exact: true }).selectOption({ label: spec.scope })
  if (spec.projects) await dialog.getByLabel('Project ids').fill(spec.projects)
  await spec.fill?.(dialog)
  await dialog.getByRole('button', { name: 'Create connection' }).click()
  await expect(dialog).toBeHidden()
  await expect(toast()).toContainText(`Created “${spec.name}”.`)
}

test('creating a vault shows password strength and refuses mismatched passwords', async () => {
  await page.goto(app.url)
  await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible()
  const password = page.getByLabel('Master password', { exact: true })
  await password.fill('hunter2')
  await expect(page.getByRole('meter', { name: 'Password strength' })).toHaveAttribute(
    'aria-valuetext',
    'Too short',
  )
  await expect(page.getByRole('button', { name: 'Create vault' })).toBeDisabled()
  await password.fill(PASSWORD)
  await expect(page.getByRole('meter', { name: 'Password strength' })).not.toHaveAttribute(
    'aria-valuetext',
    /Too short|Weak/,
  )
  await page.getByLabel('Confirm password', { exact: true }).fill(`${PASSWORD}!`)
  await page.getByRole('button', { name: 'Create vault' }).click()
  await expect(page.getByRole('alert')).toHaveText('The two passwords differ.')
  await page.screenshot({ path: `${SHOTS}/create-vault.png`, fullPage: true })
  await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Create vault' }).click()
  await expect(page.getByRole('heading', { name: 'No connections yet' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Lock' })).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/connections-empty.png`, fullPage: true })
})

test('the create dialog validates inline like main and shows main’s refusal', async () => {
  await page.keyboard.press('Control+n')
  const dialog = page.getByRole('dialog', { name: 'New connection' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Create connection' }).click()
  // The contract's own messages, shown beside their fields before anything reaches main.
  await expect(dialog.getByText('A display name is required.')).toBeVisible()
  await expect(dialog.getByText('A piece name is required.')).toBeVisible()
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await dialog.getByLabel('Type').selectOption({ label: 'OAuth2' })
  await dialog.getByRole('radio', { name: 'Paste tokens (advanced)' }).check()
  await dialog.getByRole('button', { name: 'Create connection' }).click()
  await expect(dialog.getByText('An access token is required.')).toBeVisible()
  await expect(dialog.getByText('A token URL is required.')).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/create-dialog-validation.png`, fullPage: true })
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})

test('adds one connection of every type', async () => {
  await createConnection({
    name: 'Stripe live',
    piece: '@activepieces/piece-stripe',
    type: 'Secret text',
    projects: 'proj-a',
    fill: async (d) => {
      await d.getByLabel('External id').fill('stripe-live')
      await d.getByLabel('Secret text').fill('sk_live_e2e_secret')
    },
  })
  await createConnection({
    name: 'Jira basic',
    piece: '@activepieces/piece-jira',
    type: 'Basic auth',
    projects: 'proj-b',
    fill: async (d) => {
      await d.getByLabel('Username').fill('ops@example.com')
      await d.getByLabel('Password', { exact: true }).fill('jira-pass-123')
    },
  })
  await createConnection({
    name: 'Custom CRM',
    piece: '@activepieces/piece-crm',
    type: 'Custom auth',
    fill: async (d) => {
      await d.getByLabel('Property key 1').fill('apiKey')
      await d.getByLabel('Property value 1').fill('crm-key-1')
      await d.getByRole('button', { name: 'Add property row' }).click()
      await d.getByLabel('Property key 2').fill('region')
      await d.getByLabel('Property value 2').fill('eu')
    },
  })
  await createConnection({
    name: 'Slack OAuth',
    piece: '@activepieces/piece-slack',
    type: 'OAuth2',
    scope: 'Platform',
    projects: 'proj-a, proj-b',
    fill: async (d) => {
      // Signing in with the provider is OAuth2's main path; pasting tokens is the advanced one.
      await d.getByRole('radio', { name: 'Paste tokens (advanced)' }).check()
      await d.getByLabel('Access token').fill('xoxb-e2e-token')
      await d.getByLabel('Refresh token').fill('xoxe-refresh')
      await d.getByLabel('Token URL').fill('https://slack.com/api/oauth.v2.access')
      await d.getByLabel('Client id').fill('client-1')
      await d.getByLabel('Client secret').fill('client-secret-1')
      await d.getByLabel('Expires in (seconds)').fill('720')
    },
  })
  await createConnection({
    name: 'Gmail cloud',
    piece: '@activepieces/piece-gmail',
    type: 'Cloud OAuth2',
    fill: async (d) => {
      await d.getByLabel('Access token').fill('ya29.e2e')
      await d.getByLabel('Token URL').fill('https://oauth2.googleapis.com/token')
    },
  })
  await createConnection({
    name: 'Platform GitHub',
    piece: '@activepieces/piece-github',
    type: 'Platform OAuth2',
    scope: 'Platform',
    fill: async (d) => {
      await d.getByLabel('Access token').fill('gho_e2e')
      await d.getByLabel('Token URL').fill('https://github.com/login/oauth/access_token')
    },
  })
  await createConnection({
    name: 'Okta OIDC',
    piece: '@activepieces/piece-okta',
    type: 'OIDC',
    fill: async (d) => {
      await d.getByLabel('Property key 1').fill('issuer')
      await d.getByLabel('Property value 1').fill('https://example.okta.com')
    },
  })
  await createConnection({ name: 'Public weather', piece: '@activepieces/piece-weather', type: 'No auth' })

  await expect(page.getByTestId('result-count')).toHaveText('8 connections')
  // OAuth2 rows count down to their token expiry.
  await expect(row(/Slack OAuth/)).toContainText(/expires in 1[12] min/)
  await page.screenshot({ path: `${SHOTS}/connections-table.png`, fullPage: true })
})

test('main’s refusal is shown in the dialog when it refuses a create', async () => {
  await page.getByRole('button', { name: 'New connection' }).click()
  const dialog = page.getByRole('dialog', { name: 'New connection' })
  await dialog.getByLabel('Name', { exact: true }).fill('Stripe again')
  await dialog.getByLabel('Piece name').fill('@activepieces/piece-stripe')
  await dialog.getByLabel('External id').fill('stripe-live')
  await dialog.getByLabel('Secret text').fill('sk_other')
  await dialog.getByRole('button', { name: 'Create connection' }).click()
  await expect(dialog.getByRole('alert')).toContainText('already exists')
  await page.screenshot({ path: `${SHOTS}/create-dialog-conflict.png`, fullPage: true })
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
})

test('filters by piece, status, scope, project and remote', async () => {
  const filters = page.getByRole('search', { name: 'Filter connections' })
  // The piece picker lists the vault's pieces; choosing one filters on its exact package name.
  await filters.getByRole('combobox', { name: 'Piece' }).fill('jira')
  await page.getByRole('listbox', { name: 'Pieces' }).getByRole('option', { name: /Jira/ }).click()
  await expectRows(['Jira basic'])
  await filters.getByRole('button', { name: 'Any piece' }).click()
  await expect(page.getByTestId('result-count')).toHaveText('8 connections')

  await filters.getByRole('checkbox', { name: 'Missing' }).check()
  await expect(page.getByRole('heading', { name: 'No connections match these filters' })).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/connections-no-results.png`, fullPage: true })
  await filters.getByRole('checkbox', { name: 'Active' }).check()
  await expect(page.getByTestId('result-count')).toHaveText('8 connections')
  await filters.getByRole('checkbox', { name: 'Missing' }).uncheck()
  await filters.getByRole('checkbox', { name: 'Active' }).uncheck()

  await filters.getByLabel('Scope').selectOption({ label: 'Platform' })
  await expectRows(['Slack OAuth', 'Platform GitHub'])
  await filters.getByLabel('Scope').selectOption({ label: 'Any scope' })

  // Projects and remotes are picked from what the vault holds (by value: the labels carry counts).
  await filters.getByLabel('Project').selectOption('proj-b')
  await expectRows(['Jira basic', 'Slack OAuth'])
  await filters.getByLabel('Project').selectOption('')

  await filters.getByLabel('Remote', { exact: true }).selectOption('local')
  await expect(page.getByTestId('result-count')).toHaveText('8 connections')
  await filters.getByLabel('Remote', { exact: true }).selectOption('')
  await filters.getByRole('checkbox', { name: 'Error' }).check()
  await expect(page.getByRole('heading', { name: 'No connections match these filters' })).toBeVisible()
  await page.getByRole('button', { name: 'Clear filters' }).first().click()
  await expect(page.getByTestId('result-count')).toHaveText('8 connections')
})

test('search narrows the list as you type', async () => {
  const search = page.getByRole('searchbox', { name: 'Search connections' })
  await page.keyboard.press('/')
  await expect(search).toBeFocused()
  await search.pressSequentially('oaut', { delay: 30 })
  await expectRows(['Slack OAuth'])
  await search.press('Backspace')
  await search.press('Backspace')
  await search.press('Backspace')
  await search.press('Backspace')
  await expect(page.getByTestId('result-count')).toHaveText('8 connections')
  await search.pressSequentially('g', { delay: 30 })
  await expectRows(['Gmail cloud', 'Platform GitHub'])
  await search.fill('')
  // The next test moves the selection by rows: wait for the whole list, not the filtered one.
  await expect(page.getByTestId('result-count')).toHaveText('8 connections')
})

test('the keyboard moves the selection and Enter opens the details', async () => {
  const highlighted = () => grid().locator('[role="row"][aria-selected="true"]')
  await page.keyboard.press('Control+f')
  await page.keyboard.press('ArrowDown')
  await expect(grid()).toBeFocused()
  // Start from a known row: a panel still open from an earlier test moves the highlight to its own
  // row once that row's page lands (the highlight follows the panel), whenever that happens.
  await page.keyboard.press('Home')
  await expect(highlighted()).toHaveAttribute('aria-rowindex', '2')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(highlighted()).toHaveAttribute('aria-rowindex', '4')
  await page.keyboard.press('ArrowUp')
  await expect(highlighted()).toHaveAttribute('aria-rowindex', '3')
  await page.keyboard.press('Enter')
  await expect(details()).toBeVisible()
  await page.keyboard.press('Control+k')
  const palette = page.getByRole('dialog', { name: 'Command palette' })
  await page.getByRole('combobox', { name: 'Command' }).fill('sort by name')
  await page.keyboard.press('Enter')
  await expect(palette).toBeHidden()
  await expect(dataRows().first()).toContainText('Custom CRM')
  await page.getByRole('button', { name: 'Updated' }).click()
})

test('edits a connection’s metadata', async () => {
  await openConnection('Stripe live')
  await details().getByRole('button', { name: 'Edit' }).click()
  const dialog = page.getByRole('dialog', { name: 'Edit connection' })
  await dialog.getByRole('button', { name: 'Add metadata row' }).click()
  await dialog.getByLabel('Metadata key 1').fill('env')
  await dialog.getByLabel('Metadata value 1').fill('production')
  await page.screenshot({ path: `${SHOTS}/edit-dialog.png`, fullPage: true })
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(toast()).toContainText('Saved “Stripe live”.')
  await expect(details().getByText('production')).toBeVisible()
  await expect(details().getByRole('list').last()).toContainText('connection.update')
  await page.screenshot({ path: `${SHOTS}/detail-panel.png`, fullPage: true })
})

test('reveals a secret and hides it again, on request and on blur', async () => {
  await details().getByRole('button', { name: 'Reveal' }).click()
  const revealed = details().getByLabel('Revealed value')
  await expect(revealed).toContainText('sk_live_e2e_secret')
  await page.screenshot({ path: `${SHOTS}/detail-revealed.png`, fullPage: true })
  await details().getByRole('button', { name: 'Hide' }).click()
  await expect(revealed).toBeHidden()
  await details().getByRole('button', { name: 'Reveal' }).click()
  await expect(revealed).toBeVisible()
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals
    g.dispatchEvent(new g.Event('blur'))
  })
  await expect(revealed).toBeHidden()
  await expect(page.getByText('sk_live_e2e_secret')).toHaveCount(0)
})

test('copies through main and clears the clipboard after the configured time', async () => {
  // Settings live in the Account view; the header's Settings button leads there, the sidebar back.
  await page.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByRole('form', { name: 'Settings' })
  await settings.getByLabel('Clear the clipboard after (seconds)').fill('2')
  await settings.getByRole('button', { name: 'Save settings' }).click()
  await expect(toast()).toContainText('Settings saved.')
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Connections' }).click()

  await details().getByRole('button', { name: 'Copy secret' }).click()
  await expect(toast()).toContainText('Copied. The clipboard will be cleared in 2 s.')
  expect(
    await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText()),
  ).toBe('sk_live_e2e_secret')
  await page.screenshot({ path: `${SHOTS}/copied-toast.png`, fullPage: true })
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText()), {
      timeout: 8000,
    })
    .toBe('')
})

test('a delete is refused while flows use the connection, and allowed with force', async () => {
  await openConnection('Jira basic')
  const id = await details().locator('dd .mono').last().textContent()
  await page.evaluate(
    (connectionId) =>
      (globalThis as unknown as PageGlobals).latchkey.flows.link({
        flowId: 'flow-1',
        connectionId: connectionId!,
        flowName: 'Sync tickets',
      }),
    id,
  )
  await details().getByRole('button', { name: 'Delete' }).click()
  const confirm = page.getByRole('alertdialog', { name: 'Delete “Jira basic”?' })
  // The flows are counted up front; the choices are the two the UI can carry out.
  await expect(confirm).toContainText('Used by 1 active flow.')
  await page.screenshot({ path: `${SHOTS}/delete-refused.png`, fullPage: true })
  await confirm.getByRole('button', { name: 'Delete and leave a placeholder' }).click()
  await expect(confirm).toBeHidden()
  await expect(toast()).toContainText('Deleted “Jira basic”.')

  // Its flow keeps a MISSING placeholder to point at.
  await page
    .getByRole('search', { name: 'Filter connections' })
    .getByRole('checkbox', { name: 'Missing' })
    .check()
  await expectRows(['Jira basic'])
  await expect(row(/Jira basic/)).toContainText('Missing')
  await page.getByRole('button', { name: 'Clear filters' }).first().click()

  // A connection no flow uses goes at the first asking.
  await openConnection('Public weather')
  await details().getByRole('button', { name: 'Delete' }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(toast()).toContainText('Deleted “Public weather”.')
  await expect(row(/Public weather/)).toHaveCount(0)
})

test('every control is labelled for assistive technology', async () => {
  const snapshot = await page.locator('body').ariaSnapshot()
  for (const expected of [
    'button "New connection"',
    'button "Lock"',
    'searchbox "Search connections"',
    'combobox "Piece"',
    'combobox "Scope"',
    'grid "Connections"',
  ])
    expect(snapshot).toContain(expected)
})

test('locks with the button, refuses a wrong password and unlocks with the right one', async () => {
  await page.getByRole('button', { name: 'Lock' }).click()
  await expect(page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible()
  await expect(page.getByRole('grid')).toHaveCount(0)
  await page.getByLabel('Master password', { exact: true }).fill('not the password at all')
  await page.getByRole('button', { name: 'Unlock', exact: true }).click()
  await expect(page.getByRole('alert')).toHaveText('Wrong password. Try again.')
  await expect(page.getByLabel('Master password', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await page.screenshot({ path: `${SHOTS}/unlock-wrong-password.png`, fullPage: true })
  await page.getByLabel('Master password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Unlock', exact: true }).click()
  await expect(page.getByTestId('result-count')).toHaveText('7 connections')

  // The shortcut locks too.
  await page.keyboard.press('Control+l')
  await expect(page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/unlock.png`, fullPage: true })
})
