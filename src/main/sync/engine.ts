import type { AppConnection } from '../../shared/contract/connections'
import type {
  ConnectionSyncState,
  RemoteSyncStatus,
  SyncConflict,
  SyncFailure,
  SyncRunSummary,
} from '../../shared/contract/sync'
import type { EventBus, EventListener } from '../api/event-bus'
import type { Clock } from '../adapters/clock'
import type { Fetch } from '../adapters/fetch'
import { createRepositoryAccess } from '../vault/repository-access'
import type { VaultSession } from '../vault/session'
import { nextDelayMs } from './backoff'
import { listConflicts, resolveConflict, type ConflictsDependencies } from './conflicts'
import { createRemoteClient, type RemoteClient, type RemoteTarget } from './dialects/remote-client'
import { isRemoteError } from './dialects/remote-error'
import { parseFailure, syncFailureOf } from './failure'
import { pullRemote } from './pull'
import { pushOutbox } from './push'
import type { RemotesService } from './remotes-service'
import type { RunContext } from './run-context'
import {
  deadlineError,
  RUN_ABANDON_GRACE_MS,
  RUN_DEADLINE_MS,
  runWithDeadline,
  type Deadline,
} from './run-deadline'
import { createSyncRepository, type RemoteStatusRow, type SyncRepository } from './sync-repository'
import { UNLOCK_SETTLE_MS } from '../app/unlock-settle'

/** How often an idle, healthy remote is pulled for changes made elsewhere. */
export const PULL_INTERVAL_MS = 5 * 60_000
/** A local edit goes out this long after the last one: a burst of edits is one run. */
export const PUSH_SETTLE_MS = 1_500

export interface SyncEngineDependencies {
  session: () => VaultSession
  remotes: RemotesService
  events: EventBus
  clock: Clock
  fetch: Fetch
  /** Math.random in the product; tests fix it. */
  jitter?: () => number
  newConnectionId(nowMs: number): string
  connection(id: string): AppConnection
  /** A test swaps in clients that count or fail; the product builds H3's dialect clients. */
  createClient?: (target: RemoteTarget) => RemoteClient
  timeoutMs?: number
  /** How long one run may take before it ends as failed; RUN_DEADLINE_MS in the product. */
  runDeadlineMs?: number
}

interface Running {
  controller: AbortController
  promise: Promise<SyncRunSummary>
}

/**
 * Runs sync per remote: pull (so a change made there is seen before anything here goes over it),
 * then push. One run per remote at a time; sync.run joins a running one. While unlocked, it runs
 * by itself: shortly after a local change, every PULL_INTERVAL_MS, and after a failure with backoff
 * and jitter (a 429's Retry-After as the floor). Events go out after each commit.
 */
