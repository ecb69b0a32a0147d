import { afterEach, describe, expect, it } from 'vitest'
import type { Remote, RemoteSyncStatus } from '../../../src/shared/contract'
import { createClient, type LatchkeyApi, type Transport } from '../../../src/shared/client'
import type { EventName, ProcedureName } from '../../../src/shared/contract'
import { useSyncStore } from '../../../src/renderer/src/features/sync/sync-store'
import { syncHarness, type SyncHarness } from './support'

// The header stayed at "Syncing…" with Cancel after a remote was added (about one sync.spec run in
// five) while main had long finished. Browser mode answers a call over HTTP and sends events over
// a separate stream, so a sync.status answer read while the automatic run was going could reach the
// renderer after that run's "finished" event, and put the finished run back on screen for good.
// Here: the real core and sync server, the renderer's real sync store, and a transport that gives
// answers and events each their own random delay (events stay in order, as on one stream).

declare global {
  // The node typecheck has no DOM; the renderer's store reads window.latchkey, which this test sets.
  var window: { latchkey: LatchkeyApi }
}

let harness: SyncHarness | null = null
afterEach(async () => {
  await harness?.dispose()
  harness = null
  useSyncStore.setState({ statuses: [], progress: {}, conflicts: null, error: null })
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Two channels with their own latency, like fetch + server-sent events in browser mode. */
function laggyTransport(h: SyncHarness, random: () => number, lagMs: { answer: number; event: number }) {
  const lag = (most: number) => sleep(Math.floor(random() * most))
  let queue: Promise<void> = Promise.resolve()
  let inFlight = 0
  // sync.status answers that caught a run going: without some, this test raced nothing.
  const caughtRunning = { count: 0 }
  const transport: Transport = {
    async invoke(name: ProcedureName, input: unknown) {
      await lag(lagMs.answer)
      const result = await h.core.router.dispatch(name, input, { origin: 'test' })
      if (name === 'sync.status' && result.ok && (result.value as RemoteSyncStatus[]).some((s) => s.running))
        caughtRunning.count += 1
      // Main arms the automatic run for a new remote at 0 ms: it starts as this answer travels.
      if (name === 'remotes.add') h.clock.advance(0)
      await lag(lagMs.answer)
      return result
    },
    subscribe(listener: (name: EventName, payload: unknown) => void) {
      return h.core.events.subscribe((name, payload) => {
        inFlight += 1
        queue = queue.then(async () => {
          await lag(lagMs.event)
          inFlight -= 1
          listener(name as EventName, payload)
        })
      })
    },
  }
  return {
    transport,
    caughtRunning,
    delivered: async () => (inFlight === 0 ? undefined : queue.then(() => undefined)),
  }
}

/** A small seeded PRNG so a failing iteration can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

async function mainIdle(h: SyncHarness): Promise<RemoteSyncStatus[]> {
  for (;;) {
    const statuses = await h.call<RemoteSyncStatus[]>('sync.status')
    if (!statuses.some((status) => status.running)) return statuses
    await sleep(2)
  }
}

describe('the renderer follows main after a remote is added', () => {
  it('never shows a run main has finished, whichever arrives first: the status answer or the event', async () => {
    harness = await syncHarness()
    const h = harness
    // A run as long as the trip of an answer or an event: the window the race needs.
    h.server.faults.add({ kind: 'latency', ms: 40 })
    await h.call('remotes.remove', { id: h.remote.id, discardPending: true })
    const seed = Number(process.env.RACE_SEED ?? 1)
    const random = mulberry32(seed)
    const { transport, delivered, caughtRunning } = laggyTransport(h, random, { answer: 40, event: 2 })
    const client: LatchkeyApi = createClient(transport)
    globalThis.window = { latchkey: client }
    // What use-sync-events wires: main's events into the store.
    const off = client.on('sync.statusChanged', (status) => useSyncStore.getState().statusChanged(status))
    const target = h.server.targetFor('activepieces')
    const stranded: number[] = []
    try {
      for (let iteration = 0; iteration < 40; iteration += 1) {
        // As RemoteDialog does: add, then read the remotes' sync status.
        const remote = (await client.remotes.add({
          name: `Team ${iteration}`,
          dialect: 'activepieces',
          baseUrl: target.baseUrl,
          projectId: target.projectId ?? null,
          orgId: null,
          apiKey: target.apiKey,
        })) as Remote
        await useSyncStore.getState().load()
        const inMain = await mainIdle(h)
        await delivered()
        const shown = useSyncStore.getState().statuses.find((status) => status.remoteId === remote.id)
        expect(inMain.find((status) => status.remoteId === remote.id)?.running).toBe(false)
        if (shown?.running !== false) stranded.push(iteration)
        await client.remotes.remove({ id: remote.id, discardPending: true })
        await delivered()
      }
    } finally {
      off()
    }
    expect(caughtRunning.count, 'status answers read while a run was going').toBeGreaterThan(0)
    expect(stranded, `iterations left showing a finished run (RACE_SEED=${seed})`).toEqual([])
  }, 120_000)
})
