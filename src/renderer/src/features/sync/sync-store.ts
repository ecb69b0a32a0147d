import { create } from 'zustand'
import type { RemoteSyncStatus, SyncConflict } from '../../../../shared/contract'
import type { AppError } from '../../../../shared/errors'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import type { SyncProgress } from './sync-summary'

/**
 * Sync as the renderer knows it: one status per remote (sync.status, then every
 * sync.statusChanged), the running sync's progress (sync.progress), and the conflicts once the
 * Sync view asks for them. Events keep it current, so nothing here polls.
 */
interface SyncStore {
  statuses: RemoteSyncStatus[]
  progress: Record<string, SyncProgress>
  conflicts: SyncConflict[] | null
  /** Why the last "Sync now", cancel or status read failed in main, as opposed to on a remote. */
  error: AppError | null
  load(): Promise<void>
  loadConflicts(): Promise<void>
  run(remoteId?: string): Promise<void>
  cancel(remoteId?: string): Promise<void>
  statusChanged(status: RemoteSyncStatus): void
  progressed(remoteId: string, progress: SyncProgress): void
}

function replaceStatus(statuses: RemoteSyncStatus[], next: RemoteSyncStatus): RemoteSyncStatus[] {
  const at = statuses.findIndex((status) => status.remoteId === next.remoteId)
  if (at === -1) return [...statuses, next]
  return statuses.map((status, index) => (index === at ? next : status))
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record
  const next = { ...record }
  delete next[key]
  return next
}

/** How many times sync.status is asked in a row while events keep overtaking its answers. */
const MAX_READS = 3

/**
 * A sync.status answer taken as the new state, except for remotes whose statusChanged arrived
 * while it travelled (the desktop's IPC keeps order; browser mode's HTTP answers and event stream
 * do not): there the event is newer, and an older answer would bring a finished run back for good.
 */
function adopt(
  state: Pick<SyncStore, 'statuses' | 'progress'>,
  fresh: RemoteSyncStatus[],
  overtaken: (remoteId: string) => boolean,
): Pick<SyncStore, 'statuses' | 'progress'> {
  const statuses = fresh.map((status) =>
    overtaken(status.remoteId)
      ? (state.statuses.find((known) => known.remoteId === status.remoteId) ?? status)
      : status,
  )
  const running = new Set(statuses.filter((status) => status.running).map((status) => status.remoteId))
  const progress = Object.fromEntries(Object.entries(state.progress).filter(([id]) => running.has(id)))
  return { statuses, progress }
}

export const useSyncStore = create<SyncStore>()((set, get) => {
  // statusChanged events heard so far, and when each remote's last one came: orders them against
  // sync.status answers, which travel separately.
  let heard = 0
  const heardAt = new Map<string, number>()

  function failed(failure: unknown): void {
    handleLockedError(failure)
    set({ error: asAppError(failure) })
  }

  return {
    statuses: [],
    progress: {},
    conflicts: null,
    error: null,
    load: async () => {
      try {
        for (let attempt = 1; ; attempt += 1) {
          const asked = heard
          const fresh = await api().sync.status({})
          const overtaken = (remoteId: string) => (heardAt.get(remoteId) ?? 0) > asked
          // An event that came in while this answer travelled may be newer than the answer: ask again.
          if (attempt < MAX_READS && fresh.some((status) => overtaken(status.remoteId))) continue
          set((state) => adopt(state, fresh, overtaken))
          return
        }
      } catch (failure) {
        failed(failure)
      }
    },
    loadConflicts: async () => {
      try {
        set({ conflicts: await api().sync.conflicts({}) })
      } catch (failure) {
        failed(failure)
      }
    },
    run: async (remoteId) => {
      set({ error: null })
      try {
        await api().sync.run(remoteId ? { remoteId } : {})
      } catch (failure) {
        failed(failure)
      }
      // The statuses arrive as events too; this read covers a transport that dropped one.
      await get().load()
      if (get().conflicts !== null) await get().loadConflicts()
    },
    cancel: async (remoteId) => {
      try {
        const { cancelled } = await api().sync.cancel(remoteId ? { remoteId } : {})
        // Nothing was running in main: what this window shows is stale, so it follows main again.
        if (cancelled === 0) await get().load()
      } catch (failure) {
        failed(failure)
      }
    },
    statusChanged: (status) => {
      heard += 1
      heardAt.set(status.remoteId, heard)
      const before = get().statuses.find((s) => s.remoteId === status.remoteId)
      set((state) => ({
        statuses: replaceStatus(state.statuses, status),
        // A finished run's bar goes; the next run starts its own.
        progress: status.running ? state.progress : withoutKey(state.progress, status.remoteId),
      }))
      // A pull can add or settle conflicts; the list is re-read only when someone is looking at it.
      if (get().conflicts !== null && before?.conflicts !== status.conflicts) void get().loadConflicts()
    },
    progressed: (remoteId, progress) =>
      set((state) => ({ progress: { ...state.progress, [remoteId]: progress } })),
  }
})
