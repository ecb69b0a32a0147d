import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import type { LatchkeyApi } from '../../src/shared/client'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import { createVaultThroughUi, type LatchkeyPage } from '../support/e2e-vault'
import { startSyncServer, type SyncServer } from '../support/sync-server'

// Sync from the person's side: a remote added and tested in the Sync view (a wrong key refused in
// words), the team's connections pulled into the list, a connection bound to the remote from the
// create dialog, two vaults producing a conflict settled from the UI, a sync cancelled mid-way,
// and a remote removed while changes wait. One real sync server (both dialects) and two real
// browser-mode processes with their own vaults.
test.describe.configure({ mode: 'serial' })

const SHOTS = 'test-results/screens'
const SLACK = '@activepieces/piece-slack'

let server: SyncServer
let appA: BrowserModeProcess
let appB: BrowserModeProcess
let contextA: BrowserContext
let contextB: BrowserContext
let pageA: Page
let pageB: Page

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Views' })
const goTo = (page: Page, view: 'Sync' | 'Connections') =>
  sidebar(page)
    .getByRole('button', { name: new RegExp(`^${view}`) })
    .click()
const indicator = (page: Page) => page.getByRole('group', { name: 'Sync' })
const grid = (page: Page) => page.getByRole('grid', { name: 'Connections' })
const row = (page: Page, name: string) => grid(page).getByRole('row', { name: new RegExp(name) })
const details = (page: Page) => page.getByRole('complementary', { name: 'Connection details' })
const toasts = (page: Page) => page.getByRole('region', { name: 'Notifications' })
const remoteCard = (page: Page, name: string) => page.getByRole('region', { name })

/** Runs a sync from the page's own API and waits for it: arranging, not what is under test. */
async function syncThroughApi(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await (globalThis as unknown as LatchkeyPage).latchkey.sync.run({})
  })
}

async function idOf(page: Page, displayName: string): Promise<string> {
  return page.evaluate(async (name) => {
    const { latchkey } = globalThis as unknown as LatchkeyPage
    const { data } = await latchkey.connections.list({ displayName: name, limit: 10 })
    const found = data.find((connection) => connection.displayName === name)
    if (!found) throw new Error(`no connection named ${name}`)
    return found.id
  }, displayName)
}

test.beforeAll(async ({ browser }) => {
  server = await startSyncServer({ dialect: 'activepieces' })
  server.seed('activepieces', [
    { externalId: 'team-slack', displayName: 'Team Slack', pieceName: SLACK },
    { externalId: 'team-jira', displayName: 'Team Jira', pieceName: '@activepieces/piece-jira' },
  ])
  appA = await startBrowserMode()
  contextA = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  pageA = await contextA.newPage()
  await createVaultThroughUi(pageA, appA.url)
})

test.afterAll(async () => {
  await contextA?.close()
  await contextB?.close()
  await appA?.stop()
  await appB?.stop()
  await server?.close()
})

test('adding a remote: a wrong key is refused in words, the right one connects, and the remote is listed', async () => {
  // No remote yet: the header has no sync line, and the Sync view says what a remote is for.
  await expect(indicator(pageA)).toHaveCount(0)
  await goTo(pageA, 'Sync')
  await expect(pageA.getByText('No remote yet.')).toBeVisible()
  await pageA.getByRole('button', { name: 'Add remote' }).click()
  const dialog = pageA.getByRole('dialog', { name: 'Add a remote' })
  await dialog.getByLabel('Name').fill('Team AP')
  await dialog.getByLabel('Base URL').fill(server.url)
  await dialog.getByLabel('Project id').fill(server.projectId)
  await dialog.getByLabel('API key').fill('sk-not-the-right-key')
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  const refusal = dialog.getByRole('alert').filter({ hasText: 'HTTP 401' })
  await expect(refusal).toBeVisible()
  await expect(refusal).toHaveAttribute('data-failure', 'unauthorized')
  await expect(refusal).toContainText('paste it again')
  // The refusal never quotes the key it refused.
  await expect(refusal).not.toContainText('sk-not-the-right-key')
  await pageA.screenshot({ path: `${SHOTS}/sync-remote-wrong-key.png` })

  // A base URL with a path the server does not have is a different cause, with its own advice.
  await dialog.getByLabel('Base URL').fill(`${server.url}/not-here`)
  await dialog.getByLabel('API key').fill(server.apiKey)
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await expect(dialog.getByRole('alert').filter({ hasText: 'HTTP 404' })).toHaveAttribute(
    'data-failure',
    'wrong-path',
  )

  await dialog.getByLabel('Base URL').fill(server.url)
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await expect(dialog.getByRole('status')).toContainText('It works. Activepieces answered')
  await dialog.getByRole('button', { name: 'Add remote' }).click()
  await expect(dialog).toBeHidden()
  await expect(toasts(pageA)).toContainText('Added “Team AP”.')
  await expect(remoteCard(pageA, 'Team AP')).toContainText('Activepieces')
  await expect(remoteCard(pageA, 'Team AP')).toContainText(server.url)
  // The new remote syncs by itself; the header comes back to "Sync now" when that run ends (a status
  // answer that overtook the run's "finished" event once kept it at "Syncing…").
  await expect(indicator(pageA).getByRole('button', { name: 'Sync now' })).toBeVisible()
})

