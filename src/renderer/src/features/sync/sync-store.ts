import { create } from 'zustand'
import type { RemoteFailure, RemoteSyncStatus, SyncConflict, SyncPhase } from '../../../../shared/contract'
import type { AppError } from '../../../../shared/errors'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

export interface SyncProgress {
  phase: SyncPhase
  done: number
  /** null while a pull has not learnt how many rows there are. */
  total: number | null
}

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

export const useSyncStore = create<SyncStore>()((set, get) => {
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
        set({ statuses: await api().sync.status({}) })
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
        await api().sync.cancel(remoteId ? { remoteId } : {})
      } catch (failure) {
        failed(failure)
      }
    },
    statusChanged: (status) => {
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

/** What the header shows: every remote folded into one line. */
export interface SyncSummary {
  remotes: number
  pending: number
  failed: number
  conflicts: number
  running: boolean
  /** The stalest remote's last success: the header must not say "synced" for a remote that never was. */
  lastSuccessAt: string | null
  neverSynced: boolean
  /** The first remote whose last run failed, with its name. */
  error: { remoteName: string; message: string; failure: RemoteFailure | null } | null
}

export function summarize(statuses: RemoteSyncStatus[]): SyncSummary {
  let lastSuccessAt: string | null = null
  let neverSynced = false
  let error: SyncSummary['error'] = null
  for (const status of statuses) {
    if (status.lastSuccessAt === null) neverSynced = true
    else if (lastSuccessAt === null || status.lastSuccessAt < lastSuccessAt)
      lastSuccessAt = status.lastSuccessAt
    if (!error && status.lastError)
      error = {
        remoteName: status.name,
        message: status.lastError.message,
        failure: status.lastError.failure,
      }
  }
  return {
    remotes: statuses.length,
    pending: statuses.reduce((sum, s) => sum + s.pending, 0),
    failed: statuses.reduce((sum, s) => sum + s.failed, 0),
    conflicts: statuses.reduce((sum, s) => sum + s.conflicts, 0),
    running: statuses.some((s) => s.running),
    lastSuccessAt,
    neverSynced,
    error,
  }
}

/** Progress of every running remote as one bar: the sum of what is known, indeterminate otherwise. */
export function overallProgress(progress: Record<string, SyncProgress>): {
  done: number
  total: number | null
} {
  let done = 0
  let total: number | null = 0
  for (const item of Object.values(progress)) {
    done += item.done
    total = item.total === null || total === null ? null : total + item.total
  }
  return { done, total }
}
