import { expect, test, type Page } from '@playwright/test'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import {
  INSTALL_HINT,
  missingSecretServiceTools,
  startPrivateSecretService,
  type PrivateSecretService,
} from '../support/secret-service'

// Browser mode's keeper is the OS keyring (Secret Service on Linux), reached through the session
// bus the server process inherits: these tests choose that bus by setting this process's variable
// before starting the server.
test.describe.configure({ mode: 'serial' })

const PASSWORD = 'correct horse battery staple'
const SHOTS = 'test-results/screens'

let app: BrowserModeProcess | undefined
let service: PrivateSecretService | undefined
const previousBus = process.env.DBUS_SESSION_BUS_ADDRESS

test.afterEach(async ({ page }) => {
  // The page's event stream would hold the server open while it shuts down.
  await page.close()
  await app?.stop()
  await service?.stop()
  app = undefined
  service = undefined
  if (previousBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS
  else process.env.DBUS_SESSION_BUS_ADDRESS = previousBus
})

const keychainNote = (page: Page) => page.getByRole('note', { name: 'Keychain unlock' })

async function createVault(page: Page, options: { keychain: boolean }) {
  await page.getByLabel('Master password', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD)
  if (options.keychain)
    await page.getByRole('checkbox', { name: 'Also unlock with the system keychain' }).check()
  await page.getByRole('button', { name: 'Create vault' }).click()
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible()
}

// Settings live in the Account view; the header's Settings button leads there.
async function switchKeychainInSettings(page: Page, enabled: boolean) {
  await page.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByRole('form', { name: 'Settings' })
  const box = settings.getByRole('checkbox', { name: 'Also unlock with the system keychain' })
  await expect(box).toBeChecked({ checked: !enabled })
  await box.setChecked(enabled)
  await settings.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Settings saved.')
  await expect(box).toBeChecked({ checked: enabled })
}

test('without a session bus, the create screen says why keychain unlock is unavailable', async ({ page }) => {
  delete process.env.DBUS_SESSION_BUS_ADDRESS
  app = await startBrowserMode()
  await page.goto(app.url)
  await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible()
  await expect(keychainNote(page)).toHaveText(
    'Keychain unlock is unavailable. No desktop session bus (D-Bus) is running, so there is no Secret Service to keep the key. Start Latchkey from a desktop session.',
  )
  await expect(page.getByRole('checkbox', { name: /system keychain/ })).toHaveCount(0)
  await page.screenshot({ path: `${SHOTS}/keychain-unavailable-create.png` })
  await createVault(page, { keychain: false })
})

test('with a real Secret Service: create with the keychain, unlock from it, switch it off and on in settings, and when it goes the screen says why', async ({
  page,
}) => {
  const missing = missingSecretServiceTools()
  if (missing.length > 0 && process.env.CI)
    throw new Error(
      `CI must run the keychain tests, but ${missing.join(' and ')} not found. Install them with: ${INSTALL_HINT}`,
    )
  test.skip(missing.length > 0, `Needs a real Secret Service: ${INSTALL_HINT}`)

  service = await startPrivateSecretService()
  app = await startBrowserMode()
  await page.goto(app.url)
  await expect(keychainNote(page)).toHaveCount(0)
  await createVault(page, { keychain: true })

  await page.getByRole('button', { name: 'Lock', exact: true }).click()
  await page.getByRole('button', { name: 'Unlock with system keychain' }).click()
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible()

  // Turned off in settings, the keychain no longer unlocks; turned on again, it does.
  await switchKeychainInSettings(page, false)
  await page.getByRole('button', { name: 'Lock', exact: true }).click()
  await expect(page.getByLabel('Master password', { exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Unlock with system keychain' })).toHaveCount(0)
  await page.getByLabel('Master password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Unlock', exact: true }).click()
  await switchKeychainInSettings(page, true)
  await page.getByRole('button', { name: 'Lock', exact: true }).click()
  await page.getByRole('button', { name: 'Unlock with system keychain' }).click()
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible()

  await page.getByRole('button', { name: 'Lock', exact: true }).click()
  await service.stopKeyring()
  await page.getByRole('button', { name: 'Unlock with system keychain' }).click()
  await expect(page.getByRole('alert')).toHaveText(
    'The system keychain refused the request (read). Use your master password.',
  )
  await expect(keychainNote(page)).toHaveText(
    'Keychain unlock is unavailable. No Secret Service is running, or its keyring is locked. Install gnome-keyring (or turn on KeePassXC’s Secret Service) and unlock it. Unlock with your master password.',
  )
  await expect(page.getByRole('button', { name: 'Unlock with system keychain' })).toHaveCount(0)
  await expect(page.getByLabel('Master password', { exact: true })).not.toHaveAttribute(
    'aria-invalid',
    'true',
  )
  await page.screenshot({ path: `${SHOTS}/keychain-unavailable-unlock.png` })

  await page.getByLabel('Master password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Unlock', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible()
})
