import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection, AuditPage, Page } from '../../../src/shared/contract'
import { connectionsHarness, insertRemote, secretText, SLACK, type ConnectionsHarness } from './support'

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

const list = (input: Record<string, unknown> = {}) => h.call<Page<AppConnection>>('connections.list', input)

describe('connections.upsert', () => {
  it('creates a connection and answers it without its value', async () => {
    const result = await h.call<{ connection: AppConnection; created: boolean }>('connections.upsert', {
      displayName: 'Company Slack',
      pieceName: SLACK,
      pieceVersion: '0.10.0',
      type: 'SECRET_TEXT',
      externalId: 'ext_slack_main',
      value: secretText('xoxb-very-secret'),
      metadata: { team: 'ops' },
    })
    expect(result.created).toBe(true)
    expect(result.connection).toMatchObject({
      externalId: 'ext_slack_main',
      displayName: 'Company Slack',
      type: 'SECRET_TEXT',
      status: 'ACTIVE',
      scope: 'PROJECT',
      metadata: { team: 'ops' },
      flowIds: [],
      hasValue: true,
      remoteId: null,
      syncState: 'LOCAL',
    })
    expect(result.connection.id).toMatch(/^conn_/)
    expect(JSON.stringify(result)).not.toContain('xoxb-very-secret')
  })

  it('updates the connection with the same externalId, remote and piece instead of creating one', async () => {
    const first = await h.upsert({ externalId: 'ext_same', value: secretText('old-secret') })
    h.clock.advance(1000)
    const again = await h.call<{ connection: AppConnection; created: boolean }>('connections.upsert', {
      displayName: 'Renamed',
      pieceName: SLACK,
      pieceVersion: '0.11.0',
      type: 'SECRET_TEXT',
      externalId: 'ext_same',
      value: secretText('new-secret'),
    })
    expect(again.created).toBe(false)
    expect(again.connection.id).toBe(first.id)
    expect(again.connection.displayName).toBe('Renamed')
    expect(again.connection.health.lastRotatedAt).toBe(new Date(h.clock.now()).toISOString())
    const revealed = await h.call<{ value: unknown }>('connections.reveal', { id: first.id })
    expect(revealed.value).toEqual(secretText('new-secret'))
    expect((await list()).data).toHaveLength(1)
  })

  it('creates separate connections for the same externalId on another piece or remote', async () => {
    insertRemote(h.session, 'remote_a')
    const local = await h.upsert({ externalId: 'shared' })
    const otherPiece = await h.upsert({ externalId: 'shared', pieceName: '@activepieces/piece-gmail' })
    const remote = await h.upsert({ externalId: 'shared', remoteId: 'remote_a' })
    expect(new Set([local.id, otherPiece.id, remote.id]).size).toBe(3)
  })

  it('clears ERROR when fresh credentials arrive', async () => {
    const connection = await h.upsert({ externalId: 'broken' })
    h.session.db
      .prepare(`UPDATE connections SET status = 'ERROR', status_reason = 'invalid_grant' WHERE id = ?`)
      .run(connection.id)
    const fixed = await h.upsert({ externalId: 'broken' })
    expect(fixed).toMatchObject({ id: connection.id, status: 'ACTIVE', statusReason: null })
  })

  it('computes token expiry from claimed_at (seconds, or milliseconds as the document sends) and expires_in', async () => {
    const oauth = (claimedAt: number) => ({
      type: 'OAUTH2',
      value: {
        type: 'OAUTH2',
        client_id: 'client',
        client_secret: 'client-secret',
        access_token: 'access-token',
        refresh_token: 'refresh-token',
        token_type: 'Bearer',
        expires_in: 3600,
        claimed_at: claimedAt,
        token_url: 'https://oauth.example.com/token',
        grant_type: 'AUTHORIZATION_CODE',
        data: {},
      },
    })
    const seconds = Date.UTC(2026, 0, 1) / 1000
    const bySeconds = await h.upsert(oauth(seconds))
    const byMillis = await h.upsert(oauth(seconds * 1000))
    const expected = new Date(Date.UTC(2026, 0, 1, 1)).toISOString()
    expect(bySeconds.health.tokenExpiresAt).toBe(expected)
    expect(byMillis.health.tokenExpiresAt).toBe(expected)
    const stored = await h.call<{ value: { claimed_at: number; grant_type: string } }>('connections.reveal', {
      id: byMillis.id,
    })
    expect(stored.value.claimed_at).toBe(seconds)
    expect(stored.value.grant_type).toBe('authorization_code')
  })

  it('stores NO_AUTH without a value', async () => {
    const connection = await h.upsert({ type: 'NO_AUTH', value: undefined })
    expect(connection.type).toBe('NO_AUTH')
    const revealed = await h.call<{ value: unknown }>('connections.reveal', { id: connection.id })
    expect(revealed.value).toEqual({ type: 'NO_AUTH' })
  })

  const base = {
    displayName: 'X',
    pieceName: SLACK,
    pieceVersion: '1.0.0',
  }
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['value.type differs from type', { ...base, type: 'BASIC_AUTH', value: secretText() }, /must be equal/],
    [
      'OAUTH2 without an access token',
      { ...base, type: 'OAUTH2', value: { type: 'OAUTH2', token_url: 'https://t.example.com' } },
      /access_token/,
    ],
    [
      'OAUTH2 without a token URL',
      { ...base, type: 'OAUTH2', value: { type: 'OAUTH2', access_token: 'a' } },
      /token_url/,
    ],
    [
      'BASIC_AUTH without a username',
      { ...base, type: 'BASIC_AUTH', value: { type: 'BASIC_AUTH', password: 'p' } },
      /username/,
    ],
    [
      'CUSTOM_AUTH with an empty property name',
      { ...base, type: 'CUSTOM_AUTH', value: { type: 'CUSTOM_AUTH', props: { '': 'x' } } },
      /property/,
    ],
    [
      'NO_AUTH with fields',
      { ...base, type: 'NO_AUTH', value: { type: 'NO_AUTH', token: 'x' } },
      /token|Unrecognized/i,
    ],
    [
      'an unknown field in the value',
      { ...base, type: 'SECRET_TEXT', value: { ...secretText(), extra: 1 } },
      /extra|Unrecognized/i,
    ],
    [
      'an unknown field in the body',
      { ...base, type: 'SECRET_TEXT', value: secretText(), colour: 'red' },
      /colour/,
    ],
    ['a missing value', { ...base, type: 'SECRET_TEXT' }, /needs a value/],
    [
      'a missing pieceVersion',
      { ...base, pieceVersion: undefined, type: 'SECRET_TEXT', value: secretText() },
      /pieceVersion/,
    ],
    ['an empty secret', { ...base, type: 'SECRET_TEXT', value: secretText('') }, /secret/],
  ]
  it.each(refused)('refuses %s with VALIDATION and writes nothing', async (_name, input, message) => {
    const error = await h.errorOf('connections.upsert', input)
    expect(error.code).toBe('VALIDATION')
    expect(error.statusCode).toBe(400)
    expect(JSON.stringify(error.params)).toMatch(message)
    expect((await list()).data).toHaveLength(0)
  })

  it('accepts each of the eight value types', async () => {
    const oauthBase = { access_token: 'a', token_url: 'https://t.example.com/token' }
    const values = [
      { type: 'OAUTH2', ...oauthBase, client_secret: 's', redirect_url: 'https://r' },
      { type: 'CLOUD_OAUTH2', ...oauthBase },
      { type: 'PLATFORM_OAUTH2', ...oauthBase, redirect_url: 'https://r' },
      { type: 'SECRET_TEXT', secret_text: 's' },
      { type: 'BASIC_AUTH', username: 'u', password: 'p' },
      { type: 'CUSTOM_AUTH', props: { apiKey: 'k', region: 'eu' } },
      { type: 'OIDC', props: { issuer: 'https://id.example.com' } },
      { type: 'NO_AUTH' },
    ]
    for (const value of values) await h.upsert({ type: value.type, value })
    expect((await list({ limit: 100 })).data.map((c) => c.type).sort()).toEqual(
      values.map((v) => v.type).sort(),
    )
  })

  it('refuses a remoteId that names no remote', async () => {
    const error = await h.errorOf('connections.upsert', {
      ...base,
      type: 'SECRET_TEXT',
      value: secretText(),
      remoteId: 'remote_nope',
    })
    expect(error.code).toBe('VALIDATION')
    expect(error.params.message).toContain('remote_nope')
  })

  it('queues a sync outbox entry without the secret for a connection with a remote, and none for a local one', async () => {
    insertRemote(h.session, 'remote_a')
    await h.upsert({ value: secretText('local-secret') })
    const synced = await h.upsert({ remoteId: 'remote_a', value: secretText('remote-secret') })
    expect(synced.syncState).toBe('PENDING')
    const outbox = h.session.db.prepare('SELECT * FROM sync_outbox').all() as {
      remote_id: string
      connection_id: string
      operation: string
      payload: string
    }[]
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({ remote_id: 'remote_a', connection_id: synced.id, operation: 'upsert' })
    expect(outbox[0]!.payload).not.toContain('remote-secret')
  })

  it('emits connections.changed after the change commits, and nothing when it fails', async () => {
    const connection = await h.upsert()
    expect(h.events).toEqual([
      { name: 'connections.changed', payload: { ids: [connection.id], kind: 'created' } },
    ])
    await h.errorOf('connections.upsert', { ...base, type: 'SECRET_TEXT' })
    expect(h.events).toHaveLength(1)
  })

  it('answers VAULT_LOCKED while the vault is locked', async () => {
    await h.call('vault.lock')
    expect((await h.errorOf('connections.list', {})).code).toBe('VAULT_LOCKED')
    expect(
      (await h.errorOf('connections.upsert', { ...base, type: 'SECRET_TEXT', value: secretText() })).code,
    ).toBe('VAULT_LOCKED')
  })
})

