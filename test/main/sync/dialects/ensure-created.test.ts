import { afterEach, describe, expect, it } from 'vitest'
import { ensureCreated, recreate } from '../../../../src/main/sync/dialects/ensure-created'
import { startSyncServer, type SyncServer } from '../../../support/sync-server'
import { clientFor, remoteFailure, secretText, signal } from './support'

let server: SyncServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

const creates = (remote: SyncServer) => remote.writes().filter((write) => write.op === 'create')

describe('repeat-safe creates on Weavz', () => {
  it('adopts a create whose answer was lost instead of creating it twice', async () => {
    const remote = (server = await startSyncServer({ dialect: 'weavz' }))
    const client = clientFor(remote.target)
    remote.faults.add({ kind: 'lost-response', match: { method: 'POST', dialect: 'weavz' }, times: 1 })

    const lost = await remoteFailure(client.upsert(secretText('user-1', 'secret', 'slack'), signal))
    expect(lost.kind).toBe('reset')
    expect(lost.transient).toBe(true)

    const ensured = await ensureCreated(client, secretText('user-1', 'secret', 'slack'), signal)
    expect(ensured.written).toBe(false)
    expect(creates(remote)).toHaveLength(1)
    expect(remote.rows('weavz')).toEqual([
      expect.objectContaining({
        id: ensured.connection.remoteId,
        value: { type: 'SECRET_TEXT', secret_text: 'secret' },
      }),
    ])
  })

  it('rotation (delete then create) stopped after the delete: a rerun creates once, the remote holds the new secret', async () => {
    const remote = (server = await startSyncServer({ dialect: 'weavz' }))
    const client = clientFor(remote.target)
    const old = await client.upsert(secretText('user-2', 'old', 'slack'), signal)
    // The process dies after the delete: the create never reaches the server.
    remote.faults.add({ kind: 'status', status: 503, match: { method: 'POST', dialect: 'weavz' }, times: 1 })
    const stopped = await remoteFailure(
      recreate(
        client,
        { previousRemoteId: old.remoteId, upsert: secretText('user-2', 'new', 'slack') },
        signal,
      ),
    )
    expect(stopped.status).toBe(503)
    expect(remote.rows('weavz')).toEqual([])

    const rerun = await recreate(
      client,
      { previousRemoteId: old.remoteId, upsert: secretText('user-2', 'new', 'slack') },
      signal,
    )
    expect(rerun.written).toBe(true)
    expect(remote.rows('weavz')).toEqual([
      expect.objectContaining({ externalId: 'user-2', value: { type: 'SECRET_TEXT', secret_text: 'new' } }),
    ])
    expect(creates(remote)).toHaveLength(2)
  })

  it('rotation whose create answer was lost: a rerun adopts the new row and deletes nothing more', async () => {
    const remote = (server = await startSyncServer({ dialect: 'weavz' }))
    const client = clientFor(remote.target)
    const old = await client.upsert(secretText('user-3', 'old', 'slack'), signal)
    remote.faults.add({ kind: 'lost-response', match: { method: 'POST', dialect: 'weavz' }, times: 1 })
    await remoteFailure(
      recreate(
        client,
        { previousRemoteId: old.remoteId, upsert: secretText('user-3', 'new', 'slack') },
        signal,
      ),
    )

    const rerun = await recreate(
      client,
      { previousRemoteId: old.remoteId, upsert: secretText('user-3', 'new', 'slack') },
      signal,
    )
    expect(rerun.written).toBe(false)
    expect(remote.rows('weavz')).toEqual([
      expect.objectContaining({
        id: rerun.connection.remoteId,
        value: { type: 'SECRET_TEXT', secret_text: 'new' },
      }),
    ])
    expect(remote.writes().map((write) => write.op)).toEqual(['create', 'delete', 'create'])
  })

  it('rotation stopped before the delete: a rerun deletes the old row and creates the new one', async () => {
    const remote = (server = await startSyncServer({ dialect: 'weavz' }))
    const client = clientFor(remote.target)
    const old = await client.upsert(secretText('user-4', 'old', 'slack'), signal)
    remote.faults.add({ kind: 'status', status: 500, match: { method: 'DELETE' }, times: 1 })
    await remoteFailure(
      recreate(
        client,
        { previousRemoteId: old.remoteId, upsert: secretText('user-4', 'new', 'slack') },
        signal,
      ),
    )
    expect(remote.rows('weavz')[0]!.value.secret_text).toBe('old')

    await recreate(
      client,
      { previousRemoteId: old.remoteId, upsert: secretText('user-4', 'new', 'slack') },
      signal,
    )
    expect(remote.rows('weavz').map((row) => row.value.secret_text)).toEqual(['new'])
  })

  it('on Activepieces, recreate is one idempotent upsert that keeps the row', async () => {
    const remote = (server = await startSyncServer({ dialect: 'activepieces' }))
    const client = clientFor(remote.target)
    const old = await client.upsert(secretText('ap-1', 'old'), signal)
    const rerun = await recreate(
      client,
      { previousRemoteId: old.remoteId, upsert: secretText('ap-1', 'new') },
      signal,
    )
    expect(rerun.connection.remoteId).toBe(old.remoteId)
    expect(remote.rows('activepieces').map((row) => row.value.secret_text)).toEqual(['new'])
  })
})

