import { afterEach, describe, expect, it } from 'vitest'
import type { AppConnection, Remote, RemoteTestResult } from '../../../src/shared/contract'
import type { ErrorObject } from '../../../src/shared/errors'
import { startSyncServer, type SyncServer } from '../../support/sync-server'
import { createUnlockedTestCore, type UnlockedTestCore } from '../../support/vault'
import { syncHarness, type SyncHarness } from './support'

let core: UnlockedTestCore | null = null
let harness: SyncHarness | null = null
let server: SyncServer | null = null
afterEach(async () => {
  await core?.dispose()
  await harness?.dispose()
  await server?.close()
  core = harness = server = null
})

async function errorOf(target: UnlockedTestCore, name: string, input: unknown): Promise<ErrorObject> {
  const result = await target.core.router.dispatch(name, input, { origin: 'test' })
  if (result.ok) throw new Error(`${name} succeeded`)
  return result.error
}

const AP = { name: 'Team', dialect: 'activepieces', projectId: 'p1', apiKey: 'sk-secret-key-value' }

describe('remotes', () => {
  it('requires https except on loopback, and an Activepieces project id', async () => {
    core = await createUnlockedTestCore()
    const plain = await errorOf(core, 'remotes.add', { ...AP, baseUrl: 'http://cloud.example.com' })
    expect(plain.code).toBe('VALIDATION')
    expect(plain.params.message).toMatch(/https/)
    const noProject = await errorOf(core, 'remotes.add', {
      ...AP,
      projectId: undefined,
      baseUrl: 'https://a.example',
    })
    expect(noProject.params.issues?.[0]?.path).toBe('projectId')
    for (const baseUrl of [
      'https://cloud.example.com/',
      'http://127.0.0.1:8080',
      'http://[::1]:9000',
      'http://localhost:1',
    ]) {
      const remote = await core.call<Remote>('remotes.add', { ...AP, name: baseUrl, baseUrl })
      expect(remote.baseUrl).toBe(baseUrl.replace(/\/$/, ''))
    }
  })

  it('seals the API key: no answer, audit entry or plaintext column carries it', async () => {
    core = await createUnlockedTestCore()
    const remote = await core.call<Remote>('remotes.add', { ...AP, baseUrl: 'https://cloud.example.com' })
    expect(JSON.stringify(remote)).not.toContain('sk-secret-key-value')
    expect(JSON.stringify(await core.call('remotes.list'))).not.toContain('sk-secret-key-value')
    const updated = await core.call<Remote>('remotes.update', { id: remote.id, apiKey: 'sk-another-key' })
    expect(JSON.stringify(updated)).not.toContain('sk-another-key')
    const db = core.core.vault.requireSession().db
    const dump =
      JSON.stringify(db.prepare('SELECT * FROM remotes').all()) +
      JSON.stringify(db.prepare('SELECT * FROM audit_log').all())
    expect(dump).not.toContain('sk-secret-key-value')
    expect(dump).not.toContain('sk-another-key')
    expect(
      Buffer.concat(
        (db.prepare('SELECT api_key_envelope FROM remotes').all() as { api_key_envelope: Buffer }[]).map(
          (row) => row.api_key_envelope,
        ),
      ).includes('sk-another-key'),
    ).toBe(false)
  })

  it('test answers the specific failure: 401 for a wrong key, wrong-path for a wrong base path, refused for a closed port', async () => {
    server = await startSyncServer()
    core = await createUnlockedTestCore()
    const target = server.target
    const good = await core.call<RemoteTestResult>('remotes.test', {
      ...AP,
      baseUrl: target.baseUrl,
      projectId: target.projectId,
      apiKey: target.apiKey,
    })
    expect(good.ok).toBe(true)
    const wrongKey = await core.call<RemoteTestResult>('remotes.test', {
      ...AP,
      baseUrl: target.baseUrl,
      projectId: target.projectId,
      apiKey: 'sk-wrong',
    })
    expect(wrongKey).toMatchObject({ ok: false, failure: 'unauthorized', status: 401 })
    const wrongPath = await core.call<RemoteTestResult>('remotes.test', {
      ...AP,
      baseUrl: `${target.baseUrl}/nope`,
      projectId: target.projectId,
      apiKey: target.apiKey,
    })
    expect(wrongPath).toMatchObject({ ok: false, failure: 'wrong-path' })
    const saved = await core.call<Remote>('remotes.add', {
      ...AP,
      baseUrl: target.baseUrl,
      projectId: target.projectId,
      apiKey: target.apiKey,
    })
    await server.close()
    server = null
    const refused = await core.call<RemoteTestResult>('remotes.test', { id: saved.id })
    expect(refused).toMatchObject({ ok: false, failure: 'refused' })
  })

  it('remove with unsynced changes asks first, then keeps every connection as a local one', async () => {
    harness = await syncHarness()
    const h = harness
    await h.save('pushed')
    await h.sync()
    await h.save('waiting')
    const refusal = await errorOf(h, 'remotes.remove', { id: h.remote.id })
    expect(refusal.code).toBe('CONFLICT')
    expect(refusal.params.pendingChanges).toBe(1)
    expect(await h.call<Remote[]>('remotes.list')).toHaveLength(1)

    const removed = await h.call('remotes.remove', { id: h.remote.id, discardPending: true })
    expect(removed).toEqual({ removed: true, discardedChanges: 1, detachedConnections: 2 })
    const local = await h.local()
    expect([...local.keys()].sort()).toEqual(['pushed', 'waiting'])
    for (const connection of local.values()) {
      expect(connection).toMatchObject({ remoteId: null, syncState: 'LOCAL', hasValue: true })
      // Still readable: the row's integrity survived the detach.
      await h.call('connections.reveal', { id: connection.id })
    }
    expect(h.outboxSize()).toBe(0)
  })

  it('remove refuses, changing nothing, when a detached connection would collide with a local one', async () => {
    harness = await syncHarness()
    const h = harness
    await h.save('same')
    await h.call<{ connection: AppConnection }>('connections.upsert', {
      displayName: 'Local twin',
      pieceName: '@activepieces/piece-slack',
      pieceVersion: '0.10.0',
      type: 'SECRET_TEXT',
      externalId: 'same',
      value: { type: 'SECRET_TEXT', secret_text: 'x' },
    })
    const refusal = await errorOf(h, 'remotes.remove', { id: h.remote.id, discardPending: true })
    expect(refusal.code).toBe('CONFLICT')
    expect(refusal.params.message).toMatch(/Slack same/)
    expect(await h.call<Remote[]>('remotes.list')).toHaveLength(1)
  })
})