test('a sync pulls the team’s connections; their secrets are shown as held remotely', async () => {
  await indicator(pageA).getByRole('button', { name: 'Sync now' }).click()
  await expect(indicator(pageA).getByRole('status')).toContainText(/synced just now/i)
  await expect(remoteCard(pageA, 'Team AP')).toContainText('2 connections')
  await pageA.screenshot({ path: `${SHOTS}/sync-view.png` })

  await goTo(pageA, 'Connections')
  await expect(row(pageA, 'Team Slack')).toBeVisible()
  await expect(row(pageA, 'Team Slack').locator('[data-sync="held"]')).toHaveText('Held remotely')
  await row(pageA, 'Team Slack').click()
  await expect(details(pageA).getByRole('heading', { name: 'Team Slack' })).toBeVisible()
  await expect(details(pageA)).toContainText('In sync with Team AP')
  await expect(details(pageA)).toContainText('The remote keeps its secret and never returns it')
  await pageA.screenshot({ path: `${SHOTS}/sync-held-remotely.png` })
})

test('a connection created with "Sync with" goes to the remote once, and shows as in sync', async () => {
  await pageA.getByRole('button', { name: 'New connection' }).click()
  const dialog = pageA.getByRole('dialog', { name: 'New connection' })
  await dialog.getByLabel('Name', { exact: true }).fill('Made here')
  await dialog.getByLabel('Piece name').fill(SLACK)
  await dialog.getByLabel('Sync with').selectOption({ label: 'Team AP (Activepieces)' })
  await dialog.getByLabel('Secret text').fill('xoxb-made-here')
  await dialog.getByRole('button', { name: 'Create connection' }).click()
  await expect(dialog).toBeHidden()
  await indicator(pageA).getByRole('button', { name: 'Sync now' }).click()
  await expect(details(pageA)).toContainText('In sync with Team AP')
  const made = server.rows('activepieces').filter((item) => item.displayName === 'Made here')
  expect(made).toHaveLength(1)
  await expect(row(pageA, 'Made here').locator('[data-sync]')).toHaveCount(0)
})

