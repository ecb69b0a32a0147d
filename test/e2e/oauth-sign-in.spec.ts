import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import { createVaultThroughUi } from '../support/e2e-vault'
import {
  NATIVE_CLIENT_ID,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../support/oidc-provider'

// "Sign in with the provider" from the UI's button, in Chromium, against a real OpenID provider
// (panva's oidc-provider) running in this test process on 127.0.0.1. Browser mode runs as a child
// process; its page opens the provider in a new tab, where the test signs in as a person would, and
// the tab's redirect reaches browser mode's loopback listener. The steps share one vault and page.
test.describe.configure({ mode: 'serial' })

const SHOTS = 'test-results/screens'
const PIECE = '@activepieces/piece-example'
/** Browser mode's loopback redirect (the provider is on 127.0.0.1 too, but never on /callback). */
const LOOPBACK_CALLBACK = /^http:\/\/127\.0\.0\.1:\d+\/callback\?/

let server: AuthorizationServer
let app: BrowserModeProcess
let context: BrowserContext
let page: Page

test.beforeAll(async ({ browser }) => {
  server = await startAuthorizationServer()
  app = await startBrowserMode()
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin })
  page = await context.newPage()
  await createVaultThroughUi(page, app.url)
})

test.afterAll(async () => {
  await context?.close()
  await app?.stop()
  await server?.close()
})

const newDialog = () => page.getByRole('dialog', { name: 'New connection' })
const details = () => page.getByRole('complementary', { name: 'Connection details' })
const tokenHealth = () => details().getByRole('region', { name: 'Token health' })
const signInStatus = () => newDialog().getByRole('status')
const healthRow = (label: string) =>
  tokenHealth()
    .locator('.kv')
    .filter({ has: page.getByText(label, { exact: true }) })

/** Fills the new-connection form for an OAuth2 sign-in with the test provider, found by its issuer. */
async function fillSignIn(name: string) {
  // Each sign-in starts signed out at the provider, so it shows its login and consent pages again.
  await context.clearCookies({ name: /^_(session|interaction)/ })
  await page.getByRole('button', { name: 'New connection' }).click()
  const dialog = newDialog()
  await dialog.getByLabel('Name', { exact: true }).fill(name)
  await dialog.getByLabel('Piece name').fill(PIECE)
  await dialog.getByLabel('Type').selectOption({ label: 'OAuth2' })
  await expect(dialog.getByRole('radio', { name: 'Sign in with the provider' })).toBeChecked()
  await dialog.getByRole('radio', { name: 'Custom / OIDC issuer' }).check()
  await dialog.getByLabel('Issuer URL').fill(server.issuer)
  await dialog.getByLabel('Client id').fill(NATIVE_CLIENT_ID)
  await dialog.getByLabel('Scopes').fill('openid api')
}

/** Clicks the button and answers the tab the page opened, once it shows the provider. */
async function signInOpensTab(): Promise<Page> {
  const opened = context.waitForEvent('page')
  await newDialog().getByRole('button', { name: 'Sign in with the provider' }).click()
  const tab = await opened
  await tab.waitForURL((url) => url.origin === server.issuer)
  return tab
}

/** oidc-provider's development login and consent pages, filled and submitted as a person would. */
async function loginAndConsent(tab: Page) {
  await tab.getByPlaceholder('Enter any login').fill('person@example.com')
  await tab.getByPlaceholder('and password').fill('any password')
  await tab.getByRole('button', { name: 'Sign-in' }).click()
  await tab.getByRole('button', { name: 'Continue' }).click()
}

test('signs in through the provider in a new tab and lands on the new connection', async () => {
  await fillSignIn('Example via sign-in')
  await page.screenshot({ path: `${SHOTS}/oauth-provider-picker.png`, fullPage: true })
  const tab = await signInOpensTab()

  await expect(signInStatus()).toHaveText(/Waiting for you to sign in/)
  await expect(newDialog().getByText(/Times out in \d:\d\d/)).toBeVisible()
  const shownUrl = await newDialog().getByLabel('Sign-in address').inputValue()
  expect(new URL(shownUrl).origin).toBe(server.issuer)
  expect(new URL(shownUrl).searchParams.get('code_challenge_method')).toBe('S256')
  await newDialog().getByRole('button', { name: 'Copy address' }).click()
  const clipboard = await page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  )
  expect(clipboard).toBe(shownUrl)
  await page.screenshot({ path: `${SHOTS}/oauth-waiting.png`, fullPage: true })

  await loginAndConsent(tab)
  await expect(tab.getByRole('heading', { name: 'Signed in' })).toBeVisible()
  await expect(tab.getByText('You can close this tab and return to Latchkey.')).toBeVisible()
  await tab.close()

  await expect(newDialog()).toBeHidden()
  await expect(details().getByRole('heading', { name: 'Example via sign-in' })).toBeVisible()
  await expect(tokenHealth().locator('[data-health]')).toHaveText('Expiring')
  await expect(healthRow('Expires')).toContainText(/in (60 min|1 h)/)
  await expect(healthRow('Last refresh')).toContainText('Not refreshed yet')
  await expect(healthRow('Refresh attempts')).toContainText('0')
  await page.screenshot({ path: `${SHOTS}/oauth-connected.png`, fullPage: true })
})

