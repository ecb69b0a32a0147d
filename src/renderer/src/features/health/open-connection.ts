import { EMPTY_FILTERS, useConnectionsQuery } from '../../stores/connections-query-store'
import { useSelectionStore } from '../../stores/selection-store'
import { DEFAULT_VIEW, useNavigationStore } from '../navigation/navigation-store'

/** Shows one connection in the Connections view, found by its name with other filters cleared. */
export function openConnection(connection: { id: string; displayName: string }): void {
  const query = useConnectionsQuery.getState()
  useNavigationStore.getState().go(DEFAULT_VIEW)
  const { sort, order } = query.filters
  query.setFilters({ ...EMPTY_FILTERS, search: connection.displayName, sort, order })
  useSelectionStore.getState().open(connection.id)
}
