import { useEffect } from 'react'
import { querySelectors, useConnectionsQuery } from '../../stores/connections-query-store'
import { followConnectionChanges } from '../../stores/connection-changes'
import { useFacetsStore } from '../../stores/facets-store'
import { afterFirstPage } from '../../stores/first-page'
import { selectionSelectors, useSelectionStore } from '../../stores/selection-store'
import { useUiStore } from '../../stores/ui-store'
import { ConnectionsTable } from './ConnectionsTable'
import { DetailPanel } from './DetailPanel'
import { FilterBar } from './FilterBar'

function EmptyState() {
  const hasFilters = useConnectionsQuery(querySelectors.hasFilters)
  const resetFilters = useConnectionsQuery((s) => s.resetFilters)
  const openDialog = useUiStore((s) => s.openDialog)
  if (hasFilters) {
    return (
      <div className="empty" role="status">
        <h2>No connections match these filters</h2>
        <button type="button" onClick={resetFilters}>
          Clear filters
        </button>
      </div>
    )
  }
  return (
    <div className="empty" role="status">
      <h2>No connections yet</h2>
      <p className="muted">Add the API keys and tokens your flows use; they are encrypted on this machine.</p>
      <button type="button" className="primary" onClick={() => openDialog({ kind: 'create' })}>
        Add your first connection
      </button>
    </div>
  )
}

function ResultCount() {
  const total = useConnectionsQuery(querySelectors.total)
  const error = useConnectionsQuery(querySelectors.error)
  if (error)
    return (
      <p className="form-error" role="alert">
        {error.params.message}
      </p>
    )
  if (total === null) return <p className="muted small">Loading…</p>
  return (
    <p className="muted small" aria-live="polite" data-testid="result-count">
      {total.toLocaleString()} {total === 1 ? 'connection' : 'connections'}
    </p>
  )
}

export function ConnectionsScreen() {
  const total = useConnectionsQuery(querySelectors.total)
  const enter = useConnectionsQuery((s) => s.enter)
  const loadFacets = useFacetsStore((s) => s.load)
  const openId = useSelectionStore(selectionSelectors.openId)

  // Fetch on entry, and again whenever main reports a change (another window, sync, the CLI),
  // coalesced. The pickers' counts follow the same changes, after the first rows are on screen.
  useEffect(() => {
    enter()
    const cancelFacets = afterFirstPage(loadFacets)
    const stopFollowing = followConnectionChanges()
    return () => {
      cancelFacets()
      stopFollowing()
    }
  }, [enter, loadFacets])

  return (
    <div className={openId ? 'connections with-detail' : 'connections'}>
      <section className="list-pane" aria-label="Connection list">
        <FilterBar />
        <ResultCount />
        {total === 0 ? <EmptyState /> : <ConnectionsTable />}
      </section>
      {openId ? <DetailPanel id={openId} /> : null}
    </div>
  )
}
