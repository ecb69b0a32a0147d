import { describe, expect, it } from 'vitest'
import type { Refresher } from '../../../src/main/oauth/refresher'
import { createRefreshScheduler, UNLOCK_SETTLE_MS } from '../../../src/main/oauth/scheduler'
import type { ScheduleRow, TokenStore } from '../../../src/main/oauth/token-store'
import { refreshDueMs } from '../../../src/main/oauth/refresh-policy'
import { createManualClock } from '../../support/manual-clock'

// The unlock reads every token's due time a range of rows per turn of the event loop, not in one
// go inside the unlock (~70 ms at 100k connections). Whatever was due at unlock is still refreshed
// at the settle, and a change during the read is never undone by a range read before it.

const DAY_MS = 24 * 60 * 60 * 1000

function harness(
  count: number,
  rangeRows: number,
  answer: () => Promise<unknown> = async () => ({ result: 'refreshed' }),
) {
  const clock = createManualClock()
  // The table as the store would read it now, in rowid order.
  const rows: ScheduleRow[] = Array.from({ length: count }, (_, i) => ({
    id: `conn_${i}`,
    token_expires_ms: clock.now() - 60_000,
    issued_ms: clock.now() - 3_600_000,
    refresh_attempts: 0,
  }))
  const calls: string[] = []
  const refresher = {
    refresh: (id: string) => {
      calls.push(id)
      return answer()
    },
    saveUnsaved: () => undefined,
  } as unknown as Refresher
  const store = {
    *scheduleInRanges(size: number) {
      for (let from = 0; from < rows.length; from += size) {
        yield {
          rows: rows.slice(from, from + size).map((row) => ({ ...row })),
          more: from + size < rows.length,
        }
      }
    },
    schedulesOf: (ids: string[]) => rows.filter((row) => ids.includes(row.id)).map((row) => ({ ...row })),
  } as unknown as TokenStore
  const scheduler = createRefreshScheduler({ store, refresher, clock, random: () => 0.5, rangeRows })
  const unlock = () => scheduler.onEvent('vault.stateChanged', { state: 'unlocked' })
  const lock = () => scheduler.onEvent('vault.stateChanged', { state: 'locked' })
  const changed = (ids: string[], kind = 'updated') => scheduler.onEvent('connections.changed', { ids, kind })
  return { clock, rows, calls, scheduler, unlock, lock, changed }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('the unlock reads due times in ranges', () => {
  it('reads one range per turn and still refreshes every token due at unlock at the settle', async () => {
    const { clock, calls, scheduler, unlock } = harness(10, 3)
    unlock()
    // Only the first range was read inside the unlock.
    expect(scheduler.stats()).toMatchObject({ tracked: 3, reading: true })
    await scheduler.whenIdle()
    expect(scheduler.stats()).toMatchObject({ tracked: 10, reading: false })
    clock.advance(UNLOCK_SETTLE_MS - 1)
    await scheduler.whenIdle()
    expect(calls).toEqual([])
    clock.advance(1)
    await scheduler.whenIdle()
    expect([...calls].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `conn_${i}`).sort())
    scheduler.stop()
  })

  it('follows changes made during the read, before or after their range was read', async () => {
    const { clock, rows, calls, scheduler, unlock, changed } = harness(9, 3)
    unlock()
    // conn_1's range has been read; conn_7's has not. A person reconnects both (fresh for a month),
    // and conn_4 is deleted.
    for (const id of ['conn_1', 'conn_7']) {
      rows.find((row) => row.id === id)!.token_expires_ms = clock.now() + 30 * DAY_MS
      rows.find((row) => row.id === id)!.issued_ms = clock.now()
    }
    changed(['conn_1', 'conn_7'])
    rows.splice(
      rows.findIndex((row) => row.id === 'conn_4'),
      1,
    )
    changed(['conn_4'], 'deleted')
    await scheduler.whenIdle()
    expect(scheduler.stats().tracked).toBe(8)
    clock.advance(UNLOCK_SETTLE_MS)
    await scheduler.whenIdle()
    expect([...calls].sort()).toEqual(['conn_0', 'conn_2', 'conn_3', 'conn_5', 'conn_6', 'conn_8'])
    scheduler.stop()
  })

  it('drops a read a lock interrupted, and reads everything again at the next unlock', async () => {
    const { clock, calls, scheduler, unlock, lock } = harness(8, 2)
    unlock()
    lock()
    await turn()
    await turn()
    expect(scheduler.stats()).toMatchObject({ tracked: 0, reading: false })
    clock.advance(UNLOCK_SETTLE_MS)
    expect(calls).toEqual([])
    unlock()
    await scheduler.whenIdle()
    expect(scheduler.stats().tracked).toBe(8)
    clock.advance(UNLOCK_SETTLE_MS)
    await scheduler.whenIdle()
    expect(calls).toHaveLength(8)
    scheduler.stop()
  })

  it('starts the catch-up one refresh per turn of the event loop, not all 16 in one', async () => {
    // Requests that stay out: how many have started is how many turns have passed.
    const { clock, calls, scheduler, unlock } = harness(5, 100, () => new Promise(() => {}))
    unlock()
    clock.advance(UNLOCK_SETTLE_MS)
    expect(calls).toHaveLength(1)
    await turn()
    expect(calls).toHaveLength(2)
    for (let i = 0; i < 5; i += 1) await turn()
    expect(calls).toHaveLength(5)
    expect(scheduler.stats()).toMatchObject({ running: 5, queued: 0 })
    scheduler.stop()
  })
})

