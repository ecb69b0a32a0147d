import { afterEach, expect, it } from 'vitest'
import type { RemoteSyncStatus, SyncRunSummary } from '../../../src/shared/contract'
import { expectRemoteEqualsLocal, syncHarness, type SyncHarness } from './support'

let harness: SyncHarness | null = null
afterEach(async () => {
  await harness?.dispose()
  harness = null
})

async function status(h: SyncHarness): Promise<RemoteSyncStatus> {
  const [first] = await h.call<RemoteSyncStatus[]>('sync.status')
  return first!
}

/** Fires the engine's timers up to `ms` ahead and waits for the run they started to end. */
async function advanceAndSettle(h: SyncHarness, ms: number): Promise<void> {
  h.clock.advance(ms)
  for (let i = 0; i < 200; i += 1) {
    if (!(await status(h)).running) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('the automatic run did not end')
}

it('a 4xx stops only that entry, with its error shown, and the others go out', async () => {
  harness = await syncHarness()
  const h = harness
  await h.save('refused')
  await h.save('fine')
  h.server.faults.add({ kind: 'status', status: 422, times: 1, match: { method: 'POST' } })
  const run = await h.sync()
  expect(run).toMatchObject({ pushed: 1, failed: 1, error: null })
  expect(h.server.rows('activepieces').map((row) => row.externalId)).toEqual(['fine'])
  const stopped = await status(h)
  expect(stopped).toMatchObject({ pending: 1, failed: 1 })
  expect(stopped.stopped[0]).toMatchObject({ displayName: 'Slack refused', operation: 'upsert' })
  expect(stopped.stopped[0]!.error.status).toBe(422)
  const refused = (await h.local()).get('refused')!
  const [state] = await h.call<{ error: { status: number } | null }[]>('sync.connectionStates', {
    ids: [refused.id],
  })
  expect(state?.error?.status).toBe(422)

  // The automatic sync does not hammer a refusal; an edit (or Sync now) sends it again.
  const writes = h.server.writes().length
  await advanceAndSettle(h, 6 * 60_000)
  expect(h.server.writes().length).toBe(writes)
  await h.call('connections.update', { id: refused.id, displayName: 'Slack refused, fixed' })
  await h.sync()
  await expectRemoteEqualsLocal(h, 'activepieces')
  expect(await status(h)).toMatchObject({ pending: 0, failed: 0, stopped: [] })
})

it('resumes by itself with backoff once the remote answers again', async () => {
  harness = await syncHarness()
  const h = harness
  await h.server.faults.offline()
  await h.save('alpha')
  await advanceAndSettle(h, 2_000)
  const failed = await status(h)
  expect(failed.lastError?.failure).toBe('refused')
  expect(failed.nextAttemptAt).not.toBeNull()
  const firstWait = Date.parse(failed.nextAttemptAt!) - h.clock.now()
  await advanceAndSettle(h, firstWait)
  const secondWait = Date.parse((await status(h)).nextAttemptAt!) - h.clock.now()
  // Backoff grows (with jitter, the second bound is twice the first).
  expect(secondWait).toBeLessThanOrEqual(2 * 2 * 2_000)
  await h.server.faults.online()
  await advanceAndSettle(h, secondWait)
  expect(await status(h)).toMatchObject({ pending: 0, lastError: null })
  await expectRemoteEqualsLocal(h, 'activepieces')
})

it('pushes a replace: the remote flows move from the source to the target', async () => {
  harness = await syncHarness()
  const h = harness
  const source = await h.save('old')
  const target = await h.save('new')
  await h.sync()
  const flow = h.server.addFlow({ draftRefs: ['old'] })
  await h.call('connections.replace', { sourceAppConnectionId: source.id, targetAppConnectionId: target.id })
  const run = await h.sync()
  expect(run.error).toBeNull()
  expect(h.server.flows().find((candidate) => candidate.id === flow.id)?.draftRefs).toEqual(['new'])
  expect(h.server.writes().filter((write) => write.op === 'replace')).toHaveLength(1)
  expect(h.outboxSize()).toBe(0)
})

it('reports progress and stops on cancel between two writes; the rest goes out on the next run', async () => {
  harness = await syncHarness()
  const h = harness
  for (let i = 0; i < 30; i += 1) await h.save(`c${i}`)
  h.server.faults.add({ kind: 'latency', ms: 40, match: { method: 'POST' } })
  const running = h.call<SyncRunSummary[]>('sync.run', { remoteId: h.remote.id })
  for (let i = 0; i < 200; i += 1) {
    const pushed = h.events.filter(
      (event) =>
        event.name === 'sync.progress' && (event.payload as { phase: string; done: number }).phase === 'push',
    )
    if (pushed.length >= 2) break
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  expect(await h.call('sync.cancel', {})).toEqual({ cancelled: 1 })
  const [summary] = await running
  expect(summary!.cancelled).toBe(true)
  expect(summary!.error).toBeNull()
  expect(summary!.pushed).toBeLessThan(30)
  const progress = h.events.filter((event) => event.name === 'sync.progress').map((event) => event.payload)
  expect(progress).toContainEqual({ remoteId: h.remote.id, phase: 'push', done: 1, total: 30 })
  h.server.faults.clear()
  await h.sync()
  await expectRemoteEqualsLocal(h, 'activepieces')
  expect(h.server.rows('activepieces')).toHaveLength(30)
})

it('an OAuth2 connection with minted tokens is not uploaded to Activepieces, which only claims codes', async () => {
  harness = await syncHarness()
  const h = harness
  await h.save('oauth', {
    type: 'OAUTH2',
    value: {
      type: 'OAUTH2',
      access_token: 'minted-access-token',
      token_url: 'https://provider.example/token',
      client_id: 'c',
    },
  })
  await h.save('plain')
  const run = await h.sync()
  expect(run).toMatchObject({ pushed: 1, failed: 1 })
  const [stopped] = (await status(h)).stopped
  expect(stopped!.error.message).toMatch(/sign-in it completes itself/)
  expect(JSON.stringify(await status(h))).not.toContain('minted-access-token')
})

it('local edits announce the new pending count (sync.statusChanged)', async () => {
  harness = await syncHarness()
  const h = harness
  await h.save('alpha')
  await h.save('beta')
  h.clock.advance(100)
  const announced = h.events
    .filter((event) => event.name === 'sync.statusChanged')
    .map((event) => event.payload)
  expect(announced).toContainEqual(expect.objectContaining({ remoteId: h.remote.id, pending: 2 }))
})
