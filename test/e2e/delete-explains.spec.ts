import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import { createVaultThroughUi, linkFlow, seedConnections } from '../support/e2e-vault'

// A delete that explains itself: the flows that use a connection are counted before anything
// happens, and the only ways offered are the two the UI can carry out.
test.describe.configure({ mode: 'serial' })

const SHOTS = 'test-results/screens'
const SLACK = '@activepieces/piece-slack'

let app: BrowserModeProcess
let context: BrowserContext
let page: Page
let ids: Record<string, string>

const grid = () => page.getByRole('grid', { name: 'Connections' })
const row = (name: string) => grid().getByRole('row', { name: new RegExp(name) })
const details = () => page.getByRole('complementary', { name: 'Connection details' })
const toasts = () => page.getByRole('region', { name: 'Notifications' })

async function openConnection(name: string) {
  await row(name).click()
  await expect(details().getByRole('heading', { name })).toBeVisible()
}

async function startDelete(name: string) {
  await openConnection(name)
  await details().getByRole('button', { name: 'Delete', exact: true }).click()
  const dialog = page.getByRole('alertdialog', { name: `Delete “${name}”?` })
  await expect(dialog).toBeVisible()
  return dialog
}

test.beforeAll(async ({ browser }) => {
  app = await startBrowserMode()
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  page = await context.newPage()
  await createVaultThroughUi(page, app.url)
  ids = await seedConnections(page, [
    { name: 'Slack main', piece: SLACK },
    { name: 'Slack backup', piece: SLACK },
    { name: 'Slack old', piece: SLACK },
    { name: 'Jira tickets', piece: '@activepieces/piece-jira' },
    { name: 'Weather', piece: '@activepieces/piece-weather' },
  ])
  await linkFlow(page, {
    flowId: 'flow-a',
    connectionId: ids['Slack main']!,
    flowName: 'Post standup',
    active: true,
  })
  await linkFlow(page, {
    flowId: 'flow-b',
    connectionId: ids['Slack main']!,
    flowName: 'Alert on-call',
    active: true,
  })
  await linkFlow(page, {
    flowId: 'flow-c',
    connectionId: ids['Slack main']!,
    flowName: 'Old digest',
    active: false,
  })
  await linkFlow(page, {
    flowId: 'flow-d',
    connectionId: ids['Slack old']!,
    flowName: 'Weekly report',
    active: true,
  })
  await expect(page.getByTestId('result-count')).toHaveText('5 connections')
})

test.afterAll(async () => {
  await context?.close()
  await app?.stop()
})

test('the confirmation says how many active and inactive flows use it, and offers replace or a placeholder', async () => {
  const dialog = await startDelete('Slack main')
  await expect(dialog).toContainText('Used by 2 active flows and 1 inactive flow.')
  await expect(dialog).toContainText('Active: Post standup, Alert on-call')
  const choices = dialog.getByRole('group', { name: 'What happens to its flows' })
  await expect(choices.getByRole('button', { name: 'Replace with another connection…' })).toBeVisible()
  await expect(choices.getByRole('button', { name: 'Delete and leave a placeholder' })).toBeVisible()
  await expect(choices).toContainText('stop working until the placeholder is given credentials again')
  // Main's advice to API callers is not the UI's: it has no way to "remove it from flows".
  await expect(dialog).not.toContainText('remove it from flows')
  await expect(dialog).not.toContainText('MISSING')
  await page.screenshot({ path: `${SHOTS}/delete-counts.png` })
})

