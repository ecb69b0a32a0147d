import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import { E2E_PASSWORD, createVaultThroughUi, seedConnections } from '../support/e2e-vault'

// Words and layout at the size a laptop shows them: errors a person can act on, a list that stays
// readable beside the detail panel, one notion of "the selected connection", and toasts that keep
// out of the way and out of the lock screen.
test.describe.configure({ mode: 'serial' })

const SHOTS = 'test-results/screens'
const LONG_NAME =
  'Quarterly revenue reconciliation between the European billing ledger and the North American payments warehouse (read-only service account)'

let app: BrowserModeProcess
let context: BrowserContext
let page: Page

const grid = () => page.getByRole('grid', { name: 'Connections' })
const row = (name: string) => grid().getByRole('row', { name: new RegExp(name) })
const details = () => page.getByRole('complementary', { name: 'Connection details' })
const toasts = () => page.getByRole('region', { name: 'Notifications' }).locator('.toast')
const search = () => page.getByRole('searchbox', { name: 'Search connections' })

/** A header's label without its sort arrow, however the arrow is drawn. */
const labelOf = (text: string) => /[A-Za-z][A-Za-z ]*[A-Za-z]/.exec(text)?.[0] ?? ''

async function openConnection(name: string) {
  await row(name).click()
  await expect(details().getByRole('heading', { name })).toBeVisible()
}

test.beforeAll(async ({ browser }) => {
  app = await startBrowserMode()
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  page = await context.newPage()
  await createVaultThroughUi(page, app.url)
  await seedConnections(page, [
    { name: 'Stripe live', piece: '@activepieces/piece-stripe', secret: 'sk_live_words_secret' },
    { name: 'Slack OAuth', piece: '@activepieces/piece-slack', oauth2: { type: 'OAUTH2', expiresIn: 720 } },
    {
      name: 'Platform GitHub',
      piece: '@activepieces/piece-github',
      oauth2: { type: 'PLATFORM_OAUTH2', expiresIn: 3000 },
    },
    { name: LONG_NAME, piece: '@activepieces/piece-postgres' },
    { name: 'Temp 1', piece: '@activepieces/piece-weather' },
    { name: 'Temp 2', piece: '@activepieces/piece-weather' },
    { name: 'Temp 3', piece: '@activepieces/piece-weather' },
    { name: 'Temp 4', piece: '@activepieces/piece-weather' },
  ])
  await expect(page.getByTestId('result-count')).toHaveText('8 connections')
})

test.afterAll(async () => {
  await context?.close()
  await app?.stop()
})

test('settings errors appear all at once, beside their fields, in words with each range', async () => {
  // Settings live in the Account view; the header's Settings button leads there.
  await page.getByRole('button', { name: 'Settings' }).click()
  const dialog = page.getByRole('form', { name: 'Settings' })
  await dialog.getByLabel('Lock after idle (minutes)').fill('')
  await dialog.getByLabel('Hide revealed values after (seconds)').fill('1')
  await dialog.getByLabel('Clear the clipboard after (seconds)').fill('soon')
  await dialog.getByRole('button', { name: 'Save settings' }).click()
  await expect(
    dialog.getByText(
      'Lock after idle must be a whole number of minutes from 0 to 1440 (0 never locks on idle).',
    ),
  ).toBeVisible()
  await expect(
    dialog.getByText('Hide revealed values after must be a whole number of seconds from 3 to 600.'),
  ).toBeVisible()
  await expect(
    dialog.getByText(
      'Clear the clipboard after must be a whole number of seconds from 0 to 600 (0 never clears).',
    ),
  ).toBeVisible()
  await expect(dialog.getByLabel('Lock after idle (minutes)')).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.getByRole('alert')).toHaveText('3 settings need correcting; each says how above.')
  await expect(dialog).not.toContainText(/Invalid input|expected number|autoLockMinutes|and \d more/)
  await page.screenshot({ path: `${SHOTS}/words-settings-errors.png` })

  // Corrected, they save; and main words the same mistakes the same way for any other caller.
  await dialog.getByLabel('Lock after idle (minutes)').fill('15')
  await dialog.getByLabel('Hide revealed values after (seconds)').fill('20')
  await dialog.getByLabel('Clear the clipboard after (seconds)').fill('30')
  await dialog.getByRole('button', { name: 'Save settings' }).click()
  await expect(dialog.getByRole('alert')).toHaveCount(0)
  await expect(toasts().filter({ hasText: 'Settings saved.' })).toHaveCount(1)
  const refusal = await page.evaluate(async () => {
    const { latchkey } = globalThis as unknown as import('../support/e2e-vault').LatchkeyPage
    return latchkey.settings.set({ autoLockMinutes: null as unknown as number }).then(
      () => null,
      (error: { params: { message: string } }) => error.params.message,
    )
  })
  expect(refusal).toBe(
    'Lock after idle must be a whole number of minutes from 0 to 1440 (0 never locks on idle).',
  )
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Connections' }).click()
})

