import { afterEach, describe, expect, it } from 'vitest'
import type { AppConnection, RemoteSyncStatus, SyncConflict } from '../../../src/shared/contract'
import type { Dialect } from '../../../src/main/sync/dialects/remote-client'
import { startSyncServer, type SyncServer } from '../../support/sync-server'
import { expectRemoteEqualsLocal, syncHarness, type SyncHarness } from './support'

const open: { dispose(): Promise<void> }[] = []
let server: SyncServer | null = null
afterEach(async () => {
  for (const item of open.splice(0)) await item.dispose()
  await server?.close()
  server = null
})

/** Two people's vaults on one server: Ann made the connection, Bob pulled it. */
async function twoVaults(
  dialect: Dialect,
): Promise<{ ann: SyncHarness; bob: SyncHarness; annsCopy: AppConnection }> {
  server = await startSyncServer({ dialect })
  const ann = await syncHarness({ dialect, server })
  const bob = await syncHarness({ dialect, server })
  open.push(ann, bob)
  const annsCopy = await ann.save('shared')
  await ann.sync()
  await bob.sync()
  return { ann, bob, annsCopy }
}

describe.each<Dialect>(['activepieces', 'weavz'])('%s conflicts', (dialect) => {
  it('a connection changed in two vaults is kept in both versions and marked CONFLICT', async () => {
    const { ann, bob, annsCopy } = await twoVaults(dialect)
    const bobsCopy = (await bob.local()).get('shared')!
    // Bob's vault has the remote's copy without its secret (Weavz's list does not even say its
    // type): he saves it again with a secret and a new name, as the edit dialog does.
    await bob.save('shared', { displayName: 'Bob says', value: { type: 'SECRET_TEXT', secret_text: 'bob' } })
    expect((await bob.local()).get('shared')!.id).toBe(bobsCopy.id)
    await bob.sync()
    await ann.call('connections.update', { id: annsCopy.id, displayName: 'Ann says' })
    const run = await ann.sync()
    expect(run.conflicts).toBe(1)

    const conflicts = await ann.call<SyncConflict[]>('sync.conflicts', {})
    expect(conflicts).toHaveLength(1)
    expect(conflicts[0]!.local.displayName).toBe('Ann says')
    expect(conflicts[0]!.local.syncState).toBe('CONFLICT')
    expect(conflicts[0]!.remote?.displayName).toBe('Bob says')
    // Neither side went anywhere: the remote still has Bob's, Ann's vault still has hers.
    expect(server!.rows(dialect).map((row) => row.displayName)).toEqual(['Bob says'])
    const [status] = await ann.call<RemoteSyncStatus[]>('sync.status')
    expect(status!.conflicts).toBe(1)
    // Another run changes nothing while it is undecided.
    await ann.sync()
    expect(server!.rows(dialect).map((row) => row.displayName)).toEqual(['Bob says'])
  })

  it('resolving with the local version pushes it over the remote', async () => {
    const { ann, bob, annsCopy } = await twoVaults(dialect)
    await bob.save('shared', { value: { type: 'SECRET_TEXT', secret_text: 'bob' } })
    await bob.sync()
    await ann.call('connections.rotate', {
      id: annsCopy.id,
      value: { type: 'SECRET_TEXT', secret_text: 'ann' },
    })
    await ann.sync()
    const resolved = await ann.call<AppConnection>('sync.resolve', {
      connectionId: annsCopy.id,
      keep: 'local',
    })
    expect(resolved.syncState).toBe('PENDING')
    await ann.sync()
    await expectRemoteEqualsLocal(ann, dialect)
    expect(server!.rows(dialect)[0]!.value.secret_text).toBe('ann')
    expect(await ann.call<SyncConflict[]>('sync.conflicts', {})).toEqual([])
  })

  it('resolving with the remote version takes its fields, drops the local change, and keeps the local secret', async () => {
    const { ann, bob, annsCopy } = await twoVaults(dialect)
    await bob.save('shared', { displayName: 'Bob says', value: { type: 'SECRET_TEXT', secret_text: 'bob' } })
    await bob.sync()
    await ann.call('connections.update', { id: annsCopy.id, displayName: 'Ann says' })
    await ann.sync()
    const resolved = await ann.call<AppConnection>('sync.resolve', {
      connectionId: annsCopy.id,
      keep: 'remote',
    })
    expect(resolved).toMatchObject({ displayName: 'Bob says', syncState: 'SYNCED', hasValue: true })
    expect(ann.outboxSize()).toBe(0)
    const writes = server!.writes().length
    await ann.sync()
    expect(server!.writes().length).toBe(writes)
    expect(server!.rows(dialect).map((row) => row.displayName)).toEqual(['Bob says'])
  })

  it('a connection deleted on the remote stays here, flagged, and is not pushed back', async () => {
    const { ann, bob, annsCopy } = await twoVaults(dialect)
    const bobsCopy = (await bob.local()).get('shared')!
    await bob.call('connections.delete', { id: bobsCopy.id })
    await bob.sync()
    expect(server!.rows(dialect)).toEqual([])
    await ann.sync()
    const kept = (await ann.local()).get('shared')!
    expect(kept.id).toBe(annsCopy.id)
    const [state] = await ann.call<{ deletedOnRemote: boolean }[]>('sync.connectionStates', {
      ids: [kept.id],
    })
    expect(state!.deletedOnRemote).toBe(true)
    await ann.sync()
    expect(server!.rows(dialect)).toEqual([])
  })

  it('changed here and deleted there is a conflict; keeping the local version creates it again', async () => {
    const { ann, bob, annsCopy } = await twoVaults(dialect)
    const bobsCopy = (await bob.local()).get('shared')!
    await bob.call('connections.delete', { id: bobsCopy.id })
    await bob.sync()
    await ann.call('connections.update', { id: annsCopy.id, displayName: 'Still needed' })
    await ann.sync()
    const [conflict] = await ann.call<SyncConflict[]>('sync.conflicts', {})
    expect(conflict!.remote).toBeNull()
    await ann.call('sync.resolve', { connectionId: annsCopy.id, keep: 'local' })
    await ann.sync()
    await expectRemoteEqualsLocal(ann, dialect)
  })
})
