import { setImmediate as nextTurn } from 'node:timers/promises'
import type { AppConnection } from '../../shared/contract'
import { isAppError } from '../../shared/errors'
import type { EventListener } from '../api/event-bus'
import type { Clock } from '../adapters/clock'
import { backoffMs, MAX_FAILED_DAYS, refreshDueMs } from './refresh-policy'
import type { Refresher, RefreshOutcome } from './refresher'
import { scheduleOf, type TokenStore } from './token-store'
import { UNLOCK_SETTLE_MS } from '../app/unlock-settle'

/** How many refreshes run at once: enough to clear a backlog quickly, few enough not to hammer a provider. */
export const REFRESH_CONCURRENCY = 16
/** The timer never sleeps longer than this, so a changed wall clock (a suspend) is noticed within the hour. */
const MAX_SLEEP_MS = 60 * 60 * 1000
/**
 * However a refresh ended, the same connection is not tried again sooner than this. A provider that
 * hands out tokens already expired, or a row whose expiry column says "due" while its value says
 * otherwise, would otherwise be re-queued as soon as it settles: a loop of promises that never
 * yields to a timer, pinning a core (a vault migrated from an older version did exactly that).
 */
export const MIN_RETRY_MS = 30_000
export { UNLOCK_SETTLE_MS }
/** Rows (by rowid) per range of the unlock's read of due times: a few ms of main at a time. */
export const SCHEDULE_RANGE_ROWS = 2048

/**
 * Keeps every OAuth2 connection with a known expiry fresh while the vault is unlocked. It holds one
 * due time per connection (from plaintext columns, no value opened) and one timer for the earliest,
 * so 10,000 idle connections cost one timer, not 10,000. Due connections go through the refresher
 * (single-flight per connection) at most REFRESH_CONCURRENCY at a time. A transient failure waits
 * with backoff and jitter; a connection with MAX_FAILED_DAYS days of failures is left for a person
 * ("Refresh now" or Reconnect), as Nango's refresh_exhausted.
 */
/** What the one timer waits for: a connection and its effective due time. */
interface Armed {
  id: string
  at: number
}

