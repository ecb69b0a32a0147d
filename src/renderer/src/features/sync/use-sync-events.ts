import { useEffect } from 'react'
import { useConnectionSyncStore } from './connection-sync-store'
import { useRemotesStore } from './remotes-store'
import { useSyncStore } from './sync-store'

/**
 * Keeps the sync stores current while the vault is unlocked: one read on entry, then main's
 * events. Mounted once, by the header's indicator, which is there for as long as the shell is.
 */
export function useSyncEvents(): void {
  useEffect(() => {
    const sync = useSyncStore.getState()
    void sync.load()
    void useRemotesStore.getState().load()
    const offStatus = window.latchkey.on('sync.statusChanged', (status) => {
      const wasRunning = useSyncStore.getState().statuses.find((s) => s.remoteId === status.remoteId)?.running
      useSyncStore.getState().statusChanged(status)
      // A finished run may have pulled anything: badges are read again as rows show them, and the
      // remotes' connection and pending counts are read again.
      if (wasRunning && !status.running) {
        useConnectionSyncStore.getState().forget()
        void useRemotesStore.getState().load()
      }
    })
    const offProgress = window.latchkey.on('sync.progress', ({ remoteId, phase, done, total }) =>
      useSyncStore.getState().progressed(remoteId, { phase, done, total }),
    )
    const offChanged = window.latchkey.on('connections.changed', ({ ids }) =>
      useConnectionSyncStore.getState().forget(ids),
    )
    // Browser mode's event stream says app.ready each time it (re)connects: whatever was sent while
    // it was down is lost, so the state is read again rather than left showing a run that ended.
    const offReady = window.latchkey.on('app.ready', () => {
      void useSyncStore.getState().load()
      void useRemotesStore.getState().load()
    })
    return () => {
      offStatus()
      offProgress()
      offChanged()
      offReady()
      // Nothing about the remotes outlives a lock.
      useSyncStore.setState({ statuses: [], progress: {}, conflicts: null, error: null })
      useConnectionSyncStore.getState().forget()
      useRemotesStore.setState({ remotes: null, error: null })
    }
  }, [])
}
