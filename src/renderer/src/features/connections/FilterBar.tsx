import { useShallow } from 'zustand/react/shallow'
import {
  CONNECTION_STATUSES,
  type ConnectionScope,
  type ConnectionStatus,
} from '../../../../shared/contract/connections'
import { querySelectors, useConnectionsQuery } from '../../stores/connections-query-store'

const STATUS_LABELS: Record<ConnectionStatus, string> = {
  ACTIVE: 'Active',
  MISSING: 'Missing',
  ERROR: 'Error',
}

/** Every filter applies as you type: each change starts a new query and older answers are dropped. */
export function FilterBar() {
  const filters = useConnectionsQuery(useShallow(querySelectors.filters))
  const hasFilters = useConnectionsQuery(querySelectors.hasFilters)
  const setFilters = useConnectionsQuery((s) => s.setFilters)
  const resetFilters = useConnectionsQuery((s) => s.resetFilters)

  function toggleStatus(status: ConnectionStatus, on: boolean) {
    const next = on ? [...filters.status, status] : filters.status.filter((s) => s !== status)
    setFilters({ status: CONNECTION_STATUSES.filter((s) => next.includes(s)) })
  }

  return (
    <search className="filter-bar" aria-label="Filter connections">
      <input
        id="connection-search"
        type="search"
        className="search"
        placeholder="Search by name  ( / )"
        aria-label="Search connections"
        aria-keyshortcuts="/ Control+F Meta+F"
        value={filters.search}
        onChange={(e) => setFilters({ search: e.target.value })}
        onKeyDown={(e) => {
          // From the search box straight into the list, as in 1Password.
          if (e.key === 'ArrowDown') {
            e.preventDefault()
            document.getElementById('connections-grid')?.focus()
          }
        }}
        spellCheck={false}
        autoComplete="off"
      />
      <input
        aria-label="Piece"
        placeholder="Piece"
        value={filters.pieceName}
        onChange={(e) => setFilters({ pieceName: e.target.value })}
        spellCheck={false}
      />
      <fieldset className="status-filter">
        <legend>Status</legend>
        {CONNECTION_STATUSES.map((status) => (
          <label key={status} className="chip">
            <input
              type="checkbox"
              checked={filters.status.includes(status)}
              onChange={(e) => toggleStatus(status, e.target.checked)}
            />
            {STATUS_LABELS[status]}
          </label>
        ))}
      </fieldset>
      <select
        aria-label="Scope"
        value={filters.scope}
        onChange={(e) => setFilters({ scope: e.target.value as ConnectionScope | '' })}
      >
        <option value="">Any scope</option>
        <option value="PROJECT">Project</option>
        <option value="PLATFORM">Platform</option>
      </select>
      <input
        aria-label="Project"
        placeholder="Project id"
        value={filters.projectId}
        onChange={(e) => setFilters({ projectId: e.target.value })}
        spellCheck={false}
      />
      <select
        aria-label="Remote"
        value={filters.remote === 'local' ? 'local' : 'any'}
        onChange={(e) => setFilters({ remote: e.target.value === 'local' ? 'local' : '' })}
      >
        <option value="any">Any remote</option>
        <option value="local">Local only</option>
      </select>
      <input
        aria-label="Remote id"
        placeholder="Remote id"
        className="remote-id"
        value={filters.remote === 'local' ? '' : filters.remote}
        disabled={filters.remote === 'local'}
        onChange={(e) => setFilters({ remote: e.target.value.trim() === 'local' ? '' : e.target.value })}
        spellCheck={false}
      />
      {hasFilters ? (
        <button type="button" className="ghost" onClick={resetFilters}>
          Clear filters
        </button>
      ) : null}
    </search>
  )
}
