import { afterEach, describe, expect, it } from 'vitest'
import type { Dialect } from '../../../src/main/sync/dialects/remote-client'
import { remoteState, syncHarness, type SyncHarness } from './support'

let harness: SyncHarness | null = null
afterEach(async () => {
  await harness?.dispose()
  harness = null
})

describe.each<Dialect>(['activepieces', 'weavz'])('round trip with %s', (dialect) => {
  it('pushes local connections, pulls those made elsewhere as secret held remotely, and echoes nothing back', async () => {
    harness = await syncHarness({ dialect })
    const h = harness
    await h.save('alpha')
    await h.save('beta')
    h.server.seed(dialect, [
      { externalId: 'gamma', pieceName: '@activepieces/piece-slack', displayName: 'Made on the server' },
    ])

    const first = await h.sync()
    expect(first.error).toBeNull()
    expect(first.pushed).toBe(2)
    const remote = remoteState(h.server, dialect)
    expect([...remote.keys()].sort()).toEqual(['alpha', 'beta', 'gamma'])
    expect(remote.get('alpha')!.secret).toBe('secret-alpha')

    const local = await h.local()
    expect([...local.keys()].sort()).toEqual(['alpha', 'beta', 'gamma'])
    const gamma = local.get('gamma')!
    expect(gamma.hasValue).toBe(false)
    expect(gamma.remoteId).toBe(h.remote.id)
    expect(gamma.syncState).toBe('SYNCED')
    expect(local.get('alpha')!.syncState).toBe('SYNCED')
    const [state] = await h.call<{ secretHeldRemotely: boolean }[]>('sync.connectionStates', {
      ids: [gamma.id],
    })
    expect(state!.secretHeldRemotely).toBe(true)

    // Applying the pull queued nothing, and a second run writes nothing to the server.
    expect(h.outboxSize()).toBe(0)
    const writes = h.server.writes().length
    const second = await h.sync()
    expect(second).toMatchObject({ pushed: 0, failed: 0, conflicts: 0, error: null })
    expect(h.server.writes().length).toBe(writes)
  })

  it('pushes an edit and a rotation as one write of the connection as it stands', async () => {
    harness = await syncHarness({ dialect })
    const h = harness
    const saved = await h.save('alpha')
    await h.sync()
    const writesBefore = h.server.writes().length
    await h.call('connections.update', { id: saved.id, displayName: 'Renamed' })
    await h.call('connections.rotate', {
      id: saved.id,
      value: { type: 'SECRET_TEXT', secret_text: 'rotated' },
    })
    await h.call('connections.update', { id: saved.id, displayName: 'Renamed twice' })
    expect(h.outboxSize()).toBe(3)
    const run = await h.sync()
    expect(run.pushed).toBe(1)
    expect(remoteState(h.server, dialect).get('alpha')).toEqual({
      displayName: 'Renamed twice',
      secret: 'rotated',
    })
    expect(h.server.rows(dialect)).toHaveLength(1)
    // Activepieces: one upsert. Weavz: a delete and a create.
    expect(h.server.writes().length - writesBefore).toBe(dialect === 'activepieces' ? 1 : 2)
    expect(h.outboxSize()).toBe(0)
  })

  it('deletes on the remote what was deleted here', async () => {
    harness = await syncHarness({ dialect })
    const h = harness
    const saved = await h.save('alpha')
    await h.save('beta')
    await h.sync()
    await h.call('connections.delete', { id: saved.id })
    await h.sync()
    expect([...remoteState(h.server, dialect).keys()]).toEqual(['beta'])
    expect(h.outboxSize()).toBe(0)
  })
})
