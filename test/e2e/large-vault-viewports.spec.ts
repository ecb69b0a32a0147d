import { expect, test, type Page } from '@playwright/test'
import { rmSync } from 'node:fs'
import type { AppConnection } from '../../src/shared/contract'
import { seedLargeVault } from '../support/large-vault'
import { SEED_PASSWORD } from '../support/seed-core'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'

// End on 100k rows at window sizes where the views sit in a strip above the list, so the list is
// shorter than large-vault.spec's 1400 × 900: at 1400 × 900 with the strip, the last rows once
// stayed "Loading…" after End. The cause was not the height but a burst of connections.changed
// events (the refresher working through the vault's expired tokens, on a loaded machine): each one
// dropped the pages in flight, so none ever landed while the burst lasted. Here main is made to
// announce changes back to back (another client renaming the newest connection, which stays first)
// while the list goes to its end and its middle. Each size starts from the top.
test.describe.configure({ mode: 'serial' })
test.setTimeout(300_000)

const SHOTS = 'test-results/screens'
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1399, height: 900 },
  { width: 1280, height: 560 },
  { width: 1400, height: 900 },
]
let app: BrowserModeProcess
let page: Page
let dataDir: string
let total: number
let expected: Map<number, AppConnection>

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000)
  ;({ dataDir, total, expected } = await seedLargeVault('e2e-100k-viewports', (total) => [
    0,
    Math.floor(total / 2),
    total - 3,
    total - 2,
    total - 1,
  ]))
  app = await startBrowserMode({ dataDir })
  page = await (await browser.newContext({ viewport: VIEWPORTS[0]! })).newPage()
  await page.goto(app.url)
  await page.getByLabel('Master password', { exact: true }).fill(SEED_PASSWORD)
  await page.getByRole('button', { name: 'Unlock', exact: true }).click()
  await expect(page.getByTestId('result-count')).toHaveText(`${total.toLocaleString()} connections`)
})

test.afterAll(async () => {
  await page?.context().close()
  await app?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

/** Renames the newest connection over HTTP, as another client would, until stopped: one change event each. */
function startChangeBurst(): { stop(): Promise<number> } {
  let running = true
  let changes = 0
  const newest = expected.get(0)!
  const loop = async () => {
    while (running) {
      const response = await fetch(`${app.origin}/api/rpc/connections.update`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${app.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: newest.id, displayName: `${newest.displayName} ${changes % 2}` }),
      })
      expect(response.status).toBe(200)
      changes += 1
    }
  }
  // Four writers, so a change is always on its way while pages are asked for.
  const writers = [loop(), loop(), loop(), loop()]
  return {
    async stop() {
      running = false
      await Promise.all(writers)
      return changes
    },
  }
}

const grid = () => page.getByRole('grid', { name: 'Connections' })
const rowAt = (index: number) => grid().locator(`[role="row"][aria-rowindex="${index + 2}"]`)

for (const viewport of VIEWPORTS) {
  test(`End at ${viewport.width} × ${viewport.height} shows the last rows, not placeholders`, async () => {
    await page.setViewportSize(viewport)
    await grid().focus()
    await page.keyboard.press('Home')
    await expect(rowAt(0)).toHaveAttribute('data-id', expected.get(0)!.id)
    const listHeight = await page.getByTestId('grid-scroller').evaluate((element) => element.clientHeight)
    test.info().annotations.push({ type: 'list height', description: `${listHeight} px` })

    const burst = startChangeBurst()
    try {
      await page.keyboard.press('End')
      for (const index of [total - 3, total - 2, total - 1]) {
        await expect(rowAt(index)).toContainText(expected.get(index)!.displayName)
      }
      await expect(rowAt(total - 1)).toHaveAttribute('aria-selected', 'true')
      await expect(grid().locator('.grid-body [role="row"]', { hasText: 'Loading…' })).toHaveCount(0)
      await page.screenshot({ path: `${SHOTS}/large-vault-end-${viewport.width}x${viewport.height}.png` })

      // And back through the middle by the scroll bar, as a person dragging it would.
      const middle = Math.floor(total / 2)
      await page
        .getByTestId('grid-scroller')
        .evaluate((element, top) => element.scrollTo({ top }), middle * 36)
      await expect(rowAt(middle)).toContainText(expected.get(middle)!.displayName)
    } finally {
      const changes = await burst.stop()
      test.info().annotations.push({ type: 'changes announced meanwhile', description: String(changes) })
      // Main did announce changes while the list moved (they make each page's answer older).
      expect(changes).toBeGreaterThan(2)
    }
  })
}
