import { afterEach, describe, expect, it } from 'vitest'
import type { Dialect, RemoteClient } from '../../../../src/main/sync/dialects/remote-client'
import { ensureCreated } from '../../../../src/main/sync/dialects/ensure-created'
import { startSyncServer, type SyncServer } from '../../../support/sync-server'
import { clientFor, pullAll, remoteFailure, secretText, signal } from './support'

let server: SyncServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

const PIECE = 'slack'

/** What a retrying caller does: the dialect's repeat-safe create (AP upsert, Weavz look-up first). */
const push = (client: RemoteClient, externalId: string, secret: string) =>
  ensureCreated(client, secretText(externalId, secret, PIECE), signal)

/** The remote holds exactly these connections: nothing lost, nothing duplicated. */
function expectRemoteHolds(remote: SyncServer, dialect: Dialect, expected: Record<string, string>): void {
  const rows = remote.rows(dialect)
  expect(Object.fromEntries(rows.map((row) => [row.externalId, row.value.secret_text]))).toEqual(expected)
  expect(rows).toHaveLength(Object.keys(expected).length)
  expect(remote.writes().filter((write) => write.op === 'create')).toHaveLength(Object.keys(expected).length)
}

describe.each<Dialect>(['activepieces', 'weavz'])('%s client under faults', (dialect) => {
  async function start(): Promise<{ remote: SyncServer; client: RemoteClient }> {
    const remote = (server = await startSyncServer({ dialect }))
    return { remote, client: clientFor(remote.target, { timeoutMs: 5000 }) }
  }

  it('a slow answer within the timeout is just slow', async () => {
    const { remote, client } = await start()
    remote.faults.add({ kind: 'latency', ms: 100 })
    await push(client, 'a', 'one')
    expect((await pullAll(client)).rows.map((row) => row.externalId)).toEqual(['a'])
    expectRemoteHolds(remote, dialect, { a: 'one' })
  })

  it('a 500 is transient, writes nothing, and the retry lands once', async () => {
    const { remote, client } = await start()
    remote.faults.add({ kind: 'status', status: 500, match: { method: 'POST' }, times: 1 })
    const error = await remoteFailure(push(client, 'a', 'one'))
    expect(error).toMatchObject({ kind: 'http', status: 500, appCode: 'REMOTE_UNAVAILABLE', transient: true })
    expect(remote.rows(dialect)).toEqual([])
    await push(client, 'a', 'one')
    expectRemoteHolds(remote, dialect, { a: 'one' })
  })

  it('a 429 carries Retry-After in milliseconds', async () => {
    const { remote, client } = await start()
    remote.faults.add({ kind: 'rate-limit', retryAfterSeconds: 7, times: 1 })
    const error = await remoteFailure(pullAll(client))
    expect(error).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 7000, transient: true })
    await push(client, 'a', 'one')
    expectRemoteHolds(remote, dialect, { a: 'one' })
  })

  it('a connection reset halfway through a list answer is a transient reset', async () => {
    const { remote, client } = await start()
    await push(client, 'a', 'one')
    remote.faults.add({ kind: 'reset', match: { method: 'GET' }, times: 1 })
    const error = await remoteFailure(pullAll(client))
    expect(error).toMatchObject({ kind: 'reset', transient: true, appCode: 'REMOTE_UNAVAILABLE' })
    expect((await pullAll(client)).rows.map((row) => row.externalId)).toEqual(['a'])
    expectRemoteHolds(remote, dialect, { a: 'one' })
  })

  it('a write applied but reset mid-answer, retried, is not duplicated', async () => {
    const { remote, client } = await start()
    remote.faults.add({ kind: 'reset', match: { method: 'POST' }, times: 1 })
    expect((await remoteFailure(push(client, 'a', 'one'))).kind).toBe('reset')
    await push(client, 'a', 'one')
    await push(client, 'b', 'two')
    expectRemoteHolds(remote, dialect, { a: 'one', b: 'two' })
  })

  it('a write applied whose answer is lost, retried, is not duplicated', async () => {
    const { remote, client } = await start()
    remote.faults.add({ kind: 'lost-response', match: { method: 'POST' }, times: 1 })
    expect((await remoteFailure(push(client, 'a', 'one'))).kind).toBe('reset')
    expect(remote.rows(dialect)).toHaveLength(1)
    await push(client, 'a', 'one')
    expectRemoteHolds(remote, dialect, { a: 'one' })
  })

  it('offline is a refused connection; back online, the same client carries on', async () => {
    const { remote, client } = await start()
    await push(client, 'a', 'one')
    await remote.faults.offline()
    const error = await remoteFailure(push(client, 'b', 'two'))
    expect(error).toMatchObject({ kind: 'refused', transient: true })
    await remote.faults.online()
    await push(client, 'b', 'two')
    expectRemoteHolds(remote, dialect, { a: 'one', b: 'two' })
  })

  it('a server that never answers times out', async () => {
    const remote = (server = await startSyncServer({ dialect }))
    const client = clientFor(remote.target, { timeoutMs: 300 })
    remote.faults.add({ kind: 'hang', times: 1 })
    const error = await remoteFailure(pullAll(client))
    expect(error).toMatchObject({ kind: 'timeout', transient: true })
    await push(client, 'a', 'one')
    expectRemoteHolds(remote, dialect, { a: 'one' })
  })

  it('a cancel stops a waiting request and is not retried', async () => {
    const { remote, client } = await start()
    remote.faults.add({ kind: 'hang', times: 1 })
    const controller = new AbortController()
    const pending = remoteFailure(client.findByExternalId(PIECE, 'a', controller.signal))
    setTimeout(() => controller.abort(), 50)
    const error = await pending
    expect(error).toMatchObject({ kind: 'cancelled', transient: false })
    expectRemoteHolds(remote, dialect, {})
  })
})