describe('connections.create', () => {
  it('refuses an existing (remote, piece, externalId) with CONFLICT, the Weavz rule', async () => {
    const existing = await h.upsert({ externalId: 'user-42' })
    const error = await h.errorOf('connections.create', {
      displayName: 'Acme Slack',
      pieceName: SLACK,
      type: 'SECRET_TEXT',
      externalId: 'user-42',
      value: secretText(),
    })
    expect(error).toMatchObject({ statusCode: 409, code: 'CONFLICT', params: { entityId: existing.id } })
  })

  it('creates without an externalId or pieceVersion, using the id as the externalId', async () => {
    const result = await h.call<{ connection: AppConnection; created: boolean }>('connections.create', {
      displayName: 'Production OpenAI Key',
      pieceName: 'openai',
      type: 'SECRET_TEXT',
      value: secretText('sk-proj-abc'),
    })
    expect(result.created).toBe(true)
    expect(result.connection.externalId).toBe(result.connection.id)
    expect(result.connection.pieceVersion).toBeNull()
  })
})

describe('connections.get', () => {
  it('answers one connection without its value', async () => {
    const connection = await h.upsert({ value: secretText('hidden-value') })
    const got = await h.call<AppConnection>('connections.get', { id: connection.id })
    expect(got).toEqual(connection)
    expect(JSON.stringify(got)).not.toContain('hidden-value')
  })

  it('answers 404 ENTITY_NOT_FOUND naming an unknown id', async () => {
    expect(await h.errorOf('connections.get', { id: 'conn_nope' })).toEqual({
      statusCode: 404,
      code: 'ENTITY_NOT_FOUND',
      params: { entityType: 'app_connection', entityId: 'conn_nope', message: 'Connection not found' },
    })
  })
})