test('replace picks a connection of the same piece, moves every flow to it and deletes the old one', async () => {
  const confirm = page.getByRole('alertdialog', { name: 'Delete “Slack main”?' })
  await confirm.getByRole('button', { name: 'Replace with another connection…' }).click()
  const dialog = page.getByRole('alertdialog', { name: 'Replace “Slack main”' })
  const picker = dialog.getByRole('radiogroup', { name: 'Replacement connection' })
  // Only the other Slack connections: never itself, never another piece.
  await expect(picker.getByRole('radio')).toHaveCount(2)
  await expect(picker).toContainText('Slack backup')
  await expect(picker).toContainText('Slack old')
  await expect(picker).not.toContainText('Jira')
  await expect(dialog.getByRole('button', { name: 'Move 3 flows and delete' })).toBeDisabled()
  await picker.getByRole('radio', { name: /Slack backup/ }).check()
  await expect(dialog.getByRole('status')).toContainText(
    'All 3 flows move to “Slack backup”; “Slack main” and its secret are then deleted.',
  )
  await page.screenshot({ path: `${SHOTS}/delete-replace-picker.png` })
  await dialog.getByRole('button', { name: 'Move 3 flows and delete' }).click()
  await expect(dialog).toBeHidden()
  await expect(toasts()).toContainText('Moved 3 flows to “Slack backup” and deleted “Slack main”.')

  // The panel now shows where the flows went, and the old connection is gone for good.
  await expect(details().getByRole('heading', { name: 'Slack backup' })).toBeVisible()
  await expect(details().getByRole('heading', { name: 'Flows (3)' })).toBeVisible()
  await expect(details()).toContainText('Post standup')
  await expect(details()).toContainText('Old digest')
  await expect(row('Slack main')).toHaveCount(0)
  await expect(page.getByTestId('result-count')).toHaveText('4 connections')
  await page.screenshot({ path: `${SHOTS}/delete-replaced.png` })
  const moved = await page.evaluate(
    async (id) =>
      (globalThis as unknown as import('../support/e2e-vault').LatchkeyPage).latchkey.flows.list({
        connectionId: id,
      }),
    ids['Slack backup']!,
  )
  expect(moved.map((flow) => flow.flowId).sort()).toEqual(['flow-a', 'flow-b', 'flow-c'])
})

test('delete leaving a placeholder keeps the flows pointing at a Missing connection', async () => {
  const dialog = await startDelete('Slack old')
  await expect(dialog).toContainText('Used by 1 active flow.')
  await dialog.getByRole('button', { name: 'Delete and leave a placeholder' }).click()
  await expect(dialog).toBeHidden()
  await expect(toasts()).toContainText('Deleted “Slack old”. Its flows now point at a “Missing” placeholder.')
  await expect(details().getByRole('heading', { name: 'Slack old' })).toBeVisible()
  await expect(details()).toContainText('Missing')
  await expect(details().getByRole('heading', { name: 'Flows (1)' })).toBeVisible()
  await expect(row('Slack old')).toContainText('Missing')
  await page.screenshot({ path: `${SHOTS}/delete-placeholder.png` })
})

test('a refusal from main (a flow appeared while the dialog was open) turns into the same two choices', async () => {
  const dialog = await startDelete('Jira tickets')
  await expect(dialog).toContainText('No flow uses it. Its secret is destroyed; this cannot be undone.')
  await linkFlow(page, {
    flowId: 'flow-e',
    connectionId: ids['Jira tickets']!,
    flowName: 'Triage',
    active: true,
  })
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(dialog.getByRole('alert')).toHaveText(
    'Since this dialog opened, an active flow has started using it. Choose what happens to them.',
  )
  await expect(dialog).toContainText('Used by 1 active flow.')
  await expect(dialog.getByRole('button', { name: 'Delete and leave a placeholder' })).toBeVisible()
  await expect(dialog).not.toContainText('remove it from flows')
  await page.screenshot({ path: `${SHOTS}/delete-refused-choices.png` })
  // Replace with no other connection of the piece says so, and how to go on.
  await dialog.getByRole('button', { name: 'Replace with another connection…' }).click()
  const replace = page.getByRole('alertdialog', { name: 'Replace “Jira tickets”' })
  await expect(replace).toContainText(/There is no other jira connection to move them to\./i)
  await replace.getByRole('button', { name: 'Back' }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
})

test('a connection no flow uses is deleted at the first asking', async () => {
  const dialog = await startDelete('Weather')
  await expect(dialog).toContainText('No flow uses it.')
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(toasts()).toContainText('Deleted “Weather”.')
  await expect(row('Weather')).toHaveCount(0)
  await expect(details()).toHaveCount(0)
})