export function createRefreshScheduler(dependencies: {
  store: TokenStore
  refresher: Refresher
  clock: Clock
  concurrency?: number
  random?: () => number
  /** Rows per range of the unlock's read (SCHEDULE_RANGE_ROWS); tests read a few at a time. */
  rangeRows?: number
}) {
  const { store, refresher, clock } = dependencies
  const concurrency = dependencies.concurrency ?? REFRESH_CONCURRENCY
  const due = new Map<string, number>()
  /** Not before this time: after a transient failure (backoff), or when the value says it is due later. */
  const notBefore = new Map<string, number>()
  const failures = new Map<string, number>()
  const queued = new Set<string>()
  const queue: string[] = []
  let running = 0
  let active = false
  let timer: unknown = null
  /** The connection and effective due time the timer is set for (null: no timer). */
  let armedFor: Armed | null = null
  let idleWaiters: (() => void)[] = []
  /** No catch-up before this (UNLOCK_SETTLE_MS after an unlock), whatever changes meanwhile. */
  let settleUntil = 0
  /** Whether the unlock's read of every due time is still under way (readSchedule). */
  let reading = false
  /** Which unlock a read belongs to: a lock (and unlock) meanwhile leaves an older read behind. */
  let unlocks = 0
  /** A pump is waiting for the next turn (pump). */
  let pumpSoon = false

  function start(): void {
    refresher.saveUnsaved()
    active = true
    due.clear()
    // Caught up on unlock: whatever fell due while locked is due now, once the first screen is drawn.
    // A floor on the first wake rather than an extra timer: a vault with no OAuth tokens arms nothing.
    settleUntil = clock.now() + UNLOCK_SETTLE_MS
    void readSchedule((unlocks += 1))
  }

  /**
   * Every due time, a range of rows per turn of the event loop (the whole read held the unlock
   * ~70 ms at 100k connections). A vault that fits one range is read before start() returns. Rows
   * that change meanwhile are followed by onEvent; a range read later reads them as they are then,
   * so the map ends the same as one read. The catch-up waits for the whole read (fire), which ends
   * long before the settle.
   */
  async function readSchedule(unlock: number): Promise<void> {
    reading = true
    const current = () => unlock === unlocks && active
    try {
      const ranges = store.scheduleInRanges(dependencies.rangeRows ?? SCHEDULE_RANGE_ROWS)
      for (let range = ranges.next(); !range.done; range = ranges.next()) {
        // Tracked in the turn they were read in: an event after this turn sees them already.
        for (const row of range.value.rows) track(row)
        if (!range.value.more) break
        await nextTurn()
        if (!current()) break
      }
    } catch (error) {
      // Locked between two ranges: stop() has cleared everything and the next unlock reads again.
      if (!isAppError(error, 'VAULT_LOCKED')) throw error
    } finally {
      if (unlock === unlocks) reading = false
    }
    if (current()) arm()
    if (!reading && running === 0 && queue.length === 0) wakeIdleWaiters()
  }

  function stop(): void {
    active = false
    setTimer(null)
    due.clear()
    notBefore.clear()
    failures.clear()
    queue.length = 0
    queued.clear()
  }

  function track(row: {
    id: string
    token_expires_ms: number
    issued_ms: number
    refresh_attempts: number
  }): void {
    if (row.refresh_attempts >= MAX_FAILED_DAYS) due.delete(row.id)
    else due.set(row.id, refreshDueMs(row.token_expires_ms, row.issued_ms))
  }

  /** The bus's listener: follows every committed change, whoever wrote it, and the vault's lock state. */
  const onEvent: EventListener = (name, payload, detail) => {
    if (name === 'vault.stateChanged') {
      const { state } = payload as { state: string }
      if (state === 'unlocked') start()
      else stop()
      return
    }
    if (name !== 'connections.changed' || !active) return
    const { ids, kind } = payload as { ids: string[]; kind: string }
    // One statement per event, not per id: a batch of 500 writes is one event of 500 ids, most of
    // them not OAuth2 at all.
    const rows = kind === 'deleted' ? [] : schedulesAfter(ids, detail?.connections)
    for (const id of ids) due.delete(id)
    for (const row of rows) track(row)
    armAfterChange(ids)
  }

  /**
   * The schedule rows of `ids` as committed: from the event's connections when the writer sent
   * them (the connections service does: 500 rows of a batch are not read back), else one read.
   */
  function schedulesAfter(ids: readonly string[], connections: readonly AppConnection[] | undefined) {
    if (!connections) return store.schedulesOf(ids)
    const latest = new Map<string, AppConnection>()
    for (const connection of connections) latest.set(connection.id, connection)
    const unread = ids.filter((id) => !latest.has(id))
    const rows = unread.length > 0 ? store.schedulesOf(unread) : []
    for (const id of ids) {
      const connection = latest.get(id)
      const row = connection && scheduleOf(connection)
      if (row) rows.push(row)
    }
    return rows
  }

  function effectiveDue(id: string, dueMs: number): number {
    return Math.max(dueMs, notBefore.get(id) ?? 0)
  }

  function arm(): void {
    // While a backlog is being worked through, each finished refresh would scan every connection
    // again (10,000 × 1,000 on a catch-up); the backlog's end looks once instead (pump).
    if (!active || running > 0) return
    setTimer(earliestAmong(due.keys(), null))
  }

  /**
   * arm() after a change to `ids` alone: the timer's own connection unchanged, the earliest is the
   * earlier of the timer's and the changed rows'. A batch of 500 writes is one event; a full look
   * over 28k tracked tokens per event was ~0.6 ms of every upsertBatch.
   */
  function armAfterChange(ids: readonly string[]): void {
    if (!active || running > 0) return
    const armed = armedFor
    if (armed === null || ids.includes(armed.id)) return arm()
    const earliest = earliestAmong(ids, armed)
    if (earliest !== armed) setTimer(earliest)
  }

  /** The earliest effective due time among `ids` (tracked, not queued), or `from` if none is earlier. */
  function earliestAmong(ids: Iterable<string>, from: Armed | null): Armed | null {
    let earliest = from
    for (const id of ids) {
      const dueMs = due.get(id)
      if (dueMs === undefined || queued.has(id)) continue
      const at = effectiveDue(id, dueMs)
      if (earliest === null || at < earliest.at) earliest = { id, at }
    }
    return earliest
  }

  function setTimer(target: Armed | null): void {
    if (timer !== null) clock.clearTimeout(timer)
    timer = null
    armedFor = target
    if (target === null) return
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, Math.max(target.at, settleUntil) - clock.now()))
    timer = clock.setTimeout(() => {
      timer = null
      armedFor = null
      fire()
    }, wait)
  }

  function fire(): void {
    // The read's end arms again, with every due time known.
    if (!active || reading) return
    const nowMs = clock.now()
    if (nowMs < settleUntil) return arm()
    for (const [id, dueMs] of due) {
      if (!queued.has(id) && effectiveDue(id, dueMs) <= nowMs) {
        queued.add(id)
        queue.push(id)
      }
    }
    pump()
    arm()
  }

  /**
   * Starts one refresh, and the next in the following turn of the event loop while there is room:
   * each start reads and opens the row and sets up a TLS connection, and the 16 of a catch-up
   * started in one turn held main ~40-90 ms at the unlock's settle (with the first fetch's own set-up),
   * long enough to hold a keystroke's page of rows back.
   */
  function pump(): void {
    if (!active || running >= concurrency || queue.length === 0) return
    const id = queue.shift()!
    running += 1
    refresher
      .refresh(id, 'system')
      .then((outcome) => settle(id, outcome))
      // Locked mid-request, or the connection deleted: the next unlock or change starts over.
      .catch(() => notBefore.set(id, clock.now() + backoffMs(1, dependencies.random)))
      .finally(() => {
        running -= 1
        queued.delete(id)
        pump()
        if (running === 0) fire()
        if (running === 0 && queue.length === 0 && !reading) wakeIdleWaiters()
      })
    if (running < concurrency && queue.length > 0 && !pumpSoon) {
      pumpSoon = true
      setImmediate(() => {
        pumpSoon = false
        pump()
      })
    }
  }

  function wakeIdleWaiters(): void {
    const waiters = idleWaiters
    idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  function settle(id: string, outcome: RefreshOutcome): void {
    const nowMs = clock.now()
    if (outcome.result === 'failed' && outcome.error.kind === 'transient') {
      const count = (failures.get(id) ?? 0) + 1
      failures.set(id, count)
      notBefore.set(id, nowMs + Math.max(MIN_RETRY_MS, backoffMs(count, dependencies.random)))
      return
    }
    failures.delete(id)
    if (outcome.result === 'fresh' && outcome.dueMs !== null && outcome.dueMs > nowMs) {
      notBefore.set(id, outcome.dueMs)
    } else if (outcome.result === 'fresh' || outcome.result === 'failed') {
      // Nothing a retry can change (no expiry in the value, or a refusal only a person can fix):
      // watch it again when its row changes (onEvent tracks it anew).
      due.delete(id)
      notBefore.delete(id)
    } else {
      notBefore.set(id, nowMs + MIN_RETRY_MS)
    }
  }

  return {
    onEvent,
    start,
    stop,
    /** Resolves once nothing is queued or running and the unlock's read is done (tests, the benchmark). */
    whenIdle(): Promise<void> {
      if (running === 0 && queue.length === 0 && !reading) return Promise.resolve()
      return new Promise((resolve) => idleWaiters.push(resolve))
    },
    /** For tests and the benchmark: how many connections it is watching, and whether a timer is set. */
    stats: () => ({ tracked: due.size, running, queued: queue.length, armed: timer !== null, reading }),
  }
}

export type RefreshScheduler = ReturnType<typeof createRefreshScheduler>