/** The labels of the columns on screen, left to right. */
async function visibleColumns(): Promise<string[]> {
  const visible: string[] = []
  for (const header of await grid().getByRole('columnheader').all())
    if (await header.isVisible()) visible.push(labelOf(await header.innerText()))
  return visible
}

/** Cells of these columns whose text (or a badge's, or the expiry's inside them) is cut. */
function cutCells(columns: string[]): Promise<string[]> {
  return page.evaluate((wantedLabels) => {
    interface ElementLike {
      children: ArrayLike<ElementLike>
      querySelectorAll(selector: string): ArrayLike<ElementLike>
      scrollWidth: number
      clientWidth: number
      textContent: string | null
    }
    const doc = (
      globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<ElementLike> } }
    ).document
    const header = doc.querySelectorAll('.grid-row.header')[0]!
    const labels = Array.from(header.children).map(
      (cell) => /[A-Za-z][A-Za-z ]*[A-Za-z]/.exec(cell.textContent ?? '')?.[0] ?? '',
    )
    const problems: string[] = []
    for (const line of Array.from(doc.querySelectorAll('.grid-body .grid-row'))) {
      for (const label of wantedLabels) {
        const cell = line.children[labels.indexOf(label)]
        if (!cell) continue
        for (const part of [cell, ...Array.from(cell.querySelectorAll('*'))]) {
          if (part.scrollWidth > part.clientWidth + 1) problems.push(`${label}: ${part.textContent}`)
        }
      }
    }
    return problems
  }, columns)
}

test('at 1280 px the list shows every column whole, and beside the panel drops only Projects and Owner', async () => {
  expect(await visibleColumns()).toEqual([
    'Name',
    'Piece',
    'Type',
    'Status',
    'Scope',
    'Projects',
    'Owner',
    'Updated',
  ])
  expect(await cutCells(['Type', 'Status', 'Scope', 'Updated'])).toEqual([])
  await page.screenshot({ path: `${SHOTS}/layout-list-1280.png` })

  await openConnection('Platform GitHub')
  // Projects and Owner give way first (the panel shows both); everything else stays, whole.
  expect(await visibleColumns()).toEqual(['Name', 'Piece', 'Type', 'Status', 'Scope', 'Updated'])
  expect(await cutCells(['Type', 'Status', 'Scope', 'Updated'])).toEqual([])
  await expect(row('Platform GitHub')).toContainText('Platform OAuth2')
  await expect(row('Platform GitHub')).toContainText(/expires in \d+ min/)
  await page.screenshot({ path: `${SHOTS}/layout-panel-1280.png` })
})

test('the highlighted row is always the connection the panel shows', async () => {
  const selectedName = () => grid().locator('[aria-selected="true"] [role="gridcell"]').first()
  const panelName = () => details().getByRole('heading').first()
  await openConnection('Stripe live')
  await expect(selectedName()).toHaveText('Stripe live')
  // The keyboard moves both together.
  // Stripe live was created first, so it is the last row by Updated: the row above is another one.
  await page.keyboard.press('ArrowUp')
  await expect(selectedName()).not.toHaveText('Stripe live')
  const next = (await selectedName().innerText()).trim()
  await expect(panelName()).toHaveText(next)
  // A re-sort moves the row; the highlight follows it rather than staying on the old position.
  await grid().getByRole('button', { name: /Name/ }).click()
  await expect(selectedName()).toHaveText(next)
  await expect(panelName()).toHaveText(next)
  await page.screenshot({ path: `${SHOTS}/layout-highlight-is-panel.png` })
  // Opening another connection from the palette moves the highlight with the panel.
  await page.keyboard.press('Control+k')
  await page.getByRole('combobox', { name: 'Command' }).fill('Slack OAuth')
  await page.getByRole('option', { name: 'Open Slack OAuth' }).click()
  await expect(panelName()).toHaveText('Slack OAuth')
  await expect(selectedName()).toHaveText('Slack OAuth')
  await search().fill('')
  await expect(page.getByTestId('result-count')).toHaveText('8 connections')
  await expect(selectedName()).toHaveText('Slack OAuth')
})

test('a revealed secret goes when the filter hides its connection', async () => {
  await openConnection('Stripe live')
  await details().getByRole('button', { name: 'Reveal' }).click()
  await expect(details().getByLabel('Revealed value')).toContainText('sk_live_words_secret')
  await search().fill('Slack')
  await expect(row('Stripe live')).toHaveCount(0)
  await expect(details()).toHaveCount(0)
  await expect(page.getByText('sk_live_words_secret')).toHaveCount(0)
  await page.screenshot({ path: `${SHOTS}/layout-reveal-filtered-out.png` })
  // A filter that keeps the shown connection keeps the panel.
  await openConnection('Slack OAuth')
  await search().fill('Sla')
  await page.waitForTimeout(600)
  await expect(details().getByRole('heading', { name: 'Slack OAuth' })).toBeVisible()
  await search().fill('')
  await expect(page.getByTestId('result-count')).toHaveText('8 connections')
})

