import { describe, expect, it } from 'vitest'
import type { RefreshOutcome, Refresher } from '../../../src/main/oauth/refresher'
import { createRefreshScheduler, MIN_RETRY_MS, UNLOCK_SETTLE_MS } from '../../../src/main/oauth/scheduler'
import type { TokenStore } from '../../../src/main/oauth/token-store'
import { createManualClock } from '../../support/manual-clock'

// The scheduler's own decisions, over a refresher whose answers a test chooses: an answer that
// resolves at once must never re-queue the same connection at once. Before MIN_RETRY_MS, a row due by
// its column but "fresh" by its value (a vault migrated from an older version) spun a promise loop
// that never yielded, and the unlocked vault pinned a core.

function schedulerAnswering(outcome: RefreshOutcome) {
  const clock = createManualClock()
  const row = {
    id: 'conn_1',
    token_expires_ms: clock.now() - 60_000,
    issued_ms: clock.now() - 3_600_000,
    refresh_attempts: 0,
  }
  const calls: string[] = []
  const refresher = {
    refresh: async (id: string) => {
      calls.push(id)
      return outcome
    },
    saveUnsaved: () => undefined,
  } as unknown as Refresher
  const store = {
    *scheduleInRanges() {
      yield { rows: [row], more: false }
    },
    schedulesOf: (ids: string[]) => (ids.includes(row.id) ? [row] : []),
  } as unknown as TokenStore
  const scheduler = createRefreshScheduler({ store, refresher, clock, random: () => 0.5 })
  return { clock, calls, scheduler }
}

describe('the refresh scheduler never spins on an answer that comes back at once', () => {
  const outcomes: [string, RefreshOutcome, number][] = [
    ['fresh, but the value names no expiry', { result: 'fresh', dueMs: null }, 1],
    [
      'refused (only a person can fix it)',
      { result: 'failed', error: { kind: 'refused' } } as RefreshOutcome,
      1,
    ],
    ['superseded by a person', { result: 'superseded' }, 2],
    ['refreshed, yet the provider answered an already expired token', { result: 'refreshed' }, 2],
  ]
  it.each(outcomes)('%s', async (_name, outcome, callsAfterAWhile) => {
    const { clock, calls, scheduler } = schedulerAnswering(outcome)
    scheduler.start()
    expect(calls).toHaveLength(0)
    clock.advance(UNLOCK_SETTLE_MS)
    await scheduler.whenIdle()
    expect(calls).toHaveLength(1)
    clock.advance(MIN_RETRY_MS - 1)
    await scheduler.whenIdle()
    expect(calls).toHaveLength(1)
    clock.advance(1)
    await scheduler.whenIdle()
    // Only what a retry can change is retried, and not sooner than MIN_RETRY_MS.
    expect(calls).toHaveLength(callsAfterAWhile)
    scheduler.stop()
  })
})
