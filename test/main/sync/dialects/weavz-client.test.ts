import { afterEach, describe, expect, it } from 'vitest'
import { startSyncServer, type SyncServer } from '../../../support/sync-server'
import { clientFor, pullAll, remoteFailure, secretText, signal } from './support'

let server: SyncServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(weavzShape: 'document' | 'sdk' = 'document'): Promise<SyncServer> {
  server = await startSyncServer({ dialect: 'weavz', weavzShape })
  return server
}

describe('Weavz client', () => {
  it('creates, pulls and deletes (delete answers {success: true})', async () => {
    const remote = await start()
    const client = clientFor(remote.target)
    const created = await client.upsert(secretText('user-42', 'sk-proj-1', 'openai'), signal)
    expect(created).toMatchObject({ externalId: 'user-42', pieceName: 'openai', status: 'ACTIVE' })
    expect(remote.rows('weavz')[0]!.value).toEqual({ type: 'SECRET_TEXT', secret_text: 'sk-proj-1' })

    const { rows } = await pullAll(client)
    expect(rows.map((row) => row.remoteId)).toEqual([created.remoteId])

    await client.delete(created, signal)
    await client.delete(created, signal)
    expect(remote.rows('weavz')).toEqual([])
  })

  it('reports a second create with the same org, piece and externalId as CONFLICT and writes nothing', async () => {
    const remote = await start()
    const client = clientFor(remote.target)
    await client.upsert(secretText('user-42', 'first', 'slack'), signal)
    const error = await remoteFailure(client.upsert(secretText('user-42', 'second', 'slack'), signal))
    expect(error).toMatchObject({ kind: 'http', status: 409, appCode: 'CONFLICT', remoteCode: 'CONFLICT' })
    expect(remote.rows('weavz').map((row) => row.value.secret_text)).toEqual(['first'])
    // The same externalId under another piece is another connection.
    await client.upsert(secretText('user-42', 'github', 'github'), signal)
    expect(remote.rows('weavz')).toHaveLength(2)
  })

  it('uploads minted OAuth2 tokens, as its document shows', async () => {
    const remote = await start()
    await clientFor(remote.target).upsert(
      {
        externalId: 'user-7',
        displayName: 'Acme Slack',
        pieceName: 'slack',
        type: 'OAUTH2',
        projectIds: [],
        value: {
          type: 'OAUTH2',
          access_token: 'xoxb-1',
          refresh_token: 'xoxr-1',
          token_type: 'bot',
          token_url: 'https://slack.test/token',
        },
      },
      signal,
    )
    expect(remote.rows('weavz')[0]!.value).toMatchObject({
      type: 'OAUTH2',
      access_token: 'xoxb-1',
      refresh_token: 'xoxr-1',
    })
  })

  it('says update, replace and owners are not supported, without a request', async () => {
    const remote = await start()
    const client = clientFor(remote.target)
    expect(client.supports).toMatchObject({
      updateMetadata: false,
      replace: false,
      owners: false,
      tokenUpload: true,
    })
    const fake = {
      remoteId: 'conn_x',
      externalId: 'x',
      displayName: 'x',
      pieceName: 'p',
      type: '',
      status: '',
      projectIds: [],
      flowIds: [],
      created: '',
      updated: '',
    }
    for (const work of [
      client.updateMetadata(fake, { displayName: 'y' }, signal),
      client.replace(
        {
          sourceRemoteId: 'a',
          targetRemoteId: 'b',
          deleteSourceConnection: false,
          applyToPublishedVersions: false,
        },
        signal,
      ),
      client.owners(signal),
    ]) {
      expect((await remoteFailure(work)).kind).toBe('unsupported')
    }
    expect(remote.requests()).toEqual([])
  })

  it('finds a connection by piece and externalId', async () => {
    const remote = await start()
    const client = clientFor(remote.target)
    await client.upsert(secretText('user-1', 'a', 'slack'), signal)
    const wanted = await client.upsert(secretText('user-1', 'b', 'github'), signal)
    expect(await client.findByExternalId('github', 'user-1', signal)).toMatchObject({
      remoteId: wanted.remoteId,
    })
    expect(await client.findByExternalId('github', 'user-2', signal)).toBeNull()
  })

  it('hands the whole list on in chunks of the page size', async () => {
    const remote = await start()
    remote.seed(
      'weavz',
      Array.from({ length: 25 }, (_, index) => ({ externalId: `w-${index}`, pieceName: 'slack' })),
    )
    const { rows, pages } = await pullAll(clientFor(remote.target, { pageSize: 10 }))
    expect(pages).toEqual([10, 10, 5])
    expect(new Set(rows.map((row) => row.remoteId)).size).toBe(25)
  })

  it("tolerates the live API's shapes: integrationName, {connection}, {connections, total}, {deleted, id}", async () => {
    const remote = await start('sdk')
    const client = clientFor(remote.target)
    const created = await client.upsert(secretText('user-9', 'v', 'slack'), signal)
    expect(created).toMatchObject({ pieceName: 'slack', externalId: 'user-9' })
    expect((await pullAll(client)).rows).toEqual([
      expect.objectContaining({ remoteId: created.remoteId, pieceName: 'slack' }),
    ])
    await client.delete(created, signal)
    expect(remote.rows('weavz')).toEqual([])
  })

  it('maps a wrong key to AUTHENTICATION and a key without permission to FORBIDDEN', async () => {
    const remote = await start()
    const wrong = await remoteFailure(pullAll(clientFor({ ...remote.target, apiKey: 'wvz_wrong_key' })))
    expect(wrong).toMatchObject({ status: 401, appCode: 'AUTHENTICATION' })
    expect(wrong.message).not.toContain('wvz_wrong_key')
    const forbidden = await remoteFailure(
      pullAll(clientFor({ ...remote.target, apiKey: remote.forbiddenApiKey })),
    )
    expect(forbidden).toMatchObject({ status: 403, appCode: 'FORBIDDEN' })
  })
})