test('a long name is cut with an ellipsis in a dialog title and kept whole in its tooltip', async () => {
  await row('Quarterly revenue').click()
  await details().getByRole('button', { name: 'Delete', exact: true }).click()
  const dialog = page.getByRole('alertdialog', { name: /^Delete “Quarterly revenue/ })
  const title = dialog.locator('.modal-title')
  await expect(title).toHaveAttribute('title', `Delete “${LONG_NAME}”?`)
  const box = await title.evaluate((el) => ({
    cut: el.scrollWidth > el.clientWidth,
    overflow: (
      globalThis as unknown as { getComputedStyle(e: unknown): { textOverflow: string } }
    ).getComputedStyle(el).textOverflow,
    dialogWidth: el.parentElement!.getBoundingClientRect().width,
  }))
  expect(box).toEqual({ cut: true, overflow: 'ellipsis', dialogWidth: 480 })
  await page.screenshot({ path: `${SHOTS}/layout-long-title.png` })
  await dialog.getByRole('button', { name: 'Cancel' }).click()
})

test('toasts collapse to three, newest first, keep clear of the panel, and are gone on lock', async () => {
  for (const name of ['Temp 1', 'Temp 2', 'Temp 3', 'Temp 4']) {
    // The toast comes before the list has dropped the deleted row; a click aimed at the next row
    // while the rows below move up lands on the one after it. Wait for the row to go, and delete
    // only once the panel shows the connection meant.
    await openConnection(name)
    await details().getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click()
    await expect(toasts().first()).toContainText(`Deleted “${name}”.`)
    await expect(row(name)).toHaveCount(0)
  }
  await expect(toasts()).toHaveCount(3)
  await expect(toasts().nth(0)).toContainText('Deleted “Temp 4”.')
  await expect(toasts().nth(2)).toContainText('Deleted “Temp 2”.')
  await expect(page.getByText('+1 more')).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/toasts-collapsed.png` })

  // With the panel open they stand beside it, never over it.
  await openConnection('Slack OAuth')
  const panel = await details().boundingBox()
  const stack = await page.getByRole('region', { name: 'Notifications' }).boundingBox()
  expect(stack!.x + stack!.width).toBeLessThanOrEqual(panel!.x)

  // The same news twice is one toast, counted.
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    await page.getByRole('form', { name: 'Settings' }).getByRole('button', { name: 'Save settings' }).click()
  }
  await expect(toasts().filter({ hasText: 'Settings saved.' })).toHaveCount(1)
  await expect(toasts().filter({ hasText: 'Settings saved.' })).toContainText('×2')
  await page.screenshot({ path: `${SHOTS}/toasts-beside-panel.png` })

  await page.getByRole('button', { name: 'Lock' }).click()
  await expect(page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Notifications' })).toHaveCount(0)
  await expect(page.getByText(/Deleted “Temp|Settings saved/)).toHaveCount(0)
  await page.screenshot({ path: `${SHOTS}/toasts-gone-on-lock.png` })
  await page.getByLabel('Master password', { exact: true }).fill(E2E_PASSWORD)
  await page.getByRole('button', { name: 'Unlock', exact: true }).click()
  await expect(page.getByTestId('result-count')).toHaveText('4 connections')
  await expect(toasts()).toHaveCount(0)
})

test('browser mode without its token says to open the link printed in the terminal', async ({ browser }) => {
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const bare = await fresh.newPage()
  await bare.goto(`${app.origin}/`)
  await expect(bare.getByRole('heading', { name: 'Open Latchkey from its link' })).toBeVisible()
  await expect(bare.getByRole('main')).toContainText('Open the link Latchkey printed in the terminal')
  await expect(bare.getByRole('main')).toContainText(`Latchkey running at ${app.origin}/#token=…`)
  await expect(bare.getByRole('main')).toContainText('new each time browser mode starts')
  await expect(bare.getByRole('alert')).toHaveCount(0)
  await bare.screenshot({ path: `${SHOTS}/no-token.png` })

  // A link from an earlier start carries a token this run refuses: the same help, saying why.
  const stale = await fresh.newPage()
  await stale.goto(`${app.origin}/#token=${'A'.repeat(43)}`)
  await expect(stale.getByRole('heading', { name: 'Open Latchkey from its link' })).toBeVisible()
  await expect(stale.getByRole('main')).toContainText('belongs to an earlier start of Latchkey')
  await stale.screenshot({ path: `${SHOTS}/no-token-stale.png` })
  await fresh.close()
})