export function createSyncEngine(dependencies: SyncEngineDependencies) {
  const { events, clock } = dependencies
  const jitter = dependencies.jitter ?? Math.random
  const runDeadlineMs = dependencies.runDeadlineMs ?? RUN_DEADLINE_MS
  const withVault = createRepositoryAccess(dependencies.session, createSyncRepository)
  const running = new Map<string, Running>()
  const timers = new Map<string, unknown>()
  let active = false
  let settleTimer: unknown = null

  const clientFor =
    dependencies.createClient ??
    ((target: RemoteTarget) =>
      createRemoteClient(target, { fetch: dependencies.fetch, clock, timeoutMs: dependencies.timeoutMs }))

  const conflictsDependencies: ConflictsDependencies = {
    withVault,
    now: () => clock.now(),
    connection: dependencies.connection,
    changed: (ids) => events.emit('connections.changed', { ids, kind: 'updated' }),
  }

  function run(
    remoteId: string | undefined,
    options: { manual: boolean } = { manual: true },
  ): Promise<SyncRunSummary[]> {
    const ids =
      remoteId === undefined
        ? dependencies.remotes.list().map((remote) => remote.id)
        : [dependencies.remotes.get(remoteId).id]
    return Promise.all(ids.map((id) => runOne(id, options.manual)))
  }

  function runOne(remoteId: string, manual: boolean): Promise<SyncRunSummary> {
    const existing = running.get(remoteId)
    if (existing) return existing.promise
    clearTimer(remoteId)
    const controller = new AbortController()
    const startedMs = clock.now()
    const entry: Running = {
      controller,
      promise: runWithDeadline({
        clock,
        ms: runDeadlineMs,
        graceMs: RUN_ABANDON_GRACE_MS,
        controller,
        work: (deadline) => execute(remoteId, controller, manual, deadline, startedMs),
        whenAbandoned: () => deadlineFailure(remoteId, startedMs),
      }).finally(() => {
        // A run left behind at its deadline may settle much later, when another run holds the slot.
        if (running.get(remoteId) !== entry) return
        running.delete(remoteId)
        publishStatus(remoteId)
        // Edits made while this run was out wait for the next one, soon.
        if (waitingEntries(remoteId) > 0) pushSoon()
      }),
    }
    const { promise } = entry
    running.set(remoteId, entry)
    publishStatus(remoteId)
    return promise
  }

  function emptySummary(remoteId: string): SyncRunSummary {
    return { remoteId, pushed: 0, pulled: 0, conflicts: 0, failed: 0, cancelled: false, error: null }
  }

  /** A run past its deadline ends as failed (and retries with backoff), never as a person's Cancel. */
  function deadlineFailure(remoteId: string, startedMs: number): SyncRunSummary {
    const summary = emptySummary(remoteId)
    const error = deadlineError(remoteNameOf(remoteId), runDeadlineMs)
    summary.error = syncFailureOf(error, clock.now())
    recordFailure(remoteId, startedMs, summary.error, error)
    return summary
  }

  function remoteNameOf(remoteId: string): string {
    try {
      return dependencies.remotes.get(remoteId).name
    } catch {
      return remoteId
    }
  }

  async function execute(
    remoteId: string,
    controller: AbortController,
    manual: boolean,
    deadline: Deadline,
    startedMs: number,
  ): Promise<SyncRunSummary> {
    const summary = emptySummary(remoteId)
    try {
      const client = clientFor(dependencies.remotes.target(remoteId))
      const context = contextFor(remoteId, client, controller.signal)
      const pulled = await pullRemote(context)
      summary.pulled = pulled.pulled
      summary.conflicts = pulled.conflicts
      const pushed = await pushOutbox(context, { retryStopped: manual })
      summary.pushed = pushed.pushed
      summary.failed = pushed.failed
      if (deadline.abandoned()) return summary
      recordSuccess(remoteId, startedMs)
    } catch (error) {
      // Answered for already, when the deadline's grace ran out.
      if (deadline.abandoned()) return summary
      if (deadline.expired()) return deadlineFailure(remoteId, startedMs)
      if (controller.signal.aborted || (isRemoteError(error) && error.kind === 'cancelled')) {
        summary.cancelled = true
      } else {
        summary.error = syncFailureOf(error, clock.now())
        recordFailure(remoteId, startedMs, summary.error, error)
      }
    }
    return summary
  }

  function contextFor(remoteId: string, client: RemoteClient, signal: AbortSignal): RunContext {
    return {
      remoteId,
      client,
      signal,
      withVault,
      now: () => clock.now(),
      newConnectionId: dependencies.newConnectionId,
      progress: (phase, done, total) => events.emit('sync.progress', { remoteId, phase, done, total }),
      changed: (ids, kind) => events.emit('connections.changed', { ids, kind }),
    }
  }

  function recordSuccess(remoteId: string, startedMs: number): void {
    const nowMs = clock.now()
    const row: RemoteStatusRow = {
      remote_id: remoteId,
      last_success_ms: nowMs,
      last_attempt_ms: startedMs,
      last_error: null,
      next_attempt_ms: active ? nowMs + PULL_INTERVAL_MS : null,
      consecutive_failures: 0,
    }
    saveStatus(row)
    if (active) arm(remoteId, PULL_INTERVAL_MS)
  }

  function recordFailure(remoteId: string, startedMs: number, failure: SyncFailure, error: unknown): void {
    const previous = statusRow(remoteId)
    const failures = (previous?.consecutive_failures ?? 0) + 1
    const transient = !isRemoteError(error) || error.transient
    const retryAfterMs = isRemoteError(error) ? error.retryAfterMs : undefined
    // A refusal of the whole remote (a 401, a wrong path) waits longer: it needs a person.
    const delay = transient ? nextDelayMs(failures, jitter, retryAfterMs) : PULL_INTERVAL_MS
    const nowMs = clock.now()
    saveStatus({
      remote_id: remoteId,
      last_success_ms: previous?.last_success_ms ?? null,
      last_attempt_ms: startedMs,
      last_error: JSON.stringify(failure),
      next_attempt_ms: active ? nowMs + delay : null,
      consecutive_failures: failures,
    })
    if (active) arm(remoteId, delay)
  }

  /** Entries a run would send: not those the remote refused, which wait for an edit or a sync.run. */
  function waitingEntries(remoteId: string): number {
    try {
      const counts = withVault((_session, repository) => repository.outboxCount(remoteId))
      return counts.pending - counts.failed
    } catch {
      return 0
    }
  }

  function statusRow(remoteId: string): RemoteStatusRow | undefined {
    try {
      return withVault((_session, repository) => repository.status(remoteId))
    } catch {
      return undefined
    }
  }

  function saveStatus(row: RemoteStatusRow): void {
    try {
      withVault((session, repository) => session.transaction(() => repository.saveStatus(row)))
    } catch {
      // Locked (or the remote removed) meanwhile: nothing to record against.
    }
  }

  function arm(remoteId: string, delayMs: number): void {
    clearTimer(remoteId)
    const handle = clock.setTimeout(
      () => {
        timers.delete(remoteId)
        if (active) void runOne(remoteId, false).catch(() => undefined)
      },
      Math.max(0, delayMs),
    )
    timers.set(remoteId, handle)
  }

  function clearTimer(remoteId: string): void {
    const handle = timers.get(remoteId)
    if (handle !== undefined) clock.clearTimeout(handle)
    timers.delete(remoteId)
  }

  function cancel(remoteId?: string): number {
    let cancelled = 0
    for (const [id, entry] of running) {
      if (remoteId !== undefined && id !== remoteId) continue
      entry.controller.abort()
      cancelled += 1
    }
    return cancelled
  }

  function statusOf(remoteId: string, name: string, repository: SyncRepository): RemoteSyncStatus {
    const row = repository.status(remoteId)
    const counts = repository.outboxCount(remoteId)
    const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString())
    return {
      remoteId,
      name,
      pending: counts.pending,
      failed: counts.failed,
      conflicts: repository.conflictCount(remoteId),
      running: running.has(remoteId),
      lastSuccessAt: iso(row?.last_success_ms),
      lastAttemptAt: iso(row?.last_attempt_ms),
      lastError: parseFailure(row?.last_error ?? null),
      nextAttemptAt: running.has(remoteId) || !active ? null : iso(row?.next_attempt_ms),
      stopped: repository.stopped(remoteId).map((entry) => ({
        connectionId: entry.connection_id,
        displayName:
          entry.display_name ?? String(JSON.parse(entry.payload).displayName ?? entry.connection_id),
        operation: entry.operation,
        error: parseFailure(entry.stopped_error)!,
      })),
    }
  }

  function status(): RemoteSyncStatus[] {
    const remotes = dependencies.remotes.list()
    return withVault((_session, repository) =>
      remotes.map((remote) => statusOf(remote.id, remote.name, repository)),
    )
  }

  function publishStatus(remoteId: string): void {
    try {
      const remote = dependencies.remotes.get(remoteId)
      const payload = withVault((_session, repository) => statusOf(remoteId, remote.name, repository))
      events.emit('sync.statusChanged', payload)
    } catch {
      // Locked or removed: there is no status to announce.
    }
  }

  function connectionStates(ids: readonly string[]): ConnectionSyncState[] {
    return withVault((_session, repository) => {
      const states = new Map(repository.states(ids).map((state) => [state.connection_id, state]))
      const stoppedByRemote = new Map<string, Map<string, string | null>>()
      const answers: ConnectionSyncState[] = []
      for (const id of new Set(ids)) {
        const row = repository.row(id)
        if (!row || row.remote_key === '') continue
        let stopped = stoppedByRemote.get(row.remote_key)
        if (!stopped) {
          stopped = new Map(
            repository.stopped(row.remote_key).map((entry) => [entry.connection_id, entry.stopped_error]),
          )
          stoppedByRemote.set(row.remote_key, stopped)
        }
        const state = states.get(id)
        const remoteConnectionId = state?.remote_connection_id ?? null
        answers.push({
          connectionId: id,
          remoteConnectionId,
          secretHeldRemotely: row.has_value === 0 && remoteConnectionId !== null,
          deletedOnRemote: state?.deleted_on_remote === 1,
          conflict: state !== undefined && state.conflict_copy !== null,
          lastSyncedAt: state?.last_synced_ms == null ? null : new Date(state.last_synced_ms).toISOString(),
          error: parseFailure(stopped.get(id) ?? null),
        })
      }
      return answers
    })
  }

  /**
   * Unlocked: each remote runs when its stored next attempt comes, but not within the unlock's
   * settle: a run reads the outbox and answers status in main, ahead of the first page of rows.
   */
  function start(): void {
    if (active) return
    active = true
    for (const remote of dependencies.remotes.list()) scheduleFromStatus(remote.id, UNLOCK_SETTLE_MS)
  }

  function scheduleFromStatus(remoteId: string, notBeforeMs = 0): void {
    const row = statusRow(remoteId)
    const dueMs = row?.next_attempt_ms ?? clock.now()
    arm(remoteId, Math.max(dueMs - clock.now(), notBeforeMs))
  }

  function stop(): void {
    active = false
    cancel()
    for (const remoteId of [...timers.keys()]) clearTimer(remoteId)
    if (settleTimer !== null) clock.clearTimeout(settleTimer)
    settleTimer = null
    if (announceTimer !== null) clock.clearTimeout(announceTimer)
    announceTimer = null
  }

  /** A local change to a synced connection: push soon, unless a backoff says later. */
  function pushSoon(): void {
    if (!active) return
    if (settleTimer !== null) clock.clearTimeout(settleTimer)
    settleTimer = clock.setTimeout(() => {
      settleTimer = null
      if (!active) return
      try {
        for (const remote of dependencies.remotes.list()) {
          if (running.has(remote.id) || waitingEntries(remote.id) === 0) continue
          const row = statusRow(remote.id)
          const waitMs = (row?.next_attempt_ms ?? 0) - clock.now()
          // In backoff: the timer already set goes first.
          if ((row?.consecutive_failures ?? 0) > 0 && waitMs > 0) continue
          arm(remote.id, 0)
        }
      } catch {
        // Locked meanwhile.
      }
    }, PUSH_SETTLE_MS)
  }

  const onEvent: EventListener = (name, payload) => {
    if (name === 'vault.stateChanged') {
      const { state } = payload as { state: string }
      if (state === 'unlocked') start()
      else stop()
      return
    }
    if (name === 'connections.changed' && running.size === 0) {
      pushSoon()
      announcePendingSoon()
    }
  }

  let announceTimer: unknown = null
  /** A local edit changed a remote's pending count: the indicator hears it once per burst. */
  function announcePendingSoon(): void {
    if (!active || announceTimer !== null) return
    announceTimer = clock.setTimeout(() => {
      announceTimer = null
      try {
        for (const remote of dependencies.remotes.list()) publishStatus(remote.id)
      } catch {
        // Locked meanwhile.
      }
    }, 100)
  }

  /** A remote added, edited or removed: run it now (or forget it). */
  function remoteChanged(remoteId: string): void {
    clearTimer(remoteId)
    if (!active) return
    const exists = dependencies.remotes.list().some((remote) => remote.id === remoteId)
    if (exists) arm(remoteId, 0)
    else cancel(remoteId)
  }

  return {
    run,
    contextFor,
    cancel,
    status,
    conflicts: (remoteId?: string): SyncConflict[] => listConflicts(conflictsDependencies, remoteId ?? null),
    resolve: (input: { connectionId: string; keep: 'local' | 'remote' }, origin: string) => {
      const connection = resolveConflict(conflictsDependencies, input, origin)
      pushSoon()
      return connection
    },
    connectionStates,
    onEvent,
    start,
    stop,
    remoteChanged,
    /** Resolves when no run is going (tests, the benchmark). */
    async whenIdle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running.values()].map((entry) => entry.promise))
    },
  }
}

export type SyncEngine = ReturnType<typeof createSyncEngine>
