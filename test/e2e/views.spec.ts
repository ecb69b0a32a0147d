import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import { createVaultThroughUi, E2E_PASSWORD, linkFlow, type LatchkeyPage } from '../support/e2e-vault'

// The views a team runs its credentials with (issue 15): navigation, Replace, Policies, Audit and
// Account, each through its main path and its error path, on one real vault in browser mode. The
// audit test stops browser mode, edits the vault file on disk and starts again on the same folder.
test.describe.configure({ mode: 'serial' })

const SHOTS = 'test-results/screens'
const SLACK = '@activepieces/piece-slack'
const NEW_PASSWORD = 'a brand new master passphrase 2026'

let dataDir: string
let app: BrowserModeProcess
let context: BrowserContext
let page: Page
let ids: Record<string, string>

const nav = () => page.getByRole('navigation', { name: 'Views' })
const view = (label: string) => page.getByRole('main', { name: label })
const toasts = () => page.getByRole('region', { name: 'Notifications' })

interface Seed {
  name: string
  externalId: string
  projectIds?: string[]
}

/** Slack connections with chosen externalIds and projects, created through the page's own API. */
async function seed(items: Seed[]): Promise<Record<string, string>> {
  return page.evaluate(
    async ({ list, piece }) => {
      const { latchkey } = globalThis as unknown as LatchkeyPage
      const made: Record<string, string> = {}
      for (const item of list) {
        const { connection } = await latchkey.connections.create({
          displayName: item.name,
          pieceName: piece,
          externalId: item.externalId,
          type: 'SECRET_TEXT',
          value: { type: 'SECRET_TEXT', secret_text: `secret-of-${item.externalId}` },
          projectIds: item.projectIds ?? [],
        } as Parameters<LatchkeyPage['latchkey']['connections']['create']>[0])
        made[item.name] = connection.id
      }
      return made
    },
    { list: items, piece: SLACK },
  )
}

async function flowNames(connectionId: string): Promise<string[]> {
  return page.evaluate(async (id) => {
    const flows = await (globalThis as unknown as LatchkeyPage).latchkey.flows.list({ connectionId: id })
    return flows.map((f) => f.flowName ?? f.flowId).sort()
  }, connectionId)
}

async function goTo(label: string) {
  await nav().getByRole('button', { name: label }).click()
  await expect(view(label)).toBeVisible()
}

/** Picks a connection in one of the searchable pickers: type part of its name, click it. */
async function pick(label: string, name: string) {
  const box = page.getByRole('combobox', { name: label })
  await box.click()
  await box.fill(name)
  await page
    .getByRole('listbox', { name: label })
    .getByRole('option', { name: new RegExp(`^${name}`) })
    .click()
  await expect(box).toHaveValue(name)
}

async function unlock(password: string) {
  // The Account view's form is also labelled "Master password": wait for the lock screen itself,
  // or a fill right after Ctrl+L can land in the form the lock is about to take away.
  await expect(page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible()
  await page.getByLabel('Master password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Unlock', exact: true }).click()
}

test.beforeAll(async ({ browser }) => {
  dataDir = mkdtempSync(join(tmpdir(), 'latchkey-views-'))
  app = await startBrowserMode({ dataDir })
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  page = await context.newPage()
  await createVaultThroughUi(page, app.url)
  ids = await seed([
    { name: 'Slack old bot', externalId: 'slack-old' },
    { name: 'Slack new bot', externalId: 'slack-new' },
    { name: 'Org Slack', externalId: 'org-slack' },
    { name: 'Ops Slack', externalId: 'user-42', projectIds: ['p-ops'] },
  ])
  await linkFlow(page, {
    flowId: 'flow-1',
    connectionId: ids['Slack old bot']!,
    flowName: 'Daily digest',
    active: true,
  })
  await linkFlow(page, {
    flowId: 'flow-2',
    connectionId: ids['Slack old bot']!,
    flowName: 'Incident alerts',
    active: false,
  })
})