describe('connections.update', () => {
  it('changes the display name and metadata only, leaving credentials untouched', async () => {
    const connection = await h.upsert({ value: secretText('keep-me'), metadata: { a: 1 } })
    h.clock.advance(5000)
    const updated = await h.call<AppConnection>('connections.update', {
      id: connection.id,
      displayName: 'Updated Slack Connection',
      metadata: { environment: 'production' },
    })
    expect(updated).toMatchObject({
      id: connection.id,
      displayName: 'Updated Slack Connection',
      metadata: { environment: 'production' },
      updated: new Date(h.clock.now()).toISOString(),
    })
    expect(updated.health.lastRotatedAt).toBe(connection.health.lastRotatedAt)
    expect((await h.call<{ value: unknown }>('connections.reveal', { id: connection.id })).value).toEqual(
      secretText('keep-me'),
    )
    expect((await list({ displayName: 'updated slack' })).data.map((c) => c.id)).toEqual([connection.id])
  })

  it('refuses a value or an empty name, and answers 404 for an unknown id', async () => {
    const connection = await h.upsert()
    expect((await h.errorOf('connections.update', { id: connection.id, value: secretText() })).code).toBe(
      'VALIDATION',
    )
    expect((await h.errorOf('connections.update', { id: connection.id, displayName: '' })).code).toBe(
      'VALIDATION',
    )
    expect(await h.errorOf('connections.update', { id: 'conn_nope', displayName: 'x' })).toMatchObject({
      code: 'ENTITY_NOT_FOUND',
      params: { entityId: 'conn_nope' },
    })
  })
})

