import { useEffect } from 'react'
import { api } from '../../stores/api'
import { PAGE_SIZE, rowAt, toSliceFilter, useConnectionsQuery } from '../../stores/connections-query-store'
import { selectionSelectors, useSelectionStore } from '../../stores/selection-store'

/** Where a connection sits among the rows already fetched; pages not in memory are skipped whole. */
function loadedIndexOf(id: string, total: number): number | null {
  for (let start = 0; start < total; start += PAGE_SIZE) {
    if (!rowAt(start)) continue
    const end = Math.min(total, start + PAGE_SIZE)
    for (let index = start; index < end; index++) if (rowAt(index)?.id === id) return index
  }
  return null
}

/**
 * Whether the open connection is still in the list the filters describe. Main is asked with the
 * same filters, narrowed to the connection's own name (the search box is matched here, as main
 * matches it: case-insensitive, anywhere in the name). Undecided (more than a page share the
 * name) counts as still listed: the panel is closed only when it is certain.
 */
async function stillListed(id: string): Promise<boolean> {
  const filter = toSliceFilter(useConnectionsQuery.getState().filters)
  const connection = await api().connections.get({ id })
  const search = filter.displayName?.toLowerCase()
  if (search && !connection.displayName.toLowerCase().includes(search)) return false
  const page = await api().connections.list({ ...filter, displayName: connection.displayName, limit: 100 })
  return page.data.some((row) => row.id === id) || page.next !== null
}

/** Holds {@link usePanelFollowsList} apart, so its re-renders never reach the screen around it. */
export function PanelFollowsList(): null {
  usePanelFollowsList()
  return null
}

/**
 * One state for "which connection": the highlighted row is the one the panel shows, the panel follows
 * the highlight when the keyboard moves it, and the panel closes when the filters leave its
 * connection out, so a revealed secret never stays on screen for a row nobody can see.
 */
export function usePanelFollowsList(): void {
  const openId = useSelectionStore(selectionSelectors.openId)
  // With no panel open nothing here has work to do, so the list's page landings and keystrokes do
  // not even re-render the component that holds this hook.
  const index = useSelectionStore((s) => (s.openId ? s.index : null))
  const version = useConnectionsQuery((s) => (openId ? s.version : 0))
  const generation = useConnectionsQuery((s) => (openId ? s.generation : 0))

  // The highlight follows the panel: after a click elsewhere, the palette, a re-sort or a refetch.
  useEffect(() => {
    if (!openId) return
    const { index: highlighted, select } = useSelectionStore.getState()
    if (highlighted !== null && rowAt(highlighted)?.id === openId) return
    const found = loadedIndexOf(openId, useConnectionsQuery.getState().total ?? 0)
    if (found !== highlighted) select(found)
  }, [openId, version])

  // The panel follows the highlight: arrow keys with the panel open show the row they land on.
  useEffect(() => {
    const { openId: shown, index: current, open } = useSelectionStore.getState()
    // The effect above may have just moved the highlight to the panel's row (the palette opened
    // another connection): that newer index wins over the one this render saw.
    if (!shown || index === null || current !== index) return
    const row = rowAt(index)
    if (row && row.id !== shown) open(row.id)
  }, [index])

  // A new query (filters, or a change from main) may leave the shown connection out of the list.
  useEffect(() => {
    const shown = useSelectionStore.getState().openId
    if (!shown) return
    let current = true
    const timer = setTimeout(() => {
      stillListed(shown)
        .then((listed) => {
          if (current && !listed && useSelectionStore.getState().openId === shown) {
            useSelectionStore.getState().open(null)
          }
        })
        // Not found (deleted) or locked: the panel says so itself, and a lock clears everything.
        .catch(() => undefined)
    }, 150)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [generation])
}