test('“Refresh now” refreshes the token at the provider and shows the last refresh', async () => {
  const before = server.tokenRequests()
  await tokenHealth().getByRole('button', { name: 'Refresh now' }).click()
  await expect(healthRow('Last refresh')).toContainText('Succeeded')
  expect(server.tokenRequests()).toBe(before + 1)
  await expect(tokenHealth().locator('[data-health]')).toHaveText('Expiring')
  await page.screenshot({ path: `${SHOTS}/oauth-detail-health.png`, fullPage: true })
})

test('“Reconnect” signs the same connection in again through the same waiting state', async () => {
  const id = await details().locator('.kv').filter({ hasText: /^Id/ }).locator('dd').textContent()
  await context.clearCookies({ name: /^_(session|interaction)/ })
  const opened = context.waitForEvent('page')
  await tokenHealth().getByRole('button', { name: 'Reconnect' }).click()
  const tab = await opened
  await tab.waitForURL((url) => url.origin === server.issuer)
  await expect(tokenHealth().getByRole('status')).toHaveText(/Waiting for you to sign in/)
  await expect(tokenHealth().getByRole('button', { name: 'Cancel sign-in' })).toBeVisible()

  await loginAndConsent(tab)
  await expect(tab.getByRole('heading', { name: 'Signed in' })).toBeVisible()
  await tab.close()
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(
    'Signed in to “Example via sign-in” again.',
  )
  await expect(tokenHealth().getByRole('button', { name: 'Reconnect' })).toBeVisible()
  await expect(details().locator('.kv').filter({ hasText: /^Id/ }).locator('dd')).toHaveText(id!)
  // Signed in again in place: still the one connection, not a second.
  await expect(page.getByText('1 connection', { exact: true })).toBeVisible()
})

test('cancel from the waiting state ends the sign-in and frees its port', async () => {
  await fillSignIn('Example cancelled')
  const tab = await signInOpensTab()
  await expect(signInStatus()).toHaveText(/Waiting for you to sign in/)
  const shownUrl = await newDialog().getByLabel('Sign-in address').inputValue()
  const redirectUri = new URL(shownUrl).searchParams.get('redirect_uri')!
  await newDialog().getByRole('button', { name: 'Cancel sign-in' }).click()
  await expect(signInStatus()).toHaveText('Sign-in cancelled.')
  await expect(newDialog().getByRole('button', { name: 'Try again' })).toBeVisible()
  await expect(newDialog().getByLabel('Sign-in address')).toBeHidden()
  // Nothing listens for the provider's redirect any more.
  await expect(fetch(redirectUri, { signal: AbortSignal.timeout(5000) })).rejects.toThrow()
  await tab.close()

  await page.keyboard.press('Escape')
  await expect(newDialog()).toBeHidden()
  await expect(page.getByRole('grid', { name: 'Connections' })).not.toContainText('Example cancelled')
})

test('the paste fallback finishes a sign-in whose redirect never reached the loopback', async () => {
  // The browser "on another machine": the provider's redirect to the loopback goes nowhere. A
  // redirect is not routed a second time, but a navigation is: the consent's answer (303 to
  // /auth/:uid, then 303 to the loopback) is followed here with the context's own cookies, and the
  // tab gets a page that navigates to the loopback address, which then fails like an unreachable host.
  // The tab's address bar holds the redirected address, which the person copies.
  let redirected: string | null = null
  const consent = (url: URL) => url.origin === server.issuer && /^\/interaction\/[\w-]+$/.test(url.pathname)
  await context.route(consent, async (route) => {
    if (!route.request().postData()?.includes('prompt=consent')) return route.fallback()
    let response = await context.request.fetch(route.request(), { maxRedirects: 0 })
    let location = new URL(response.headers()['location'] ?? '', server.issuer).href
    while (!LOOPBACK_CALLBACK.test(location) && response.status() >= 300 && response.status() < 400) {
      response = await context.request.get(location, { maxRedirects: 0 })
      location = new URL(response.headers()['location'] ?? '', location).href
    }
    return route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: `<!doctype html><script>location.replace(${JSON.stringify(location)})</script>`,
    })
  })
  await context.route(LOOPBACK_CALLBACK, async (route) => {
    redirected = route.request().url()
    await route.fulfill({
      status: 502,
      contentType: 'text/plain; charset=utf-8',
      body: 'This site can’t be reached',
    })
  })
  try {
    await fillSignIn('Example pasted')
    const tab = await signInOpensTab()
    await loginAndConsent(tab)
    await expect(tab.getByText('This site can’t be reached')).toBeVisible()
    expect(redirected).not.toBeNull()
    expect(tab.url()).toBe(redirected)
    await expect(signInStatus()).toHaveText(/Waiting for you to sign in/)
    await newDialog().getByLabel('Redirected address or code').fill(tab.url())
    await tab.close()
    await newDialog().getByRole('button', { name: 'Finish sign-in' }).click()
  } finally {
    await context.unroute(LOOPBACK_CALLBACK)
    await context.unroute(consent)
  }
  await expect(newDialog()).toBeHidden()
  await expect(details().getByRole('heading', { name: 'Example pasted' })).toBeVisible()
  await expect(tokenHealth().locator('[data-health]')).toHaveText('Expiring')
  await expect(healthRow('Expires')).toContainText(/in (60 min|1 h)/)
})