test.afterAll(async () => {
  await context?.close()
  await app?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

test('the keyboard reaches every view: Ctrl+digit, arrow keys in the sidebar, and the palette', async () => {
  const labels = (await nav().getByRole('button').allInnerTexts()).map((text) =>
    text
      .replace(/^\S+\s+/, '')
      .replace(/\s+\d+\+?$/, '')
      .trim(),
  )
  expect(labels[0]).toBe('Connections')
  expect(labels).toEqual(expect.arrayContaining(['Replace', 'Policies', 'Audit log', 'Account']))

  // Ctrl+1…9 in sidebar order, from wherever focus is.
  for (const [index, label] of labels.entries()) {
    if (index >= 9) break
    await page.keyboard.press(`Control+${index + 1}`)
    await expect(view(label)).toBeVisible()
    await expect(nav().getByRole('button', { name: label })).toHaveAttribute('aria-current', 'page')
    await page.screenshot({ path: `${SHOTS}/view-${index + 1}.png` })
  }

  // One tab stop for the sidebar; arrow keys move through it and open as they go.
  await page.keyboard.press('Control+1')
  await nav().getByRole('button', { name: 'Connections' }).focus()
  for (const label of labels.slice(1)) {
    await page.keyboard.press('ArrowDown')
    await expect(view(label)).toBeVisible()
    await expect(nav().getByRole('button', { name: label })).toBeFocused()
  }
  await page.keyboard.press('ArrowDown')
  await expect(view('Connections')).toBeVisible()
  await page.keyboard.press('End')
  await expect(view(labels.at(-1)!)).toBeVisible()
  await page.keyboard.press('Home')
  await expect(view('Connections')).toBeVisible()

  // The palette goes anywhere by name.
  await page.keyboard.press('Control+k')
  await page.getByRole('combobox', { name: 'Command' }).fill('go to audit')
  await page.keyboard.press('Enter')
  await expect(view('Audit log')).toBeVisible()
  // Search from another view brings the list back with the search box focused.
  await page.keyboard.press('Control+f')
  await expect(view('Connections')).toBeVisible()
  await expect(page.locator('#connection-search')).toBeFocused()
})

test('replace moves the flows from the source to the target', async () => {
  await goTo('Replace')
  const replace = view('Replace')
  await expect(replace.getByText('Rotating credentials.')).toBeVisible()
  await expect(replace.getByText('Migrating accounts.')).toBeVisible()
  await expect(replace.getByText('Merging duplicates.')).toBeVisible()

  await pick('Move flows from', 'Slack old bot')
  const sourceFlows = replace.getByRole('region', { name: 'Flows on “Slack old bot”' })
  await expect(sourceFlows.getByRole('listitem')).toHaveText(['Daily digest', 'Incident alerts (inactive)'])
  await pick('To', 'Slack new bot')
  const targetFlows = replace.getByRole('region', { name: 'Flows on “Slack new bot”' })
  await expect(targetFlows).toContainText('No flow uses it.')
  await expect(replace.getByRole('status').filter({ hasText: 'will use' })).toHaveText(
    'All 2 flows will use “Slack new bot” instead of “Slack old bot”.',
  )
  await page.screenshot({ path: `${SHOTS}/replace-before.png`, fullPage: true })

  await replace.getByRole('button', { name: 'Move 2 flows' }).click()
  await expect(replace.getByRole('status', { name: 'Replace result' })).toHaveText(
    'Moved 2 flows from “Slack old bot” to “Slack new bot”.',
  )
  await expect(sourceFlows).toContainText('No flow uses it.')
  await expect(targetFlows.getByRole('listitem')).toHaveText(['Daily digest', 'Incident alerts (inactive)'])
  expect(await flowNames(ids['Slack old bot']!)).toEqual([])
  expect(await flowNames(ids['Slack new bot']!)).toEqual(['Daily digest', 'Incident alerts'])
  await page.screenshot({ path: `${SHOTS}/replace-after.png`, fullPage: true })
})

test('a replace whose target was deleted meanwhile is refused in words and moves nothing', async () => {
  const replace = view('Replace')
  await pick('Move flows from', 'Slack new bot')
  await pick('To', 'Org Slack')
  // Another window deletes the target between the choice and the confirmation.
  const spare = await seed([{ name: 'Spare Slack', externalId: 'spare' }])
  await pick('To', 'Spare Slack')
  await page.evaluate(async (id) => {
    await (globalThis as unknown as LatchkeyPage).latchkey.connections.delete({ id })
  }, spare['Spare Slack']!)
  await replace.getByRole('button', { name: 'Move 2 flows' }).click()
  // The refusal names the connection; its flow list, reloaded, says it is gone.
  await expect(replace.getByRole('alert')).toHaveText([
    'This connection no longer exists.',
    '“Spare Slack” no longer exists: it was deleted after you chose it. Nothing was moved; choose another connection.',
  ])
  expect(await flowNames(ids['Slack new bot']!)).toEqual(['Daily digest', 'Incident alerts'])
  await page.screenshot({ path: `${SHOTS}/replace-refused.png`, fullPage: true })
})

test('a policy change changes the resolver’s answer, and a bad one is refused in words', async () => {
  await goTo('Policies')
  const policies = view('Policies')
  const resolver = policies.getByRole('region', { name: 'Which connection does a user get?' })
  await resolver.getByLabel('Piece').selectOption({ label: 'Slack' })
  await resolver.getByLabel('Project').selectOption('p-ops')
  await resolver.getByLabel('externalId').fill('user-42')
  await resolver.getByRole('button', { name: 'Resolve' }).click()
  const answer = resolver.getByRole('status', { name: 'Resolver answer' })
  await expect(answer).toContainText('externalId “user-42” in project p-ops for Slack → Ops Slack')
  await expect(answer).toContainText('because no policy for')

  // The cell for Slack in p-ops, edited where it is: a project-only connection cannot be the organisation's.
  const cell = policies.getByRole('button', { name: /^Slack in p-ops: no policy/ })
  await cell.click()
  const editor = policies.getByRole('form', { name: `Policy for ${SLACK} in p-ops` })
  await editor.getByLabel('Policy').selectOption({ label: 'Enforced by the organisation' })
  await editor.getByLabel('Connection').selectOption({ label: 'Ops Slack' })
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(editor.getByRole('alert')).toContainText('belongs to project p-ops only')
  await expect(editor.getByRole('alert')).not.toContainText(/ENFORCED_|PLATFORM/)
  await page.screenshot({ path: `${SHOTS}/policies-refused.png`, fullPage: true })

  await editor.getByLabel('Connection').selectOption({ label: 'Org Slack (organisation-wide)' })
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(editor).toBeHidden()
  const enforced = policies.getByRole('button', { name: /^Slack in p-ops: Enforced by the organisation/ })
  await expect(enforced).toContainText('Org Slack')
  // Focus is back on the cell, so the keyboard carries on from there.
  await expect(enforced).toBeFocused()
  await resolver.getByRole('button', { name: 'Resolve' }).click()
  await expect(answer).toContainText('externalId “user-42” in project p-ops for Slack → Org Slack')
  await expect(answer).toContainText('because the organisation enforces this connection')
  await page.screenshot({ path: `${SHOTS}/policies-enforced.png`, fullPage: true })

  // Its connection deleted, the policy shows as a problem before any user meets it.
  await page.evaluate(async (id) => {
    await (globalThis as unknown as LatchkeyPage).latchkey.connections.delete({ id, force: true })
  }, ids['Org Slack']!)
  const problems = policies.getByRole('region', { name: 'One policy needs attention' })
  await expect(problems).toContainText('Slack in p-ops:')
  await expect(problems).toContainText('was deleted')
  await resolver.getByRole('button', { name: 'Resolve' }).click()
  await expect(answer).toContainText('→ no connection')
  await page.screenshot({ path: `${SHOTS}/policies-problem.png`, fullPage: true })
})

test('the audit view filters the log and refuses a time range that ends before it starts', async () => {
  await goTo('Audit log')
  const audit = view('Audit log')
  await expect(audit.getByRole('heading', { name: /^Chain intact, \d+ entries$/ })).toBeVisible()
  await audit.getByLabel('Action').selectOption({ label: 'Flows moved to another connection' })
  const rows = audit.getByRole('table', { name: 'Audit entries' }).locator('tbody tr')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('movedFlowReferences: 2')
  await audit.getByLabel('Action').selectOption({ label: 'Any action' })
  await audit.getByLabel('From').fill('2030-01-02T00:00')
  await audit.getByLabel('Until').fill('2030-01-01T00:00')
  await expect(audit.getByRole('alert')).toHaveText('The start of the time range must come before its end.')
  await page.screenshot({ path: `${SHOTS}/audit-range-refused.png`, fullPage: true })
  await audit.getByRole('button', { name: 'Clear filters' }).click()
  await expect(rows.first()).toBeVisible()
})

test('the audit view reports a chain broken by bytes edited on disk between runs', async () => {
  await app.stop()
  const db = new Database(join(dataDir, 'vault.sqlite'))
  // What someone with the file could do: lift the append-only guard, rewrite an entry, put the
  // guard back exactly as the schema has it.
  const guard = (
    db
      .prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_log_no_update'`)
      .get() as {
      sql: string
    }
  ).sql
  db.exec('DROP TRIGGER audit_log_no_update')
  const changed = db
    .prepare(
      `UPDATE audit_log SET details = replace(details, 'Slack old bot', 'Harmless bot') WHERE action = 'connection.create' AND details LIKE '%Slack old bot%'`,
    )
    .run().changes
  const seq = (
    db.prepare(`SELECT seq FROM audit_log WHERE details LIKE '%Harmless bot%'`).get() as { seq: number }
  ).seq
  db.exec(guard)
  db.close()
  expect(changed).toBe(1)

  app = await startBrowserMode({ dataDir })
  await page.goto(app.url)
  await unlock(E2E_PASSWORD)
  await goTo('Audit log')
  const audit = view('Audit log')
  await expect(audit.getByRole('heading', { name: `Broken at entry ${seq}` })).toBeVisible()
  await expect(audit.getByRole('alert').first()).toContainText('The vault file was changed outside Latchkey')
  await expect(audit.getByText(`Altered: entry ${seq}`)).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/audit-broken.png`, fullPage: true })
})

test('change the master password, lock, and unlock only with the new one', async () => {
  await goTo('Account')
  const form = page.getByRole('form', { name: 'Master password' })
  await form.getByLabel('Current master password', { exact: true }).fill('not my password at all')
  await form.getByLabel('New master password', { exact: true }).fill(NEW_PASSWORD)
  await form.getByLabel('Confirm new master password', { exact: true }).fill(NEW_PASSWORD)
  await form.getByRole('button', { name: 'Change master password' }).click()
  await expect(form.getByRole('alert')).toHaveText(
    'That is not your current master password, so nothing was changed.',
  )
  await page.screenshot({ path: `${SHOTS}/account-wrong-password.png`, fullPage: true })

  await form.getByLabel('Current master password', { exact: true }).fill(E2E_PASSWORD)
  await form.getByRole('button', { name: 'Change master password' }).click()
  await expect(toasts()).toContainText('Master password changed.')
  await expect(form.getByLabel('Current master password', { exact: true })).toHaveValue('')

  await page.keyboard.press('Control+l')
  await unlock(E2E_PASSWORD)
  await expect(page.getByRole('alert')).toBeVisible()
  await expect(nav()).toHaveCount(0)
  await unlock(NEW_PASSWORD)
  await expect(view('Connections')).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/account-unlocked-new-password.png`, fullPage: true })
})