test('two vaults change the same connection: the conflict shows both versions and the choice made in the UI wins', async ({
  browser,
}) => {
  appB = await startBrowserMode()
  contextB = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  pageB = await contextB.newPage()
  await createVaultThroughUi(pageB, appB.url)
  await pageB.evaluate(
    async (remote) => {
      await (globalThis as unknown as LatchkeyPage).latchkey.remotes.add(
        remote as Parameters<LatchkeyApi['remotes']['add']>[0],
      )
    },
    {
      name: 'Team AP',
      dialect: 'activepieces',
      baseUrl: server.url,
      projectId: server.projectId,
      apiKey: server.apiKey,
    },
  )
  await syncThroughApi(pageB)
  await expect(row(pageB, 'Team Slack')).toBeVisible()

  // The remote's clock moves on, so its change is later than anything B has seen.
  server.setNow(() => Date.now() + 60_000)
  const slackOnA = await idOf(pageA, 'Team Slack')
  await pageA.evaluate(async (id) => {
    await (globalThis as unknown as LatchkeyPage).latchkey.connections.update({
      id,
      displayName: 'Slack, renamed on A',
    })
  }, slackOnA)
  await syncThroughApi(pageA)
  expect(server.rows('activepieces').map((item) => item.displayName)).toContain('Slack, renamed on A')

  // B renames the same connection before it has seen A's change, then syncs.
  const slackOnB = await idOf(pageB, 'Team Slack')
  await pageB.evaluate(async (id) => {
    await (globalThis as unknown as LatchkeyPage).latchkey.connections.update({
      id,
      displayName: 'Slack, renamed on B',
    })
  }, slackOnB)
  await indicator(pageB).getByRole('button', { name: 'Sync now' }).click()
  await expect(indicator(pageB)).toContainText('1 conflict')
  await expect(row(pageB, 'Slack, renamed on B').locator('[data-sync="conflict"]')).toContainText('Conflict')
  await expect(sidebar(pageB).getByRole('button', { name: /^Sync/ })).toContainText('1')

  await goTo(pageB, 'Sync')
  const conflict = pageB.getByRole('region', { name: 'Conflict: Slack, renamed on B' })
  const nameRow = conflict.getByRole('row', { name: /Name/ })
  await expect(nameRow.getByRole('cell').nth(0)).toHaveText('Slack, renamed on B')
  await expect(nameRow.getByRole('cell').nth(1)).toHaveText('Slack, renamed on A')
  await expect(nameRow).toContainText('(differs)')
  // Secrets stay hidden; the remote never sends one.
  await expect(conflict).toContainText('Never returned by the server.')
  await pageB.screenshot({ path: `${SHOTS}/sync-conflict.png` })

  await conflict.getByRole('button', { name: "Keep this device's version" }).click()
  await expect(toasts(pageB)).toContainText("Kept this device's “Slack, renamed on B”")
  await expect(conflict).toBeHidden()
  await expect(pageB.getByText('No conflicts.')).toBeVisible()
  await indicator(pageB).getByRole('button', { name: 'Sync now' }).click()
  await expect(indicator(pageB)).not.toContainText('conflict')
  await expect(indicator(pageB).getByRole('status')).toContainText(/synced just now/i)
  const slackRows = server.rows('activepieces').filter((item) => item.externalId === 'team-slack')
  expect(slackRows.map((item) => item.displayName)).toEqual(['Slack, renamed on B'])

  await goTo(pageB, 'Connections')
  await expect(row(pageB, 'Slack, renamed on B').locator('[data-sync="conflict"]')).toHaveCount(0)
  await pageB.screenshot({ path: `${SHOTS}/sync-conflict-resolved.png` })
})

test('editing a remote never shows its key; an untouched key is kept and still works', async () => {
  await goTo(pageB, 'Sync')
  await remoteCard(pageB, 'Team AP').getByRole('button', { name: 'Edit' }).click()
  const dialog = pageB.getByRole('dialog', { name: 'Edit “Team AP”' })
  await expect(dialog.getByLabel('API key')).toHaveValue('')
  await expect(dialog).toContainText('Leave empty to keep the saved key.')
  await expect(dialog.getByLabel('Kind of server')).toBeDisabled()
  // Saved settings are tested as saved; a changed base URL cannot be tested without the key.
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await expect(dialog.getByRole('status')).toContainText('It works.')
  await dialog.getByLabel('Base URL').fill(`${server.url}/elsewhere`)
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await expect(dialog.getByRole('alert')).toContainText('Type the API key again to test these changes')
  await dialog.getByLabel('Base URL').fill(server.url)
  await dialog.getByLabel('Name', { exact: true }).fill('Team AP, B side')
  await dialog.getByRole('button', { name: 'Save remote' }).click()
  await expect(dialog).toBeHidden()
  // The key that was never retyped is still the one sealed in the vault: the saved remote still answers.
  const card = remoteCard(pageB, 'Team AP, B side')
  await card.getByRole('button', { name: 'Test connection' }).click()
  await expect(card.getByRole('status').filter({ hasText: 'It works.' })).toBeVisible()
  await expect(indicator(pageB)).not.toContainText('Sync failed')
})

test('a connection deleted on the remote stays here, flagged', async () => {
  const jira = server.rows('activepieces').find((item) => item.externalId === 'team-jira')!
  const response = await fetch(`${server.url}/api/v1/app-connections/${jira.id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${server.apiKey}` },
  })
  expect(response.status).toBe(204)
  await syncThroughApi(pageB)
  await goTo(pageB, 'Connections')
  await expect(row(pageB, 'Team Jira').locator('[data-sync="deleted"]')).toContainText('Deleted on remote')
  await row(pageB, 'Team Jira').click()
  await expect(details(pageB)).toContainText('No longer on Team AP, B side; kept here')
  await expect(details(pageB)).toContainText('The remote no longer has it; the copy here is kept')
  await pageB.screenshot({ path: `${SHOTS}/sync-deleted-on-remote.png` })
})

