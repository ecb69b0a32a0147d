import { expect, test } from '@playwright/test'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'

let app: BrowserModeProcess

test.beforeAll(async () => {
  app = await startBrowserMode()
})

test.afterAll(async () => {
  await app.stop()
})

test('browser mode prints exactly one line: the URL with a session token', async () => {
  expect(app.stdoutLines).toHaveLength(1)
  expect(app.stdoutLines[0]).toMatch(
    /^Latchkey running at http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/,
  )
})

test('the renderer shows app info fetched through the web bridge', async ({ page }) => {
  await page.goto(app.url)
  const info = page.getByTestId('app-info')
  await expect(info).toHaveText(/Latchkey \d+\.\d+\.\d+ · Browser mode/)
  // The token leaves the address bar once the bridge has taken it.
  expect(new URL(page.url()).hash).toBe('')
  await page.screenshot({ path: 'test-results/screens/foundation-app-info.png', fullPage: true })
})

test('the page is served with a strict Content-Security-Policy', async ({ request }) => {
  const response = await request.get(`${app.origin}/`)
  expect(response.status()).toBe(200)
  expect(response.headers()['content-security-policy']).toContain("script-src 'self'")
  expect(response.headers()['content-security-policy']).not.toContain('unsafe-eval')
})
