import { create } from 'zustand'
import type { Remote } from '../../../../shared/contract'
import type { AppError } from '../../../../shared/errors'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

/**
 * The remotes this vault syncs with. A handful at most, read whole (remotes.list) on entry to the
 * shell and after every change made here, so the header, the Sync view, the create dialog's
 * picker and the detail panel all name a remote the same way.
 */
interface RemotesStore {
  remotes: Remote[] | null
  error: AppError | null
  load(): Promise<void>
}

export const useRemotesStore = create<RemotesStore>()((set) => ({
  remotes: null,
  error: null,
  load: async () => {
    try {
      set({ remotes: await api().remotes.list({}), error: null })
    } catch (failure) {
      handleLockedError(failure)
      set({ error: asAppError(failure) })
    }
  },
}))

export const remotesSelectors = {
  remotes: (s: RemotesStore) => s.remotes,
  /** A remote's name for display; its id only when the list has not answered (or it was removed). */
  nameOf: (remoteId: string) => (s: RemotesStore) =>
    s.remotes?.find((remote) => remote.id === remoteId)?.name ?? remoteId,
}
