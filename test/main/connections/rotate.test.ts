import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection, AuditPage, ConnectionValue } from '../../../src/shared/contract'
import { SECRET_FIELD_MAX_BYTES } from '../../../src/shared/contract/connections'
import { connectionsHarness, insertRemote, secretText, type ConnectionsHarness } from './support'

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

const rotate = (id: string, value: ConnectionValue) =>
  h.call<AppConnection>('connections.rotate', { id, value })
const reveal = async (id: string) =>
  (await h.call<{ value: ConnectionValue }>('connections.reveal', { id })).value
const auditActions = async (id: string) =>
  (await h.call<AuditPage>('audit.list', { entityId: id })).data.map((entry) => entry.action)
const outbox = () =>
  h.session.db.prepare('SELECT connection_id, operation, payload FROM sync_outbox ORDER BY rowid').all() as {
    connection_id: string
    operation: string
    payload: string
  }[]

const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  '\tindented line with a tab and trailing spaces   ',
  '-----END PRIVATE KEY-----',
  '',
].join('\n')

describe('connections.rotate', () => {
  it('replaces the value and keeps the id, externalId, name, metadata and flow references', async () => {
    const connection = await h.upsert({
      externalId: 'ext_keep',
      metadata: { team: 'ops' },
      value: secretText('old'),
    })
    await h.call('flows.link', { flowId: 'flow_1', connectionId: connection.id, flowName: 'Digest' })
    await h.call('flows.link', { flowId: 'flow_2', connectionId: connection.id, active: false })
    h.clock.advance(60_000)

    const rotated = await rotate(connection.id, secretText(PEM))

    expect(rotated).toMatchObject({
      id: connection.id,
      externalId: 'ext_keep',
      displayName: connection.displayName,
      metadata: { team: 'ops' },
      flowIds: ['flow_1', 'flow_2'],
      status: 'ACTIVE',
    })
    expect(rotated.health.lastRotatedAt).toBe(new Date(h.clock.now()).toISOString())
    expect(await reveal(connection.id)).toEqual(secretText(PEM))
    expect((await h.call<{ data: unknown[] }>('connections.list', {})).data).toHaveLength(1)
    expect(JSON.stringify(rotated)).not.toContain('BEGIN PRIVATE KEY')
  })

  it('writes exactly one audit entry, without the secret', async () => {
    const connection = await h.upsert()
    const before = await auditActions(connection.id)
    await rotate(connection.id, secretText('brand-new-secret'))
    const after = await auditActions(connection.id)
    expect(after.length - before.length).toBe(1)
    expect(after[0]).toBe('connection.rotate')
    const audit = await h.call<AuditPage>('audit.list', { entityId: connection.id })
    expect(JSON.stringify(audit)).not.toContain('brand-new-secret')
  })

  it('refuses a value of another type with the contract error object, and writes nothing', async () => {
    insertRemote(h.session, 'remote_a')
    const connection = await h.upsert({ remoteId: 'remote_a', value: secretText('kept') })
    const queued = outbox().length
    const audited = (await auditActions(connection.id)).length
    h.clock.advance(1000)

    const error = await h.errorOf('connections.rotate', {
      id: connection.id,
      value: { type: 'BASIC_AUTH', username: 'u', password: 'p' },
    })

    expect(error).toMatchObject({
      code: 'VALIDATION',
      params: { issues: [{ path: 'value.type' }] },
    })
    expect(error.params.message).toContain('but this connection')
    expect(error.params.message).not.toMatch(/SECRET_TEXT|BASIC_AUTH/)
    expect(await reveal(connection.id)).toEqual(secretText('kept'))
    expect(outbox()).toHaveLength(queued)
    // Only the reveal just above was added.
    expect(await auditActions(connection.id)).toHaveLength(audited + 1)
    const current = await h.call<AppConnection>('connections.get', { id: connection.id })
    expect(current.updated).toBe(connection.updated)
  })

  it('refuses what upsert refuses: an empty secret, an unknown field, a field over 64 KiB', async () => {
    const connection = await h.upsert()
    const empty = await h.errorOf('connections.rotate', { id: connection.id, value: secretText('') })
    expect(empty.code).toBe('VALIDATION')
    const extra = await h.errorOf('connections.rotate', {
      id: connection.id,
      value: { type: 'SECRET_TEXT', secret_text: 'x', other: 1 },
    })
    expect(extra.code).toBe('VALIDATION')
    const huge = await h.errorOf('connections.rotate', {
      id: connection.id,
      value: secretText('x'.repeat(SECRET_FIELD_MAX_BYTES + 1)),
    })
    expect(huge.code).toBe('VALIDATION')
    expect(JSON.stringify(huge)).toContain('64 KiB')
    const missing = await h.errorOf('connections.rotate', { id: 'conn_nope', value: secretText('x') })
    expect(missing.code).toBe('ENTITY_NOT_FOUND')
  })

  it('keeps a 64 KiB value with newlines, tabs, edge spaces and any Unicode byte for byte', async () => {
    const connection = await h.upsert()
    const unicode = '  é 🔑 \u00a0\r\n\tend  '
    const big = unicode + 'a'.repeat(SECRET_FIELD_MAX_BYTES - new TextEncoder().encode(unicode).length)
    expect(new TextEncoder().encode(big).length).toBe(SECRET_FIELD_MAX_BYTES)
    await rotate(connection.id, secretText(big))
    expect(await reveal(connection.id)).toEqual(secretText(big))
  })

  it('gives a MISSING placeholder its credentials back: ACTIVE again, flows still attached', async () => {
    const connection = await h.upsert({ externalId: 'ext_gone' })
    await h.call('flows.link', { flowId: 'flow_1', connectionId: connection.id })
    await h.call('connections.delete', { id: connection.id, force: true })
    const placeholder = await h.call<AppConnection>('connections.get', { id: connection.id })
    expect(placeholder).toMatchObject({ status: 'MISSING', hasValue: false })

    const restored = await rotate(connection.id, secretText('provided-again'))

    expect(restored).toMatchObject({
      id: connection.id,
      externalId: 'ext_gone',
      status: 'ACTIVE',
      statusReason: null,
      hasValue: true,
      flowIds: ['flow_1'],
    })
    expect(await reveal(connection.id)).toEqual(secretText('provided-again'))
  })

  it('queues one push for a connection with a remote, without the secret, and none for a local one', async () => {
    insertRemote(h.session, 'remote_a')
    const local = await h.upsert()
    const synced = await h.upsert({ remoteId: 'remote_a' })
    const before = outbox().length

    await rotate(local.id, secretText('local-rotated'))
    const rotated = await rotate(synced.id, secretText('remote-rotated'))

    const added = outbox().slice(before)
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({ connection_id: synced.id, operation: 'upsert' })
    expect(added[0]!.payload).not.toContain('remote-rotated')
    expect(JSON.parse(added[0]!.payload)).toMatchObject({ externalId: synced.externalId })
    expect(rotated.syncState).toBe('PENDING')
  })

  it('clears ERROR and announces the change once', async () => {
    const connection = await h.upsert()
    h.session.db
      .prepare(`UPDATE connections SET status = 'ERROR', status_reason = 'invalid_grant' WHERE id = ?`)
      .run(connection.id)
    h.events.length = 0
    const fixed = await rotate(connection.id, secretText('fresh'))
    expect(fixed).toMatchObject({ status: 'ACTIVE', statusReason: null })
    expect(h.events).toEqual([
      { name: 'connections.changed', payload: { ids: [connection.id], kind: 'updated' } },
    ])
  })
})