describe('repeat-safe OAuth2 claims on Activepieces', () => {
  const claimInput = (remote: SyncServer, code: string) => ({
    externalId: 'gmail-1',
    displayName: 'Gmail',
    pieceName: '@activepieces/piece-gmail',
    type: 'OAUTH2',
    projectIds: [],
    value: { type: 'OAUTH2' as const, access_token: 'unused', token_url: remote.tokenUrl },
    oauthCodeClaim: {
      code,
      codeVerifier: 'v-1',
      redirectUrl: 'http://127.0.0.1:1/cb',
      clientId: 'app',
      clientSecret: 's',
    },
  })

  it('a claim whose answer was lost: the retry is refused (the code is spent) and the landed row is adopted', async () => {
    const remote = (server = await startSyncServer({ dialect: 'activepieces' }))
    const client = clientFor(remote.target)
    const code = remote.issueAuthorizationCode({
      clientId: 'app',
      redirectUrl: 'http://127.0.0.1:1/cb',
      codeVerifier: 'v-1',
    })
    remote.faults.add({ kind: 'lost-response', match: { method: 'POST' }, times: 1 })
    await remoteFailure(client.upsert(claimInput(remote, code), signal))

    const plainRetry = await remoteFailure(client.upsert(claimInput(remote, code), signal))
    expect(plainRetry.remoteCode).toBe('INVALID_CLAIM')

    const ensured = await ensureCreated(client, claimInput(remote, code), signal, { before: null })
    expect(ensured.written).toBe(false)
    expect(creates(remote)).toHaveLength(1)
    expect(remote.rows('activepieces')).toEqual([
      expect.objectContaining({ id: ensured.connection.remoteId, type: 'OAUTH2' }),
    ])
  })

  it('a refused claim on a row that has not moved since the last pull stays refused', async () => {
    const remote = (server = await startSyncServer({ dialect: 'activepieces' }))
    const client = clientFor(remote.target)
    const first = remote.issueAuthorizationCode({
      clientId: 'app',
      redirectUrl: 'http://127.0.0.1:1/cb',
      codeVerifier: 'v-1',
    })
    const before = await client.upsert(claimInput(remote, first), signal)
    const error = await remoteFailure(
      ensureCreated(client, claimInput(remote, 'code-never-issued'), signal, { before }),
    )
    expect(error).toMatchObject({ remoteCode: 'INVALID_CLAIM', appCode: 'OAUTH_FAILED' })
  })
})
