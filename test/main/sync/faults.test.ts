import { afterEach, describe, expect, it } from 'vitest'
import type { RemoteSyncStatus } from '../../../src/shared/contract'
import type { Dialect } from '../../../src/main/sync/dialects/remote-client'
import type { FaultRule } from '../../support/sync-server'
import { expectRemoteEqualsLocal, syncHarness, type SyncHarness } from './support'

let harness: SyncHarness | null = null
afterEach(async () => {
  await harness?.dispose()
  harness = null
})

/** Runs until a run ends without error (a transient fault ends a run; the next one goes on). */
async function syncUntilClean(h: SyncHarness, most = 6): Promise<number> {
  let last: unknown = null
  for (let run = 1; run <= most; run += 1) {
    const summary = await h.sync()
    if (summary.error === null && h.outboxSize() === 0) return run
    last = summary
  }
  throw new Error(`still failing after ${most} runs: ${JSON.stringify(last)}`)
}

const WRITE = (dialect: Dialect) => ({ method: 'POST', dialect }) as const

const faults: { name: string; rule: (dialect: Dialect) => FaultRule }[] = [
  { name: 'latency', rule: () => ({ kind: 'latency', ms: 30 }) },
  { name: '500s', rule: (dialect) => ({ kind: 'status', status: 500, times: 2, match: WRITE(dialect) }) },
  {
    name: '429 with Retry-After',
    rule: (dialect) => ({ kind: 'rate-limit', retryAfterSeconds: 7, times: 1, match: WRITE(dialect) }),
  },
  { name: 'a reset mid-response', rule: (dialect) => ({ kind: 'reset', times: 1, match: WRITE(dialect) }) },
  {
    name: 'a write applied but its response lost',
    rule: (dialect) => ({ kind: 'lost-response', times: 1, match: WRITE(dialect) }),
  },
  {
    name: 'a list that fails once',
    rule: () => ({ kind: 'status', status: 503, times: 1, match: { method: 'GET' } }),
  },
]

describe.each<Dialect>(['activepieces', 'weavz'])('%s faults', (dialect) => {
  it.each(faults)('after $name the remote holds exactly the local state', async ({ rule }) => {
    harness = await syncHarness({ dialect })
    const h = harness
    const first = await h.save('alpha')
    await h.save('beta')
    await h.sync()
    await h.call('connections.rotate', {
      id: first.id,
      value: { type: 'SECRET_TEXT', secret_text: 'rotated' },
    })
    await h.save('gamma')
    h.server.faults.add(rule(dialect))
    await syncUntilClean(h)
    await expectRemoteEqualsLocal(h, dialect)
  })

  it('offline: edits and rotations succeed here, wait, and go out once the remote answers', async () => {
    harness = await syncHarness({ dialect })
    const h = harness
    const alpha = await h.save('alpha')
    await h.sync()
    await h.server.faults.offline()
    await h.call('connections.rotate', {
      id: alpha.id,
      value: { type: 'SECRET_TEXT', secret_text: 'rotated offline' },
    })
    await h.call('connections.update', { id: alpha.id, displayName: 'Renamed offline' })
    await h.save('beta')
    const offline = await h.sync()
    expect(offline.error?.code).toBe('REMOTE_UNAVAILABLE')
    const [status] = await h.call<RemoteSyncStatus[]>('sync.status')
    expect(status!.pending).toBe(3)
    expect(status!.lastError?.code).toBe('REMOTE_UNAVAILABLE')
    expect(status!.lastSuccessAt).not.toBeNull()

    await h.server.faults.online()
    const online = await h.sync()
    expect(online.error).toBeNull()
    await expectRemoteEqualsLocal(h, dialect)
    const [after] = await h.call<RemoteSyncStatus[]>('sync.status')
    expect(after).toMatchObject({ pending: 0, lastError: null })
  })
})

it('429: the automatic retry waits at least the Retry-After the server asked for', async () => {
  harness = await syncHarness()
  const h = harness
  await h.save('alpha')
  h.server.faults.add({ kind: 'rate-limit', retryAfterSeconds: 30, times: 1 })
  const run = await h.sync()
  expect(run.error?.status).toBe(429)
  // The vault is unlocked, so the engine has armed its own retry.
  const [status] = await h.call<RemoteSyncStatus[]>('sync.status')
  const waitMs = Date.parse(status!.nextAttemptAt!) - h.clock.now()
  expect(waitMs).toBeGreaterThanOrEqual(30_000)
  expect(waitMs).toBeLessThan(32_000)
})
