import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ProcedureName } from '../../src/shared/contract'
import { createClient, type LatchkeyApi } from '../../src/shared/client'
import { COALESCE_MS, followConnectionChanges } from '../../src/renderer/src/stores/connection-changes'
import { useConnectionsQuery } from '../../src/renderer/src/stores/connections-query-store'
import { useFacetsStore } from '../../src/renderer/src/stores/facets-store'
import {
  afterFirstPage,
  FIRST_PAGE_AT_MOST_MS,
  forgetFirstPage,
} from '../../src/renderer/src/stores/first-page'
import { useVaultStore } from '../../src/renderer/src/stores/vault-store'
import { createUnlockedTestCore, TEST_CONTEXT, TEST_PASSWORD, type UnlockedTestCore } from '../support/vault'
import { secretText } from '../main/connections/support'

// The renderer's stores against a real core (real vault file, real router and event bus), through
// the same typed client the renderer builds over its bridge. Only the timers are fake, so a burst
// spread over a second runs in no time.

declare global {
  // The bridge the renderer's stores read; this program has no DOM, so the test stands one in.
  var window: { latchkey: LatchkeyApi }
}

const PIECES = ['@activepieces/piece-slack', '@activepieces/piece-gmail', '@activepieces/piece-github']

let t: UnlockedTestCore
let calls: ProcedureName[]

beforeEach(async () => {
  t = await createUnlockedTestCore()
  calls = []
  const client = createClient({
    invoke: (name, input) => {
      calls.push(name)
      return t.core.router.dispatch(name, input, TEST_CONTEXT)
    },
    subscribe: (listener) => t.core.events.subscribe(listener),
  })
  vi.stubGlobal('window', { latchkey: client })
  forgetFirstPage()
})

afterEach(async () => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  await t.dispose()
})

const count = (name: ProcedureName) => calls.filter((call) => call === name).length

/** Lets the real core's promises settle while fake time stands still. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await vi.advanceTimersByTimeAsync(0)
}

function create(i: number) {
  return t.call('connections.create', {
    displayName: `Burst ${i}`,
    pieceName: PIECES[i % PIECES.length],
    type: 'SECRET_TEXT',
    externalId: `ext_burst_${i}`,
    value: secretText(),
  })
}

describe('connections.changed in the renderer', () => {
  it('reads the list once per frame and the facets once a second through a burst, and shows the vault as it is at the end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const stop = followConnectionChanges()
    useConnectionsQuery.getState().invalidate()
    await settle()
    calls = []
    let events = 0
    const off = t.core.events.subscribe((name) => void (name === 'connections.changed' && (events += 1)))

    // 300 writes, one every 4 ms (1.2 s): each announced on its own, as the token refresher does.
    const WRITES = 300
    for (let i = 0; i < WRITES; i += 1) {
      await create(i)
      await vi.advanceTimersByTimeAsync(4)
    }
    await vi.advanceTimersByTimeAsync(2000)
    await settle()
    stop()
    off()

    expect(events).toBe(WRITES)
    // One list read per COALESCE_MS of the burst, not one per event (300 before).
    expect(count('connections.slice')).toBeLessThanOrEqual(Math.ceil((WRITES * 4) / COALESCE_MS) + 2)
    expect(count('connections.slice')).toBeGreaterThan(1)
    // Facets at most once a second (plus the read after the burst), not once per event.
    expect(count('connections.facets')).toBeGreaterThanOrEqual(2)
    expect(count('connections.facets')).toBeLessThanOrEqual(3)

    // The end: the list's total and the pickers' counts are the vault's.
    expect(useConnectionsQuery.getState().total).toBe(WRITES)
    const facets = useFacetsStore.getState().facets!
    expect(facets.total).toBe(WRITES)
    expect(Object.fromEntries(facets.pieces.map((p) => [p.pieceName, p.count]))).toEqual(
      Object.fromEntries(
        PIECES.map((piece, k) => [piece, WRITES / PIECES.length + (k < WRITES % 3 ? 1 : 0)]),
      ),
    )
  })

  it('one change on its own shows within a frame', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const stop = followConnectionChanges()
    useConnectionsQuery.getState().invalidate()
    await settle()
    const before = count('connections.slice')
    await create(0)
    await vi.advanceTimersByTimeAsync(COALESCE_MS)
    await settle()
    stop()
    expect(count('connections.slice')).toBe(before + 1)
    expect(useConnectionsQuery.getState().total).toBe(1)
  })

  it('lets background readers ask only after the first page has landed, or after a cap', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    await create(1)
    const order: string[] = []
    afterFirstPage(() => order.push(`facets after ${count('connections.slice')} slice`))
    useConnectionsQuery.getState().invalidate()
    expect(order).toEqual([])
    await settle()
    expect(order).toEqual(['facets after 1 slice'])
    // Once landed, a reader asks at once.
    afterFirstPage(() => order.push('at once'))
    expect(order).toHaveLength(2)

    // After a lock nobody waits forever for a list that is never shown.
    forgetFirstPage()
    const late = vi.fn()
    afterFirstPage(late)
    await vi.advanceTimersByTimeAsync(FIRST_PAGE_AT_MOST_MS - 1)
    expect(late).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(late).toHaveBeenCalledOnce()
  })

  it('asks for the first page the moment the vault opens, and the list uses it unless something changed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    await create(1)
    const vault = useVaultStore.getState()
    await vault.refresh()
    await vault.lock()
    expect(useConnectionsQuery.getState().total).toBeNull()
    calls = []
    await vault.unlock(TEST_PASSWORD)
    // Asked while the unlock's answer was being handled: before the shell mounts and asks the rest.
    expect(calls).toEqual(['vault.unlock', 'connections.slice'])
    await settle()
    useConnectionsQuery.getState().enter()
    await settle()
    expect(count('connections.slice')).toBe(1)
    expect(useConnectionsQuery.getState().total).toBe(1)

    // A change announced between the unlock and the list showing: the list reads again.
    await vault.lock()
    await vault.unlock(TEST_PASSWORD)
    await create(2)
    calls = []
    useConnectionsQuery.getState().enter()
    await settle()
    expect(count('connections.slice')).toBe(1)
    expect(useConnectionsQuery.getState().total).toBe(2)
  })
})