describe('connections.reveal', () => {
  it('answers the decrypted value and audits it without the value', async () => {
    const connection = await h.upsert({ value: secretText('the-real-secret') })
    const revealed = await h.call<{ id: string; value: unknown }>('connections.reveal', { id: connection.id })
    expect(revealed).toEqual({ id: connection.id, value: secretText('the-real-secret') })
    const audit = await h.call<AuditPage>('audit.list', { entityId: connection.id })
    expect(audit.data.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['connection.create', 'connection.reveal']),
    )
    expect(JSON.stringify(audit)).not.toContain('the-real-secret')
  })

  it('answers 404 for an unknown id', async () => {
    expect((await h.errorOf('connections.reveal', { id: 'conn_nope' })).code).toBe('ENTITY_NOT_FOUND')
  })
})

describe('connections.delete', () => {
  it('deletes an unused connection for good', async () => {
    const connection = await h.upsert()
    expect(await h.call('connections.delete', { id: connection.id })).toEqual({
      deleted: true,
      placeholder: null,
    })
    expect((await h.errorOf('connections.get', { id: connection.id })).code).toBe('ENTITY_NOT_FOUND')
    expect(h.events.at(-1)).toEqual({
      name: 'connections.changed',
      payload: { ids: [connection.id], kind: 'deleted' },
    })
  })

  it('refuses with the seed message while active flows use it', async () => {
    const connection = await h.upsert()
    for (const flowId of ['flow_1', 'flow_2', 'flow_3']) {
      await h.call('flows.link', { flowId, connectionId: connection.id })
    }
    await h.call('flows.link', { flowId: 'flow_off', connectionId: connection.id, active: false })
    expect(await h.errorOf('connections.delete', { id: connection.id })).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION',
      params: { message: 'Connection is used in 3 active flows. Please remove it from flows first.' },
    })
    expect((await h.call<AppConnection>('connections.get', { id: connection.id })).hasValue).toBe(true)
  })

  it('leaves a MISSING placeholder without a value when forced, so flow references survive', async () => {
    const connection = await h.upsert({ externalId: 'ext_used' })
    await h.call('flows.link', { flowId: 'flow_1', connectionId: connection.id })
    const result = await h.call<{ placeholder: AppConnection }>('connections.delete', {
      id: connection.id,
      force: true,
    })
    expect(result.placeholder).toMatchObject({
      id: connection.id,
      externalId: 'ext_used',
      status: 'MISSING',
      hasValue: false,
      flowIds: ['flow_1'],
    })
    expect((await h.errorOf('connections.reveal', { id: connection.id })).code).toBe('ENTITY_NOT_FOUND')
    expect((await list({ status: ['MISSING'] })).data.map((c) => c.id)).toEqual([connection.id])
    // Re-adding the credentials under the same externalId fills the placeholder back in.
    const restored = await h.upsert({ externalId: 'ext_used' })
    expect(restored).toMatchObject({
      id: connection.id,
      status: 'ACTIVE',
      hasValue: true,
      flowIds: ['flow_1'],
    })
    const revealed = await h.call<{ value: unknown }>('connections.reveal', { id: connection.id })
    expect(revealed.value).toEqual(secretText())
  })

  it('answers 404 for an unknown id', async () => {
    expect((await h.errorOf('connections.delete', { id: 'conn_nope' })).code).toBe('ENTITY_NOT_FOUND')
  })
})

