import { useConnectionsQuery } from './connections-query-store'
import { useFacetsStore } from './facets-store'

/**
 * Events closer together than this become one refetch: about a frame, so one edit still shows at
 * once, while a burst (a sync pull, an import, the CLI, the token refresher catching up on
 * thousands of expired tokens: one event per connection) costs one list refetch per frame instead
 * of one per event.
 */
export const COALESCE_MS = 16

/**
 * Follows `connections.changed` for the list and the pickers: the rows on screen are read again at
 * most once per COALESCE_MS, the facets (a pass over the whole vault in main) at most once a second
 * by their own store; both read once more after the last event, so what shows at the end of a
 * burst is the vault as it is. A timer, not requestAnimationFrame: a hidden window gets no frames,
 * and its list must still be right when it comes back. Returns the unsubscribe.
 */
export function followConnectionChanges(
  on: (listener: () => void) => () => void = (listener) =>
    window.latchkey.on('connections.changed', listener),
): () => void {
  let pending: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    pending = null
    useConnectionsQuery.getState().invalidate()
    useFacetsStore.getState().load()
  }
  const off = on(() => {
    pending ??= setTimeout(flush, COALESCE_MS)
  })
  return () => {
    off()
    if (pending !== null) clearTimeout(pending)
    pending = null
  }
}
