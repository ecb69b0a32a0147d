import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { RemoteSyncStatus } from '../../../src/shared/contract'
import { createEventBus } from '../../../src/main/api/event-bus'
import { platformFetch } from '../../../src/main/platform/fetch'
import type { RemoteClient } from '../../../src/main/sync/dialects/remote-client'
import { createSync } from '../../../src/main/sync/sync'
import { RUN_ABANDON_GRACE_MS } from '../../../src/main/sync/run-deadline'
import { createManualClock } from '../../support/manual-clock'
import { syncHarness, type SyncHarness } from './support'

// Every run ends: a remote that accepts a request and never answers, or a step that never settles,
// ends the run as failed at its deadline, with the remote named, and the status stops saying
// "running" (the header leaves "Syncing…"). Real vault and real sync server; the sync under test
// is a second one over the same vault, with a hand-driven clock and a one-minute deadline.

let harness: SyncHarness | null = null
let close: (() => void) | null = null
afterEach(async () => {
  close?.()
  close = null
  await harness?.dispose()
  harness = null
})

const MINUTE = 60_000

async function deadlineSync(options: { client?: RemoteClient; timeoutMs?: number }) {
  harness = await syncHarness()
  const h = harness
  const clock = createManualClock(h.clock.now())
  const events = createEventBus()
  const heard: RemoteSyncStatus[] = []
  events.subscribe((name, payload) => {
    if (name === 'sync.statusChanged') heard.push(payload as RemoteSyncStatus)
  })
  const sync = createSync({
    session: () => h.core.vault.requireSession(),
    events,
    clock,
    random: randomBytes,
    fetch: platformFetch,
    connection: () => {
      throw new Error('not reached')
    },
    ...(options.client ? { createClient: () => options.client! } : {}),
    timeoutMs: options.timeoutMs,
    runDeadlineMs: MINUTE,
  })
  close = () => sync.close()
  return { h, clock, sync, heard }
}

/** Lets the run's requests reach the server and its steps reach their await. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50))

describe('a sync run is bounded in time', () => {
  it('a remote that never answers: the run ends at its deadline as failed, naming the remote', async () => {
    // The per-request timeout is set past the deadline, so the deadline is what ends this run.
    const { h, clock, sync, heard } = await deadlineSync({ timeoutMs: 10 * MINUTE })
    h.server.faults.add({ kind: 'hang', match: { method: 'GET' } })
    const run = sync.engine.run(h.remote.id)
    await settle()
    expect(sync.engine.status()[0]!.running).toBe(true)
    clock.advance(MINUTE)
    const [summary] = await run
    expect(summary!.cancelled).toBe(false)
    expect(summary!.error).toMatchObject({ code: 'REMOTE_UNAVAILABLE', failure: 'timeout' })
    expect(summary!.error!.message).toContain(`Sync with “${h.remote.name}” was stopped after 1 minute`)
    const [status] = sync.engine.status()
    expect(status!.running).toBe(false)
    expect(status!.lastError!.message).toBe(summary!.error!.message)
    expect(heard.at(-1)).toMatchObject({ remoteId: h.remote.id, running: false })
    h.server.faults.clear()
  })

  it('a step that ignores its signal is left behind after the grace period; the next run can start', async () => {
    let listed = 0
    const stuck: RemoteClient = {
      dialect: 'activepieces',
      supports: { updateMetadata: true, replace: true, owners: true, tokenUpload: false, codeClaim: true },
      listPages: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => {
            listed += 1
            return new Promise<IteratorResult<never>>(() => undefined)
          },
        }),
      }),
      findByExternalId: () => new Promise(() => undefined),
      upsert: () => new Promise(() => undefined),
      updateMetadata: () => new Promise(() => undefined),
      delete: () => new Promise(() => undefined),
      replace: () => new Promise(() => undefined),
      owners: () => new Promise(() => undefined),
    }
    const { h, clock, sync, heard } = await deadlineSync({ client: stuck })
    const run = sync.engine.run(h.remote.id)
    await settle()
    clock.advance(MINUTE)
    await settle()
    // Aborted, but the step never looks at its signal: the run is still held.
    expect(sync.engine.status()[0]!.running).toBe(true)
    clock.advance(RUN_ABANDON_GRACE_MS)
    const [summary] = await run
    expect(summary!.error!.message).toContain(`Sync with “${h.remote.name}” was stopped`)
    expect(sync.engine.status()[0]!.running).toBe(false)
    expect(heard.at(-1)).toMatchObject({ running: false, lastError: { failure: 'timeout' } })
    // The slot is free: a new run starts (and is bounded the same way).
    const again = sync.engine.run(h.remote.id)
    await settle()
    expect(listed).toBe(2)
    expect(sync.engine.status()[0]!.running).toBe(true)
    clock.advance(MINUTE + RUN_ABANDON_GRACE_MS)
    expect((await again)[0]!.error).not.toBeNull()
  })

  it('a request with no answer fails after the per-request timeout, naming the server and the time', async () => {
    const { h, clock, sync } = await deadlineSync({})
    h.server.faults.add({ kind: 'hang', match: { method: 'GET' } })
    const run = sync.engine.run(h.remote.id)
    await settle()
    clock.advance(15_000)
    const [summary] = await run
    const host = new URL(h.server.url).host
    expect(summary!.error).toMatchObject({ code: 'REMOTE_UNAVAILABLE', failure: 'timeout' })
    expect(summary!.error!.message).toBe(`“${host}” did not answer within 15 s.`)
    expect(sync.engine.status()[0]!.running).toBe(false)
    h.server.faults.clear()
  })
})