test('a sync that hangs shows its progress and can be cancelled; nothing is reported as failed', async () => {
  server.faults.add({ kind: 'hang', match: { method: 'GET', dialect: 'activepieces' } })
  await indicator(pageA).getByRole('button', { name: 'Sync now' }).click()
  await expect(indicator(pageA).getByRole('progressbar', { name: 'Sync progress' })).toBeVisible()
  await pageA.screenshot({ path: `${SHOTS}/sync-running.png` })
  await indicator(pageA).getByRole('button', { name: 'Cancel sync' }).click()
  await expect(indicator(pageA).getByRole('progressbar')).toHaveCount(0)
  await expect(indicator(pageA).getByRole('button', { name: 'Sync now' })).toBeVisible()
  await expect(indicator(pageA)).not.toContainText('Sync failed')
  server.faults.clear()
})

test('a change the remote refuses stops with its reason shown, the rest go on, and Sync now sends it again', async () => {
  await goTo(pageA, 'Sync')
  await goTo(pageA, 'Connections')
  const remoteId = await pageA.evaluate(async () => {
    const [remote] = await (globalThis as unknown as LatchkeyPage).latchkey.remotes.list({})
    return remote!.id
  })
  // The next save is refused once with a 400; a rename of another connection is not.
  server.faults.add({
    kind: 'status',
    status: 400,
    times: 1,
    match: { method: 'POST', path: /app-connections$/, dialect: 'activepieces' },
  })
  await pageA.evaluate(async (remote) => {
    await (globalThis as unknown as LatchkeyPage).latchkey.connections.create({
      displayName: 'Refused once',
      pieceName: '@activepieces/piece-slack',
      type: 'SECRET_TEXT',
      value: { type: 'SECRET_TEXT', secret_text: 'xoxb-refused' },
      remoteId: remote,
    })
  }, remoteId)
  await indicator(pageA).getByRole('button', { name: 'Sync now' }).click()
  await expect(row(pageA, 'Refused once').locator('[data-sync="refused"]')).toHaveText('Sync refused')
  await expect(sidebar(pageA).getByRole('button', { name: /^Sync/ })).toContainText('1')
  await expect(indicator(pageA).getByRole('status')).toContainText('1 change refused')
  await goTo(pageA, 'Sync')
  const refused = remoteCard(pageA, 'Team AP')
    .getByRole('listitem')
    .filter({ hasText: '“Refused once” (save)' })
  await expect(refused).toBeVisible()
  await expect(remoteCard(pageA, 'Team AP')).toContainText(
    'Each waits for you to change the connection again',
  )
  await pageA.screenshot({ path: `${SHOTS}/sync-refused-entry.png` })
  expect(server.rows('activepieces').filter((item) => item.displayName === 'Refused once')).toHaveLength(0)

  await remoteCard(pageA, 'Team AP').getByRole('button', { name: 'Sync now' }).click()
  await expect(refused).toHaveCount(0)
  expect(server.rows('activepieces').filter((item) => item.displayName === 'Refused once')).toHaveLength(1)
  await goTo(pageA, 'Connections')
  await expect(row(pageA, 'Refused once').locator('[data-sync]')).toHaveCount(0)
})

test('offline, an edit waits; removing the remote counts the unsynced change, and keeps every connection', async () => {
  await server.faults.offline()
  const made = await idOf(pageA, 'Made here')
  await pageA.evaluate(async (id) => {
    await (globalThis as unknown as LatchkeyPage).latchkey.connections.update({
      id,
      displayName: 'Made here, edited offline',
    })
  }, made)
  await expect(row(pageA, 'Made here, edited offline')).toBeVisible()
  await indicator(pageA).getByRole('button', { name: 'Sync now' }).click()
  await expect(indicator(pageA)).toContainText('1 change waiting')
  await expect(indicator(pageA)).toContainText('Sync failed')
  await pageA.screenshot({ path: `${SHOTS}/sync-offline.png` })

  await goTo(pageA, 'Sync')
  await expect(remoteCard(pageA, 'Team AP')).toContainText('Last sync failed')
  await remoteCard(pageA, 'Team AP').getByRole('button', { name: 'Remove' }).click()
  const confirm = pageA.getByRole('alertdialog', { name: 'Remove “Team AP”?' })
  await expect(confirm).toContainText('1 change has not reached the remote yet.')
  await expect(confirm).toContainText('Its 4 connections stay on this device as local-only.')
  await pageA.screenshot({ path: `${SHOTS}/sync-remove-remote.png` })
  await confirm.getByRole('button', { name: 'Remove and discard 1 unsynced change' }).click()
  await expect(confirm).toBeHidden()
  await expect(toasts(pageA)).toContainText('Removed “Team AP” and discarded 1 unsynced change')
  await expect(pageA.getByText('No remote yet.')).toBeVisible()
  await expect(indicator(pageA)).toHaveCount(0)

  await goTo(pageA, 'Connections')
  await expect(pageA.getByTestId('result-count')).toHaveText('4 connections')
  await row(pageA, 'Made here, edited offline').click()
  await expect(details(pageA)).toContainText('Local only')
  await server.faults.online()
})

