import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection, AuditPage, AuditVerification, Page } from '../../../src/shared/contract'
import { connectionsHarness, insertRemote, secretText, SLACK, type ConnectionsHarness } from './support'

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

type BatchResult = { results: { connection: AppConnection; created: boolean }[] }

const GMAIL = '@activepieces/piece-gmail'

function item(externalId: string, overrides: Record<string, unknown> = {}) {
  return {
    displayName: `Connection ${externalId}`,
    pieceName: SLACK,
    pieceVersion: '0.10.0',
    type: 'SECRET_TEXT',
    externalId,
    value: secretText(`secret-of-${externalId}`),
    ...overrides,
  }
}

const batch = (items: unknown[]) => h.call<BatchResult>('connections.upsertBatch', { items })
const get = (id: string) => h.call<AppConnection>('connections.get', { id })
const count = (table: string) =>
  (h.session.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
const changedEvents = () => h.events.filter((event) => event.name === 'connections.changed')

/** Everything a failed batch must leave exactly as it was. */
function snapshot() {
  return {
    connections: count('connections'),
    values: count('connection_values'),
    projects: count('connection_projects'),
    audit: count('audit_log'),
    outbox: count('sync_outbox'),
    names: h.session.db.prepare('SELECT id, display_name FROM connections ORDER BY id').all(),
  }
}

describe('connections.upsertBatch', () => {
  it('creates and updates in one call, answering each item in order as connections.get reads it', async () => {
    const existing = await h.upsert({ externalId: 'ext_old', value: secretText('old-secret') })
    h.clock.advance(1000)
    const { results } = await batch([
      item('ext_a', { projectIds: ['project_1'] }),
      item('ext_old', { displayName: 'Renamed', pieceVersion: '0.11.0' }),
      item('ext_b', {
        pieceName: GMAIL,
        scope: 'PLATFORM',
        projectIds: ['project_b', 'project_a', 'project_b'],
        preSelectForNewProjects: true,
        metadata: { team: 'ops' },
      }),
    ])
    expect(results.map((result) => result.created)).toEqual([true, false, true])
    expect(results[1]!.connection).toMatchObject({
      id: existing.id,
      displayName: 'Renamed',
      pieceVersion: '0.11.0',
      created: existing.created,
      updated: new Date(h.clock.now()).toISOString(),
    })
    expect(results[2]!.connection).toMatchObject({
      scope: 'PLATFORM',
      projectIds: ['project_a', 'project_b'],
      preSelectForNewProjects: true,
      metadata: { team: 'ops' },
    })
    for (const { connection } of results) expect(connection).toEqual(await get(connection.id))
    const revealed = await h.call<{ value: unknown }>('connections.reveal', { id: existing.id })
    expect(revealed.value).toEqual(secretText('secret-of-ext_old'))
    expect((await h.call<Page<AppConnection>>('connections.list', { limit: 10 })).data).toHaveLength(3)
  })

  it('answers an updated connection exactly as a fresh read does, keeping what the upsert does not set', async () => {
    insertRemote(h.session, 'remote_a')
    const connection = await h.upsert({ externalId: 'ext_kept', remoteId: 'remote_a', projectIds: ['p1'] })
    await h.call('flows.link', { flowId: 'flow_2', connectionId: connection.id })
    await h.call('flows.link', { flowId: 'flow_1', connectionId: connection.id, active: false })
    h.session.db
      .prepare(
        `UPDATE connections SET status = 'ERROR', status_reason = 'invalid_grant', platform_id = 'platform_1',
           owner_id = 'user_1', owner_email = 'ada@example.com', owner_first_name = 'Ada', owner_last_name = 'L',
           last_used_ms = 5, last_refresh_failure_ms = 6, last_refresh_failure_reason = 'refused',
           refresh_attempts = 3 WHERE id = ?`,
      )
      .run(connection.id)
    h.clock.advance(5000)
    const expiring = {
      type: 'OAUTH2',
      value: {
        type: 'OAUTH2',
        access_token: 'access-secret',
        token_url: 'https://auth.example.com/token',
        expires_in: 3600,
      },
    }
    const { results } = await batch([
      item('ext_kept', { remoteId: 'remote_a', metadata: null, ...expiring }),
      // The same name and expiry again: the row is rewritten without touching either.
      item('ext_kept', { remoteId: 'remote_a', displayName: 'Connection ext_kept', ...expiring }),
    ])
    expect(results[1]!.connection).toMatchObject({
      id: connection.id,
      status: 'ACTIVE',
      statusReason: null,
      flowIds: ['flow_1', 'flow_2'],
      projectIds: [],
      owner: { email: 'ada@example.com', firstName: 'Ada', lastName: 'L' },
      platformId: 'platform_1',
      syncState: 'PENDING',
      hasValue: true,
    })
    expect(results[1]!.connection.health.tokenExpiresAt).not.toBeNull()
    expect(results[0]!.connection).toEqual(results[1]!.connection)
    expect(results[1]!.connection).toEqual(await get(connection.id))
    const found = await h.call<Page<AppConnection>>('connections.list', { displayName: 'ext_kept' })
    expect(found.data.map((row) => row.id)).toEqual([connection.id])
  })

  it('creates an externalId that appears twice with the first item and updates it with the second', async () => {
    const { results } = await batch([
      item('ext_twice', { displayName: 'First' }),
      item('ext_other'),
      item('ext_twice', { displayName: 'Second', value: secretText('second-secret') }),
    ])
    expect(results.map((result) => result.created)).toEqual([true, true, false])
    const [first, , second] = results.map((result) => result.connection)
    expect(second!.id).toBe(first!.id)
    expect(first!.displayName).toBe('First')
    expect(second!.displayName).toBe('Second')
    expect(await get(first!.id)).toEqual(second)
    expect(count('connections')).toBe(2)
    const revealed = await h.call<{ value: unknown }>('connections.reveal', { id: first!.id })
    expect(revealed.value).toEqual(secretText('second-secret'))
    const audit = await h.call<AuditPage>('audit.list', { entityId: first!.id })
    expect(audit.data.map((entry) => entry.action)).toEqual([
      'connection.reveal',
      'connection.update',
      'connection.create',
    ])
    expect(changedEvents()).toEqual([
      {
        name: 'connections.changed',
        payload: { ids: [first!.id, results[1]!.connection.id], kind: 'created' },
      },
    ])
  })

  it('writes one audit entry and, for a synced connection, one outbox entry per item, in order, with the chain intact', async () => {
    insertRemote(h.session, 'remote_a')
    const before = count('audit_log')
    const { results } = await batch([
      item('ext_1', { remoteId: 'remote_a' }),
      item('ext_2'),
      item('ext_1', { remoteId: 'remote_a', displayName: 'Again' }),
    ])
    const entries = h.session.db
      .prepare('SELECT action, entity_id, details FROM audit_log WHERE seq > ? ORDER BY seq')
      .all(before) as { action: string; entity_id: string; details: string }[]
    expect(entries.map((entry) => [entry.action, entry.entity_id])).toEqual([
      ['connection.create', results[0]!.connection.id],
      ['connection.create', results[1]!.connection.id],
      ['connection.update', results[0]!.connection.id],
    ])
    expect(JSON.parse(entries[2]!.details)).toMatchObject({ displayName: 'Again', credentialsChanged: true })
    const outbox = h.session.db
      .prepare('SELECT connection_id, operation, payload FROM sync_outbox ORDER BY seq')
      .all() as { connection_id: string; operation: string; payload: string }[]
    expect(outbox.map((entry) => [entry.connection_id, entry.operation])).toEqual([
      [results[0]!.connection.id, 'upsert'],
      [results[0]!.connection.id, 'upsert'],
    ])
    expect(JSON.parse(outbox[1]!.payload)).toMatchObject({ externalId: 'ext_1', displayName: 'Again' })
    expect(await h.call<AuditVerification>('audit.verify')).toEqual({ ok: true, checked: count('audit_log') })
  })

  it('emits one connections.changed after the commit, with every id once', async () => {
    const existing = await h.upsert({ externalId: 'ext_old' })
    const seen: { inTransaction: boolean; rows: number }[] = []
    h.core.events.subscribe((name) => {
      if (name === 'connections.changed') {
        seen.push({ inTransaction: h.session.db.inTransaction, rows: count('connections') })
      }
    })
    h.events.length = 0
    const { results } = await batch([item('ext_new_1'), item('ext_old'), item('ext_new_2'), item('ext_old')])
    expect(seen).toEqual([{ inTransaction: false, rows: 3 }])
    const ids = [results[0]!.connection.id, existing.id, results[2]!.connection.id]
    expect(changedEvents()).toEqual([{ name: 'connections.changed', payload: { ids, kind: 'updated' } }])
  })

  it('writes nothing when one item names an unknown remote, and says which item', async () => {
    insertRemote(h.session, 'remote_a')
    await h.upsert({ externalId: 'ext_old' })
    const before = snapshot()
    h.events.length = 0
    const error = await h.errorOf('connections.upsertBatch', {
      items: [
        item('ext_new', { remoteId: 'remote_a' }),
        item('ext_old', { displayName: 'Renamed' }),
        item('ext_bad', { remoteId: 'remote_nope' }),
        item('ext_after'),
      ],
    })
    expect(error).toMatchObject({ statusCode: 400, code: 'VALIDATION', params: { item: 2 } })
    expect(error.params.message).toMatch(/^Item 2: .*remote_nope/)
    expect(error.params.issues).toEqual([{ path: 'items.2.remoteId', message: 'No such remote.' }])
    expect(snapshot()).toEqual(before)
    expect(h.events).toEqual([])
  })

  it('writes nothing when one value is too large, and names its index', async () => {
    const before = snapshot()
    const error = await h.errorOf('connections.upsertBatch', {
      items: [
        item('ext_1'),
        item('ext_2', {
          type: 'CUSTOM_AUTH',
          // Each property within its own 64 KiB, the whole value over 256 KiB.
          value: {
            type: 'CUSTOM_AUTH',
            props: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`part${n}`, 'x'.repeat(60 * 1024)])),
          },
        }),
      ],
    })
    expect(error).toMatchObject({ code: 'VALIDATION', params: { item: 1 } })
    expect(error.params.issues).toEqual([{ path: 'items.1.value', message: expect.stringContaining('KiB') }])
    expect(snapshot()).toEqual(before)
  })

  it('refuses an invalid item before anything runs, with its index in the issue path', async () => {
    const before = snapshot()
    const error = await h.errorOf('connections.upsertBatch', {
      items: [
        item('ext_0'),
        item('ext_1'),
        item('ext_2'),
        item('ext_3', { type: 'BASIC_AUTH' }),
        item('ext_4', { displayName: '' }),
      ],
    })
    expect(error.code).toBe('VALIDATION')
    const paths = error.params.issues!.map((issue) => issue.path)
    expect(paths).toContain('items.3.value.type')
    expect(paths).toContain('items.4.displayName')
    expect(error.params.message).toMatch(/^Item 4: The value is for a “secret text” connection/)
    expect(snapshot()).toEqual(before)
    expect(h.events).toEqual([])
  })

  it('takes 1 to 500 items and refuses 0 and 501', async () => {
    for (const items of [[], Array.from({ length: 501 }, (_, index) => item(`ext_${index}`))]) {
      const error = await h.errorOf('connections.upsertBatch', { items })
      expect(error).toMatchObject({ code: 'VALIDATION', params: { issues: [{ path: 'items' }] } })
      expect(error.params.message).toContain('1 to 500')
    }
    expect(count('connections')).toBe(0)
    const { results } = await batch(Array.from({ length: 500 }, (_, index) => item(`ext_${index}`)))
    expect(results).toHaveLength(500)
    expect(new Set(results.map((result) => result.connection.id)).size).toBe(500)
    expect(count('connections')).toBe(500)
  })

  it('refuses unknown fields on the batch and its items', async () => {
    expect((await h.errorOf('connections.upsertBatch', { items: [item('a')], force: true })).code).toBe(
      'VALIDATION',
    )
    const error = await h.errorOf('connections.upsertBatch', { items: [item('a', { secret: 'x' })] })
    expect(error.params.issues!.map((issue) => issue.path)).toEqual(['items.0'])
  })

  it('answers VAULT_LOCKED while the vault is locked', async () => {
    await h.call('vault.lock')
    expect((await h.errorOf('connections.upsertBatch', { items: [item('ext_1')] })).code).toBe('VAULT_LOCKED')
  })

  it('never puts a secret in its answer, the audit log or the outbox', async () => {
    insertRemote(h.session, 'remote_a')
    const secrets = ['batch-secret-one', 'batch-secret-two', 'batch-basic-password']
    const result = await batch([
      item('ext_1', { value: secretText(secrets[0]) }),
      item('ext_2', { value: secretText(secrets[1]), remoteId: 'remote_a' }),
      item('ext_3', {
        type: 'BASIC_AUTH',
        value: { type: 'BASIC_AUTH', username: 'ada', password: secrets[2] },
      }),
    ])
    const stored = JSON.stringify([
      result,
      h.session.db.prepare('SELECT * FROM audit_log').all(),
      h.session.db.prepare('SELECT * FROM sync_outbox').all(),
      h.events,
    ])
    for (const secret of secrets) expect(stored).not.toContain(secret)
    expect(result.results.every((entry) => entry.connection.hasValue)).toBe(true)
  })

  it('gives connections created together ids in creation order', async () => {
    const { results } = await batch([item('ext_earlier')])
    h.clock.advance(1)
    const later = await h.upsert({ externalId: 'ext_later' })
    expect(results[0]!.connection.id < later.id).toBe(true)
    expect(later.id).toMatch(/^conn_[-0-9A-Za-z_]{24}$/)
  })
})
