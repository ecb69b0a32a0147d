import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection, AuditPage, ImportPlan, Page } from '../../../src/shared/contract'
import { PLAINTEXT_EXPORT_RISK } from '../../../src/shared/contract/transfer'
import { connectionsHarness, type ConnectionsHarness } from '../connections/support'
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VAULT_FILE_NAME } from '../../../src/main/vault/vault-manager'
import { createUnlockedTestCore, openUnlockedVault, TEST_PASSWORD } from '../../support/vault'

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

const HTTP = '@activepieces/piece-http'
const preview = (input: Record<string, unknown>) => h.call<ImportPlan>('import.preview', input)
const all = async () =>
  (await h.call<Page<AppConnection>>('connections.list', { limit: 100, sort: 'displayName' })).data
const reveal = async (id: string) => (await h.call<{ value: unknown }>('connections.reveal', { id })).value
const count = (table: string) =>
  (h.session.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

async function previewAndApply(input: Record<string, unknown>) {
  const plan = await preview(input)
  const result = await h.call<{ created: number; updated: number; skipped: number }>('import.apply', {
    ...input,
    digest: plan.digest,
  })
  return { plan, result }
}

describe('import', () => {
  it('previews seed JSON (created, updated, skipped with reasons) and applies exactly that in one change', async () => {
    const existing = await h.upsert({
      externalId: 'kept',
      displayName: 'Kept',
      value: { type: 'SECRET_TEXT', secret_text: 'old' },
    })
    await h.upsert({
      externalId: 'same',
      displayName: 'Same',
      value: { type: 'SECRET_TEXT', secret_text: 's' },
    })
    const text = JSON.stringify({
      connections: [
        {
          displayName: 'New one',
          pieceName: HTTP,
          externalId: 'new',
          type: 'SECRET_TEXT',
          value: { type: 'SECRET_TEXT', secret_text: 'n' },
        },
        {
          displayName: 'Kept',
          pieceName: existing.pieceName,
          pieceVersion: '0.10.0',
          externalId: 'kept',
          type: 'SECRET_TEXT',
          value: { type: 'SECRET_TEXT', secret_text: 'new secret' },
        },
        {
          displayName: 'Same',
          pieceName: existing.pieceName,
          pieceVersion: '0.10.0',
          externalId: 'same',
          type: 'SECRET_TEXT',
          value: { type: 'SECRET_TEXT', secret_text: 's' },
        },
        {
          displayName: 'Placeholder',
          pieceName: HTTP,
          externalId: 'gone',
          type: 'SECRET_TEXT',
          status: 'MISSING',
        },
        {
          displayName: 'Broken',
          pieceName: HTTP,
          externalId: 'broken',
          type: 'OAUTH2',
          value: { type: 'OAUTH2' },
        },
        {
          displayName: 'Twice',
          pieceName: HTTP,
          externalId: 'new',
          type: 'SECRET_TEXT',
          value: { type: 'SECRET_TEXT', secret_text: 'x' },
        },
      ],
    })
    const changedBefore = h.events.length
    const { plan, result } = await previewAndApply({ format: 'latchkey-json', source: { text } })
    expect(plan.items.map((item) => [item.at, item.action])).toEqual([
      ['connections[0]', 'create'],
      ['connections[1]', 'update'],
      ['connections[2]', 'skip'],
      ['connections[3]', 'skip'],
      ['connections[4]', 'skip'],
      ['connections[5]', 'skip'],
    ])
    expect(plan.items[1]!.reason).toMatch(/secret/)
    expect(plan.items[2]!.reason).toMatch(/exactly like this/)
    expect(plan.items[3]!.reason).toMatch(/no secret/)
    expect(plan.items[4]!.reason).toMatch(/access token/i)
    expect(plan.items[5]!.reason).toMatch(/connections\[0\]/)
    expect(result).toEqual({ created: 1, updated: 1, skipped: 4 })
    expect(await reveal(existing.id)).toEqual({ type: 'SECRET_TEXT', secret_text: 'new secret' })
    expect((await all()).map((c) => c.displayName)).toEqual(['Kept', 'New one', 'Same'])
    const changes = h.events.slice(changedBefore).filter((event) => event.name === 'connections.changed')
    expect(changes).toHaveLength(1)
    const audit = await h.call<AuditPage>('audit.list', { limit: 20 })
    expect(audit.data.map((entry) => entry.action)).toContain('connection.import')
  })

  it('a malformed file changes nothing and says where it is malformed', async () => {
    await h.upsert({ externalId: 'kept' })
    const before = { rows: count('connections'), audit: count('audit_log') }
    const cases: [string, string, RegExp][] = [
      [
        'latchkey-json',
        '{"connections": [\n  {"displayName": "a",\n  "pieceName" "b"}\n]}',
        /line 3, column/,
      ],
      ['latchkey-json', '{"connections": [', /line 1/],
      ['latchkey-json', '{"nothing": true}', /top level/],
      ['env', 'GOOD=1\nthis line is wrong\n', /line 2/],
      ['env', 'A="never closed\nB=2\n', /line 1/],
      ['keepassxc-csv', '"Group","Title","Username","Password"\n"Root","a","u","p\n', /line|CSV/],
      ['keepassxc-csv', '"Name","Secret"\n"a","b"\n', /line 1/],
      ['bitwarden-json', '{"encrypted": true, "items": []}', /encrypted/],
    ]
    for (const [format, text, where] of cases) {
      const error = await h.errorOf('import.preview', { format, source: { text }, pieceName: HTTP })
      expect(error.code).toBe('VALIDATION')
      expect(error.params.message).toMatch(where)
      const apply = await h.errorOf('import.apply', {
        format,
        source: { text },
        pieceName: HTTP,
        digest: 'x',
      })
      expect(apply.code).toBe('VALIDATION')
    }
    expect({ rows: count('connections'), audit: count('audit_log') }).toEqual(before)
  })

  it('all or nothing: a plan that no longer matches the vault is refused and writes nothing', async () => {
    const text = JSON.stringify([
      {
        displayName: 'A',
        pieceName: HTTP,
        externalId: 'a',
        type: 'SECRET_TEXT',
        value: { type: 'SECRET_TEXT', secret_text: 'a' },
      },
    ])
    const plan = await preview({ format: 'latchkey-json', source: { text } })
    await h.upsert({ pieceName: HTTP, externalId: 'a', displayName: 'A' })
    const rows = count('connections')
    const error = await h.errorOf('import.apply', {
      format: 'latchkey-json',
      source: { text },
      digest: plan.digest,
    })
    expect(error.code).toBe('CONFLICT')
    expect(count('connections')).toBe(rows)
  })

  it('reads .env, Bitwarden JSON and KeePassXC CSV into connections', async () => {
    const env =
      '# tokens\nexport API_KEY=abc123 # inline comment\nMULTI="one\\ntwo \\"q\\""\nRAW=\'$not \\n expanded\'\nEMPTY=\n'
    const envRun = await previewAndApply({ format: 'env', source: { text: env }, pieceName: HTTP })
    expect(envRun.plan.items.map((item) => [item.externalId, item.action])).toEqual([
      ['API_KEY', 'create'],
      ['MULTI', 'create'],
      ['RAW', 'create'],
      ['EMPTY', 'skip'],
    ])
    const bitwarden = JSON.stringify({
      encrypted: false,
      items: [
        { id: 'bw-1', type: 1, name: 'GitHub login', login: { username: 'octo', password: 'pw1' } },
        {
          id: 'bw-2',
          type: 1,
          name: 'API only',
          login: { password: 'pw2' },
          fields: [{ name: 'pieceName', value: '@activepieces/piece-github', type: 0 }],
        },
        { id: 'bw-3', type: 2, name: 'Note', notes: 'note secret' },
        { id: 'bw-4', type: 3, name: 'Visa', card: {} },
        { id: 'bw-5', type: 1, name: 'Props', login: {}, fields: [{ name: 'client', value: 'c1', type: 0 }] },
      ],
    })
    const bw = await previewAndApply({
      format: 'bitwarden-json',
      source: { text: bitwarden },
      pieceName: HTTP,
    })
    expect(bw.plan.items.map((item) => [item.displayName, item.action, item.type])).toEqual([
      ['GitHub login', 'create', 'BASIC_AUTH'],
      ['API only', 'create', 'SECRET_TEXT'],
      ['Note', 'create', 'SECRET_TEXT'],
      ['Visa', 'skip', null],
      ['Props', 'create', 'CUSTOM_AUTH'],
    ])
    expect(bw.plan.items[1]!.pieceName).toBe('@activepieces/piece-github')
    const csv =
      '"Group","Title","Username","Password","URL","Notes"\n"Root/Work","Jira","me","p,w","https://x",""\n"Root","Token","","tok",""," "\n"Root","Empty","u","",""," "\n"Root/Work","Jira","other","x","",""\n'
    const kp = await previewAndApply({ format: 'keepassxc-csv', source: { text: csv }, pieceName: HTTP })
    expect(kp.plan.items.map((item) => [item.at, item.action])).toEqual([
      ['row 2', 'create'],
      ['row 3', 'create'],
      ['row 4', 'skip'],
      ['row 5', 'skip'],
    ])
    const byName = new Map((await all()).map((connection) => [connection.displayName, connection]))
    expect(await reveal(byName.get('MULTI')!.id)).toEqual({
      type: 'SECRET_TEXT',
      secret_text: 'one\ntwo "q"',
    })
    expect(await reveal(byName.get('RAW')!.id)).toEqual({
      type: 'SECRET_TEXT',
      secret_text: '$not \\n expanded',
    })
    expect(await reveal(byName.get('API_KEY')!.id)).toEqual({ type: 'SECRET_TEXT', secret_text: 'abc123' })
    expect(await reveal(byName.get('Jira')!.id)).toEqual({
      type: 'BASIC_AUTH',
      username: 'me',
      password: 'p,w',
    })
    expect(await reveal(byName.get('Props')!.id)).toEqual({ type: 'CUSTOM_AUTH', props: { client: 'c1' } })
    // The same file again: everything is already there.
    const again = await preview({ format: 'keepassxc-csv', source: { text: csv }, pieceName: HTTP })
    expect(again.counts).toEqual({ create: 0, update: 0, skip: 4 })
  })

  it('imports a file uploaded in chunks, then removes the upload from the data folder', async () => {
    const text = JSON.stringify([
      {
        displayName: 'Big',
        pieceName: HTTP,
        externalId: 'big',
        type: 'SECRET_TEXT',
        value: { type: 'SECRET_TEXT', secret_text: 'x'.repeat(50_000) },
      },
    ])
    const { transferId } = await h.call<{ transferId: string }>('transfer.upload', {
      data: Buffer.from(text).toString('base64'),
    })
    const input = { format: 'latchkey-json', source: { transferId } }
    const plan = await preview(input)
    expect(plan.counts.create).toBe(1)
    await h.call('import.apply', { ...input, digest: plan.digest })
    expect((await h.errorOf('import.preview', input)).code).toBe('ENTITY_NOT_FOUND')
  })

  it('asks which piece a foreign format is for', async () => {
    const error = await h.errorOf('import.preview', { format: 'env', source: { text: 'A=1' } })
    expect(error).toMatchObject({ code: 'VALIDATION', params: { issues: [{ path: 'pieceName' }] } })
  })
})

describe('plaintext export', () => {
  it('needs the password and the acknowledgement, is audited, and imports back unchanged', async () => {
    await h.upsert({
      externalId: 'slack-bot',
      displayName: 'Slack bot',
      value: { type: 'SECRET_TEXT', secret_text: 'a "quoted"\nsecret' },
    })
    await h.upsert({
      externalId: 'mail',
      displayName: 'Mail',
      type: 'BASIC_AUTH',
      value: { type: 'BASIC_AUTH', username: 'ops', password: 'hunter2' },
      projectIds: ['p1'],
      metadata: { team: 'ops' },
    })
    expect(PLAINTEXT_EXPORT_RISK).toMatch(/plain text/)
    expect(
      (await h.errorOf('export.plaintext', { format: 'latchkey-json', password: TEST_PASSWORD })).code,
    ).toBe('VALIDATION')
    expect(
      (
        await h.errorOf('export.plaintext', {
          format: 'latchkey-json',
          password: 'wrong wrong wrong',
          acknowledgeRisk: true,
        })
      ).code,
    ).toBe('AUTHENTICATION')
    const json = await h.call<{ text: string; connections: number }>('export.plaintext', {
      format: 'latchkey-json',
      password: TEST_PASSWORD,
      acknowledgeRisk: true,
    })
    expect(json.connections).toBe(2)
    expect(json.text).toContain('hunter2')
    const plan = await preview({ format: 'latchkey-json', source: { text: json.text } })
    expect(plan.counts).toEqual({ create: 0, update: 0, skip: 2 })

    const env = await h.call<{ text: string }>('export.plaintext', {
      format: 'env',
      password: TEST_PASSWORD,
      acknowledgeRisk: true,
    })
    expect(env.text).toContain('SLACK_BOT="a \\"quoted\\"\\nsecret"')
    expect(env.text).toContain('MAIL_USERNAME="ops"')
    expect(env.text).toContain('MAIL_PASSWORD="hunter2"')
    // Read back by the .env reader: the same bytes.
    const back = await preview({ format: 'env', source: { text: env.text }, pieceName: 'x' })
    expect(back.items.map((item) => item.externalId).sort()).toEqual([
      'MAIL_PASSWORD',
      'MAIL_USERNAME',
      'SLACK_BOT',
    ])
    const audit = await h.call<AuditPage>('audit.list', { limit: 20 })
    const exports = audit.data.filter((entry) => entry.action === 'connection.export')
    expect(exports).toHaveLength(2)
    expect(JSON.stringify(exports)).not.toContain('hunter2')
  })

  it('refuses to export a row whose identity was edited in the file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-export-integrity-'))
    const first = await createUnlockedTestCore({ dataDir })
    const { connection } = await first.call<{ connection: AppConnection }>('connections.upsert', {
      displayName: 'First',
      pieceName: HTTP,
      pieceVersion: '1.0.0',
      type: 'SECRET_TEXT',
      externalId: 'a',
      value: { type: 'SECRET_TEXT', secret_text: 'a' },
    })
    await first.core.close()
    // Edited with SQLite while Latchkey is not running: no key, so no MAC can follow.
    const db = new Database(join(dataDir, VAULT_FILE_NAME))
    db.prepare(`UPDATE connections SET display_name = 'Renamed on disk' WHERE id = ?`).run(connection.id)
    db.close()
    const again = await openUnlockedVault(dataDir)
    try {
      const result = await again.core.router.dispatch(
        'export.plaintext',
        { format: 'latchkey-json', password: TEST_PASSWORD, acknowledgeRisk: true },
        { origin: 'test' },
      )
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'INTEGRITY', params: { entityId: connection.id } },
      })
    } finally {
      await again.dispose()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
