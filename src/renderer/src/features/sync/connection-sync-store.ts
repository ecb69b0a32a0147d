import { useEffect } from 'react'
import { create } from 'zustand'
import type { ConnectionSyncState } from '../../../../shared/contract'
import { api } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

/** sync.connectionStates takes at most this many ids per call. */
const BATCH_MAX = 200

/**
 * What sync knows about each visible synced connection (held remotely, deleted on the remote,
 * conflict, a refused push), for the list's badges and the detail panel. Rows ask for their own
 * id as they render; the asks of one frame go to main as one call. Only ids asked for are kept,
 * and a change drops them, so scrolling 100k rows never builds a second copy of the list.
 */
interface ConnectionSyncStore {
  /** undefined: not asked yet; null: asked, and main knows nothing (not synced yet). */
  states: Record<string, ConnectionSyncState | null>
  ask(id: string): void
  /** The named connections changed (or all, after a sync): their states are read again when shown. */
  forget(ids?: string[]): void
}

export const useConnectionSyncStore = create<ConnectionSyncStore>()((set, get) => {
  const queued = new Set<string>()
  const inFlight = new Set<string>()
  // Forgotten while their answer was on its way: that answer is older than the change, so it is
  // not kept, and the id is asked again.
  const stale = new Set<string>()
  let scheduled = false

  async function fetchBatch(ids: string[]): Promise<void> {
    let answers: ConnectionSyncState[] | null = null
    try {
      answers = await api().sync.connectionStates({ ids })
    } catch (failure) {
      // Badges are extras: a failed read leaves them off rather than breaking the list.
      handleLockedError(failure)
    }
    for (const id of ids) inFlight.delete(id)
    const again = ids.filter((id) => stale.delete(id))
    if (answers) {
      const states: Record<string, ConnectionSyncState | null> = { ...get().states }
      const byId = new Map(answers.map((answer) => [answer.connectionId, answer]))
      for (const id of ids) if (!again.includes(id)) states[id] = byId.get(id) ?? null
      set({ states })
    }
    for (const id of again) get().ask(id)
  }

  function flush(): void {
    scheduled = false
    const ids = [...queued]
    queued.clear()
    for (const id of ids) inFlight.add(id)
    for (let start = 0; start < ids.length; start += BATCH_MAX)
      void fetchBatch(ids.slice(start, start + BATCH_MAX))
  }

  return {
    states: {},
    ask: (id) => {
      if (id in get().states || queued.has(id) || inFlight.has(id)) return
      queued.add(id)
      if (scheduled) return
      scheduled = true
      setTimeout(flush, 0)
    },
    forget: (ids) => {
      for (const id of ids ?? inFlight) if (inFlight.has(id)) stale.add(id)
      if (!ids) return set({ states: {} })
      const states = { ...get().states }
      for (const id of ids) delete states[id]
      set({ states })
    },
  }
})

/**
 * Sync's view of one connection, asked for when shown: undefined while unknown, null for a
 * connection sync has no record of (local-only, or not pushed yet).
 */
export function useConnectionSyncState(connection: {
  id: string
  remoteId: string | null
}): ConnectionSyncState | null | undefined {
  const id = connection.remoteId === null ? null : connection.id
  const state = useConnectionSyncStore((s) => (id === null ? null : s.states[id]))
  const ask = useConnectionSyncStore((s) => s.ask)
  useEffect(() => {
    if (id !== null && state === undefined) ask(id)
  }, [id, state, ask])
  return state
}