describe('connections.replace', () => {
  it('moves every flow reference from source to target and audits it', async () => {
    const source = await h.upsert()
    const target = await h.upsert()
    await h.call('flows.link', { flowId: 'flow_1', connectionId: source.id })
    await h.call('flows.link', { flowId: 'flow_2', connectionId: source.id, active: false })
    await h.call('flows.link', { flowId: 'flow_2', connectionId: target.id })
    const result = await h.call('connections.replace', {
      sourceAppConnectionId: source.id,
      targetAppConnectionId: target.id,
    })
    expect(result).toEqual({ movedFlowReferences: 2 })
    expect((await h.call<AppConnection>('connections.get', { id: source.id })).flowIds).toEqual([])
    expect((await h.call<AppConnection>('connections.get', { id: target.id })).flowIds).toEqual([
      'flow_1',
      'flow_2',
    ])
    const audit = await h.call<AuditPage>('audit.list', { entityId: source.id })
    expect(audit.data.map((entry) => entry.action)).toContain('connection.replace')
    expect(h.events.at(-1)).toEqual({
      name: 'connections.changed',
      payload: { ids: [source.id, target.id], kind: 'replaced' },
    })
  })

  it('refuses unknown connections, different pieces and replacing a connection with itself', async () => {
    const slack = await h.upsert()
    const gmail = await h.upsert({ pieceName: '@activepieces/piece-gmail' })
    const replace = (sourceAppConnectionId: string, targetAppConnectionId: string) =>
      h.errorOf('connections.replace', { sourceAppConnectionId, targetAppConnectionId })
    expect(await replace('conn_nope', slack.id)).toMatchObject({
      code: 'ENTITY_NOT_FOUND',
      params: { entityId: 'conn_nope' },
    })
    expect(await replace(slack.id, 'conn_gone')).toMatchObject({
      code: 'ENTITY_NOT_FOUND',
      params: { entityId: 'conn_gone' },
    })
    expect(await replace(slack.id, gmail.id)).toMatchObject({
      code: 'VALIDATION',
      params: { message: 'Connections must be from the same app.' },
    })
    expect((await replace(slack.id, slack.id)).code).toBe('VALIDATION')
    expect((await h.errorOf('connections.replace', { sourceAppConnectionId: slack.id })).code).toBe(
      'VALIDATION',
    )
  })
})

describe('flows', () => {
  it('links, lists and unlinks flow references, and refuses an unknown connection', async () => {
    const connection = await h.upsert()
    await h.call('flows.link', { flowId: 'flow_1', connectionId: connection.id, flowName: 'Daily digest' })
    expect(await h.call('flows.list', { connectionId: connection.id })).toEqual([
      {
        flowId: 'flow_1',
        connectionId: connection.id,
        flowName: 'Daily digest',
        projectId: null,
        active: true,
      },
    ])
    expect(await h.call('flows.unlink', { flowId: 'flow_1', connectionId: connection.id })).toEqual({
      removed: true,
    })
    expect(await h.call('flows.unlink', { flowId: 'flow_1', connectionId: connection.id })).toEqual({
      removed: false,
    })
    expect((await h.errorOf('flows.link', { flowId: 'f', connectionId: 'conn_nope' })).code).toBe(
      'ENTITY_NOT_FOUND',
    )
    expect((await h.errorOf('flows.list', { connectionId: 'conn_nope' })).code).toBe('ENTITY_NOT_FOUND')
  })
})

describe('connections.owners', () => {
  it('answers distinct owners ordered by email, paged', async () => {
    const owners = [
      ['b@example.com', 'Bea', 'Two'],
      ['a@example.com', 'Al', 'One'],
      ['c@example.com', 'Cy', 'Three'],
    ]
    for (const [email, first, last] of [...owners, owners[0]!]) {
      const connection = await h.upsert()
      h.session.db
        .prepare(
          'UPDATE connections SET owner_email = ?, owner_first_name = ?, owner_last_name = ? WHERE id = ?',
        )
        .run(email, first, last, connection.id)
    }
    const first = await h.call<Page<{ email: string }>>('connections.owners', { limit: 2 })
    expect(first.data).toEqual([
      { email: 'a@example.com', firstName: 'Al', lastName: 'One' },
      { email: 'b@example.com', firstName: 'Bea', lastName: 'Two' },
    ])
    expect(first.previous).toBeNull()
    const second = await h.call<Page<{ email: string }>>('connections.owners', {
      limit: 2,
      cursor: first.next,
    })
    expect(second.data.map((o) => o.email)).toEqual(['c@example.com'])
    expect(second.next).toBeNull()
    const back = await h.call<Page<{ email: string }>>('connections.owners', {
      limit: 2,
      cursor: second.previous,
    })
    expect(back.data.map((o) => o.email)).toEqual(['a@example.com', 'b@example.com'])
    expect(back.previous).toBeNull()
  })
})
