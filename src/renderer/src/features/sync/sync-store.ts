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