test('a Weavz remote asks for its organisation, not a required project, and takes a connection made here', async () => {
  await goTo(pageA, 'Sync')
  await pageA.getByRole('button', { name: 'Add remote' }).click()
  const dialog = pageA.getByRole('dialog', { name: 'Add a remote' })
  await expect(dialog.getByLabel('Organisation id')).toHaveCount(0)
  await dialog.getByLabel('Kind of server').selectOption({ label: 'Weavz' })
  await dialog.getByLabel('Name', { exact: true }).fill('Team Weavz')
  await dialog.getByLabel('Base URL').fill(server.url)
  await expect(dialog).toContainText('Optional: limits sync to one project.')
  await dialog.getByLabel('Organisation id').fill(server.orgId)
  await dialog.getByLabel('API key').fill(server.apiKey)
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await expect(dialog.getByRole('status')).toContainText('It works. Weavz answered')
  await dialog.getByRole('button', { name: 'Add remote' }).click()
  await expect(dialog).toBeHidden()
  await expect(remoteCard(pageA, 'Team Weavz')).toContainText('Weavz')

  await pageA.getByRole('button', { name: 'New connection' }).click()
  const create = pageA.getByRole('dialog', { name: 'New connection' })
  await create.getByLabel('Name', { exact: true }).fill('Made for Weavz')
  await create.getByLabel('Piece name').fill(SLACK)
  await create.getByLabel('Sync with').selectOption({ label: 'Team Weavz (Weavz)' })
  await create.getByLabel('Secret text').fill('xoxb-weavz')
  await create.getByRole('button', { name: 'Create connection' }).click()
  await expect(create).toBeHidden()
  await remoteCard(pageA, 'Team Weavz').getByRole('button', { name: 'Sync now' }).click()
  await expect
    .poll(() => server.rows('weavz').filter((item) => item.displayName === 'Made for Weavz').length)
    .toBe(1)
})

test('a push shows how far it has got on a bar with its total', async () => {
  const remoteId = await pageA.evaluate(async () => {
    const remotes = await (globalThis as unknown as LatchkeyPage).latchkey.remotes.list({})
    return remotes.find((remote) => remote.name === 'Team Weavz')!.id
  })
  // Each create takes a while and sync sends 8 at a time, so 12 leave the bar at 8 of 12 for a moment.
  server.faults.add({ kind: 'latency', ms: 1500, match: { method: 'POST', dialect: 'weavz' } })
  await pageA.evaluate(async (remote) => {
    const { latchkey } = globalThis as unknown as LatchkeyPage
    for (let index = 1; index <= 12; index += 1) {
      const name = `Batch ${index}`
      await latchkey.connections.create({
        displayName: name,
        pieceName: '@activepieces/piece-slack',
        type: 'SECRET_TEXT',
        value: { type: 'SECRET_TEXT', secret_text: `secret of ${name}` },
        remoteId: remote,
      })
    }
  }, remoteId)
  await indicator(pageA).getByRole('button', { name: 'Sync now' }).click()
  const bar = indicator(pageA).getByRole('progressbar', { name: 'Sync progress' })
  await expect(bar).toHaveAttribute('max', '12')
  await expect(indicator(pageA).getByRole('status')).toContainText('Sending changes: 8 of 12')
  await pageA.screenshot({ path: `${SHOTS}/sync-push-progress.png` })
  await expect(indicator(pageA).getByRole('status')).toContainText(/synced just now/i)
  await expect(bar).toHaveCount(0)
  expect(server.rows('weavz').filter((item) => item.displayName.startsWith('Batch '))).toHaveLength(12)
  server.faults.clear()
})
