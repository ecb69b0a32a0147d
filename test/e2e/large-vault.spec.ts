import { expect, test, type Page } from '@playwright/test'
import { rmSync } from 'node:fs'
import type { AppConnection } from '../../src/shared/contract'
import { DEFAULT_DATASET } from '../support/dataset'
import { seedLargeVault } from '../support/large-vault'
import { SEED_PASSWORD } from '../support/seed-core'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'

// A real vault of 100k connections, seeded through the product's own write path, then opened the
// way a user opens it. The expected rows come from the core itself, before browser mode owns the file.
test.describe.configure({ mode: 'serial' })
test.setTimeout(300_000)

const SHOTS = 'test-results/screens'
let app: BrowserModeProcess
let page: Page
let dataDir: string
let total: number
let expected: Map<number, AppConnection>

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000)
  ;({ dataDir, total, expected } = await seedLargeVault('e2e-100k', (total) => [
    0,
    1,
    Math.floor(total / 2),
    total - 2,
    total - 1,
  ]))
  app = await startBrowserMode({ dataDir })
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
})

test.afterAll(async () => {
  await page?.context().close()
  await app?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

const grid = () => page.getByRole('grid', { name: 'Connections' })
const rowAt = (index: number) => grid().locator(`[role="row"][aria-rowindex="${index + 2}"]`)

test('unlocks a vault of 100k connections and paints its first rows', async () => {
  await page.goto(app.url)
  await page.getByLabel('Master password', { exact: true }).fill(SEED_PASSWORD)
  await page.getByRole('button', { name: 'Unlock', exact: true }).click()
  await expect(page.getByTestId('result-count')).toHaveText(`${total.toLocaleString()} connections`)
  expect(total).toBe(DEFAULT_DATASET.connections)
  await expect(rowAt(0)).toContainText(expected.get(0)!.displayName)
  await expect(rowAt(1)).toContainText(expected.get(1)!.displayName)
  // Virtualized: only the rows in view (plus overscan) exist in the DOM.
  expect(await grid().locator('.grid-body [role="row"]').count()).toBeLessThan(80)
  await page.screenshot({ path: `${SHOTS}/large-vault-top.png` })
})

test('scrolls to the end and shows the last rows, fetched for that window only', async () => {
  await grid().focus()
  await page.keyboard.press('End')
  await expect(rowAt(total - 1)).toContainText(expected.get(total - 1)!.displayName)
  await expect(rowAt(total - 2)).toContainText(expected.get(total - 2)!.displayName)
  await expect(rowAt(total - 1)).toHaveAttribute('aria-selected', 'true')
  await page.screenshot({ path: `${SHOTS}/large-vault-end.png` })

  // And through the middle with the scroll bar's position, as a person dragging it would.
  const middle = Math.floor(total / 2)
  await page.getByTestId('grid-scroller').evaluate((element, top) => element.scrollTo({ top }), middle * 36)
  await expect(rowAt(middle)).toContainText(expected.get(middle)!.displayName)
})