describe('one timer for the earliest due time, kept by each change', () => {
  // Five tokens due one hour apart; the timer waits for the earliest. A change to other rows moves
  // it only when one of them is now earlier; a change to the row it waits for looks at every row.
  const HOUR_MS = 3_600_000
  async function spread() {
    const h = harness(5, 100)
    h.rows.forEach((row, i) => {
      row.issued_ms = h.clock.now()
      row.token_expires_ms = h.clock.now() + 2 * DAY_MS + (i + 1) * HOUR_MS
    })
    h.unlock()
    await h.scheduler.whenIdle()
    h.clock.advance(UNLOCK_SETTLE_MS)
    await h.scheduler.whenIdle()
    expect(h.calls).toEqual([])
    const dueOf = (i: number) => refreshDueMs(h.rows[i]!.token_expires_ms, h.rows[i]!.issued_ms)
    // This refresher writes nothing back, so a refreshed row is due again after MIN_RETRY_MS: the
    // order of first refreshes is what the timer decided.
    const firsts = () => [...new Set(h.calls)]
    const until = async (ms: number) => {
      h.clock.advance(ms - h.clock.now())
      await h.scheduler.whenIdle()
    }
    return { ...h, dueOf, until, firsts }
  }

  it('moves earlier for a changed row now due first, and not for one due later', async () => {
    const h = await spread()
    const first = h.dueOf(0)
    h.rows[3]!.token_expires_ms = h.rows[0]!.token_expires_ms - 30 * 60_000
    h.rows[2]!.token_expires_ms += DAY_MS
    h.changed(['conn_3', 'conn_2'])
    expect(h.dueOf(3)).toBeLessThan(first)
    await h.until(h.dueOf(3))
    expect(h.firsts()).toEqual(['conn_3'])
    await h.until(first)
    expect(h.firsts()).toEqual(['conn_3', 'conn_0'])
    h.scheduler.stop()
  })

  it('looks at every row when the one it waits for moves later or goes', async () => {
    const h = await spread()
    h.rows[0]!.token_expires_ms += DAY_MS
    h.changed(['conn_0'])
    await h.until(h.dueOf(1) - 1)
    expect(h.firsts()).toEqual([])
    await h.until(h.dueOf(1))
    expect(h.firsts()).toEqual(['conn_1'])
    h.changed(['conn_2'], 'deleted')
    await h.until(h.dueOf(3))
    expect(h.firsts()).toEqual(['conn_1', 'conn_3'])
    h.scheduler.stop()
  })
})
