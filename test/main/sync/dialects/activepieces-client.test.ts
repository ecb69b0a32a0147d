import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSyncServer, type SyncServer } from '../../../support/sync-server'
import { clientFor, pullAll, remoteFailure, secretText, signal } from './support'

let server: SyncServer

beforeEach(async () => {
  server = await startSyncServer({ dialect: 'activepieces' })
})
afterEach(async () => {
  await server.close()
})

describe('Activepieces client', () => {
  it('upserts by externalId: a second upsert updates the same row, the remote holds the latest secret', async () => {
    const client = clientFor(server.target)
    const first = await client.upsert({ ...secretText('ext-1', 'first'), metadata: { team: 'a' } }, signal)
    const second = await client.upsert(secretText('ext-1', 'second'), signal)

    expect(second.remoteId).toBe(first.remoteId)
    expect(server.writes().map((write) => write.op)).toEqual(['create', 'update'])
    const [row] = server.rows('activepieces')
    expect(row).toMatchObject({ externalId: 'ext-1', value: { type: 'SECRET_TEXT', secret_text: 'second' } })
    // Omitted metadata is kept by the real server's upsert.
    expect(row!.metadata).toEqual({ team: 'a' })
  })

  it('pulls owner, flowIds and status, and tolerates fields it does not know', async () => {
    const client = clientFor(server.target)
    const created = await client.upsert(secretText('ext-flow', 'value'), signal)
    const flow = server.addFlow({ draftRefs: ['ext-flow'] })

    const { rows } = await pullAll(client)
    expect(rows).toEqual([
      expect.objectContaining({
        remoteId: created.remoteId,
        externalId: 'ext-flow',
        status: 'ACTIVE',
        flowIds: [flow.id],
        owner: expect.objectContaining({ email: 'owner@team.test' }),
      }),
    ])
    expect(rows[0]).not.toHaveProperty('pieceVersion')
    expect(rows[0]).not.toHaveProperty('value')
  })

  it('updates name and metadata, replacing metadata, keeping flowIds the pull knew', async () => {
    const client = clientFor(server.target)
    await client.upsert({ ...secretText('ext-2', 'secret'), metadata: { a: 1 } }, signal)
    server.addFlow({ draftRefs: ['ext-2'] })
    const [pulled] = (await pullAll(client)).rows

    const updated = await client.updateMetadata(
      pulled!,
      { displayName: 'Renamed', metadata: { b: 2 } },
      signal,
    )
    expect(updated).toMatchObject({ displayName: 'Renamed', metadata: { b: 2 }, flowIds: pulled!.flowIds })
    expect(server.rows('activepieces')[0]).toMatchObject({ displayName: 'Renamed', metadata: { b: 2 } })
    expect(server.rows('activepieces')[0]!.value).toEqual({ type: 'SECRET_TEXT', secret_text: 'secret' })
  })

  it('deletes with 204 and treats an already deleted connection as deleted', async () => {
    const client = clientFor(server.target)
    const created = await client.upsert(secretText('ext-3', 'secret'), signal)
    await client.delete(created, signal)
    await client.delete(created, signal)
    expect(server.rows('activepieces')).toEqual([])
    expect(server.writes().filter((write) => write.op === 'delete')).toHaveLength(1)
  })

  it('lists owners with the required projectId', async () => {
    const owners = await clientFor(server.target).owners(signal)
    expect(owners).toEqual([{ id: 'owner@team.test', email: 'owner@team.test', name: 'Olive Owner' }])
    expect(server.requests().at(-1)?.query).toContain(`projectId=${server.projectId}`)
  })

  it('replaces a connection in flows with projectId, deleteSourceConnection and applyToPublishedVersions', async () => {
    const client = clientFor(server.target)
    const source = await client.upsert(secretText('old', 'a'), signal)
    const target = await client.upsert(secretText('new', 'b'), signal)
    const flow = server.addFlow({ draftRefs: ['old', 'other'], publishedRefs: ['old'] })

    await client.replace(
      {
        sourceRemoteId: source.remoteId,
        targetRemoteId: target.remoteId,
        deleteSourceConnection: true,
        applyToPublishedVersions: true,
      },
      signal,
    )
    expect(server.flows()).toEqual([{ ...flow, draftRefs: ['new', 'other'], publishedRefs: ['new'] }])
    expect(server.rows('activepieces').map((row) => row.externalId)).toEqual(['new'])
  })

  it('maps VALIDATION, which the real server sends as 409 {code, params}, to a VALIDATION error', async () => {
    const client = clientFor(server.target)
    const slack = await client.upsert(secretText('slack', 'a'), signal)
    const github = await client.upsert(secretText('github', 'b', '@activepieces/piece-github'), signal)

    const error = await remoteFailure(
      client.replace(
        {
          sourceRemoteId: slack.remoteId,
          targetRemoteId: github.remoteId,
          deleteSourceConnection: false,
          applyToPublishedVersions: false,
        },
        signal,
      ),
    )
    expect(error).toMatchObject({
      kind: 'http',
      status: 409,
      appCode: 'VALIDATION',
      remoteCode: 'VALIDATION',
    })
    expect(error.message).toContain('Connections must be from the same app')
    expect(error.transient).toBe(false)
  })

  it('refuses to delete a source still used by published flows that were not updated (409)', async () => {
    const client = clientFor(server.target)
    const source = await client.upsert(secretText('old', 'a'), signal)
    const target = await client.upsert(secretText('new', 'b'), signal)
    server.addFlow({ draftRefs: ['old'], publishedRefs: ['old'] })
    const error = await remoteFailure(
      client.replace(
        {
          sourceRemoteId: source.remoteId,
          targetRemoteId: target.remoteId,
          deleteSourceConnection: true,
          applyToPublishedVersions: false,
        },
        signal,
      ),
    )
    expect(error).toMatchObject({ status: 409, appCode: 'VALIDATION' })
    expect(server.rows('activepieces')).toHaveLength(2)
  })

  it("maps Fastify's 400 schema body to a VALIDATION error naming the field", async () => {
    const client = clientFor(server.target)
    const created = await client.upsert(secretText('ext-4', 'secret'), signal)
    const error = await remoteFailure(client.updateMetadata(created, { displayName: '' }, signal))
    expect(error).toMatchObject({ status: 400, appCode: 'VALIDATION', remoteCode: 'FST_ERR_VALIDATION' })
    expect(error.message).toContain('displayName')
  })

  it('maps a connection that is gone to ENTITY_NOT_FOUND with its id', async () => {
    const client = clientFor(server.target)
    const created = await client.upsert(secretText('ext-5', 'secret'), signal)
    await client.delete(created, signal)
    const error = await remoteFailure(client.updateMetadata(created, { displayName: 'x' }, signal))
    expect(error).toMatchObject({ status: 404, appCode: 'ENTITY_NOT_FOUND', remoteCode: 'ENTITY_NOT_FOUND' })
    expect(error.message).toContain(created.remoteId)
  })

  it('maps a wrong key to AUTHENTICATION and a key without permission to FORBIDDEN, never echoing the key', async () => {
    const wrong = await remoteFailure(pullAll(clientFor({ ...server.target, apiKey: 'sk-wrong-key-1234' })))
    expect(wrong).toMatchObject({ status: 401, appCode: 'AUTHENTICATION', remoteCode: 'AUTHENTICATION' })
    expect(wrong.message).not.toContain('sk-wrong-key-1234')

    const forbidden = await remoteFailure(
      pullAll(clientFor({ ...server.target, apiKey: server.forbiddenApiKey })),
    )
    expect(forbidden).toMatchObject({ status: 403, appCode: 'FORBIDDEN', remoteCode: 'PERMISSION_DENIED' })
  })

  it('takes a base URL given with its /api/v1 as meant', async () => {
    await clientFor(server.target).upsert(secretText('ext-6', 'secret'), signal)
    const { rows } = await pullAll(clientFor({ ...server.target, baseUrl: `${server.url}/api/v1/` }))
    expect(rows.map((row) => row.externalId)).toEqual(['ext-6'])
  })

  it('needs a project id before it sends anything', async () => {
    const { projectId: _dropped, ...withoutProject } = server.target
    const error = await remoteFailure(pullAll(clientFor(withoutProject)))
    expect(error.kind).toBe('unsupported')
    expect(server.requests()).toEqual([])
  })

  it('hands an OAuth2 code to the remote, which claims it itself; claimed_at is in seconds', async () => {
    const client = clientFor(server.target)
    const redirectUrl = 'http://127.0.0.1:53682/callback'
    const code = server.issueAuthorizationCode({
      clientId: 'app',
      redirectUrl,
      codeVerifier: 'verifier-abc',
      scope: 'read',
    })
    const before = Math.floor(Date.now() / 1000)

    const created = await client.upsert(
      {
        externalId: 'oauth-1',
        displayName: 'OAuth',
        pieceName: '@activepieces/piece-gmail',
        type: 'OAUTH2',
        projectIds: [],
        value: {
          type: 'OAUTH2',
          access_token: 'local-placeholder',
          token_url: 'https://provider.test/token',
        },
        oauthCodeClaim: {
          code,
          codeVerifier: 'verifier-abc',
          redirectUrl,
          clientId: 'app',
          clientSecret: 'shh',
          scope: 'read',
        },
      },
      signal,
    )
    expect(created).toMatchObject({ type: 'OAUTH2', status: 'ACTIVE' })
    expect(server.tokenClaims()).toBe(1)
    const value = server.rows('activepieces')[0]!.value
    expect(value.access_token).toMatch(/^at-/)
    expect(value.claimed_at).toBeGreaterThanOrEqual(before)
    expect(value.claimed_at).toBeLessThan(before + 60)
  })

  it('reports a code the provider refuses (wrong verifier) as OAUTH_FAILED and stores nothing', async () => {
    const client = clientFor(server.target)
    const redirectUrl = 'http://127.0.0.1:53682/callback'
    const code = server.issueAuthorizationCode({ clientId: 'app', redirectUrl, codeVerifier: 'right' })
    const error = await remoteFailure(
      client.upsert(
        {
          externalId: 'oauth-2',
          displayName: 'OAuth',
          pieceName: '@activepieces/piece-gmail',
          type: 'OAUTH2',
          projectIds: [],
          value: { type: 'OAUTH2', access_token: 'x', token_url: 'https://provider.test/token' },
          oauthCodeClaim: { code, codeVerifier: 'wrong', redirectUrl, clientId: 'app', clientSecret: 'shh' },
        },
        signal,
      ),
    )
    expect(error).toMatchObject({ status: 400, appCode: 'OAUTH_FAILED', remoteCode: 'INVALID_CLAIM' })
    expect(error.message).toContain('verifier')
    expect(server.rows('activepieces')).toEqual([])
  })

  it('refuses to upload minted OAuth2 tokens, which the real server has no schema for, without a request', async () => {
    const error = await remoteFailure(
      clientFor(server.target).upsert(
        {
          externalId: 'oauth-3',
          displayName: 'OAuth',
          pieceName: '@activepieces/piece-gmail',
          type: 'OAUTH2',
          projectIds: [],
          value: { type: 'OAUTH2', access_token: 'minted', token_url: 'https://provider.test/token' },
        },
        signal,
      ),
    )
    expect(error.kind).toBe('unsupported')
    expect(error.message).not.toContain('minted')
    expect(server.requests()).toEqual([])
  })
})
