import { memo, useEffect, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ConnectionFacets } from '../../../../shared/contract'
import {
  CONNECTION_STATUSES,
  EXPIRY_STATES,
  type ConnectionScope,
  type ConnectionStatus,
  type ExpiryState,
} from '../../../../shared/contract/connections'
import { querySelectors, useConnectionsQuery } from '../../stores/connections-query-store'
import { useFacetsStore } from '../../stores/facets-store'
import { useSettingsStore } from '../../stores/settings-store'
import { PiecePicker } from './PiecePicker'

const STATUS_LABELS: Record<ConnectionStatus, string> = {
  ACTIVE: 'Active',
  MISSING: 'Missing',
  ERROR: 'Error',
}
const EXPIRY_LABELS: Record<ExpiryState, string> = {
  expired: 'Expired',
  expiring: 'Expiring soon',
}

/** A chip: the checkbox right beside its word, the whole chip its label. */
function Chip(props: { label: string; title?: string; checked: boolean; onChange(on: boolean): void }) {
  return (
    <label className="chip" title={props.title}>
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      {props.label}
    </label>
  )
}

const NO_PROJECTS: ConnectionFacets['projects'] = []
const NO_REMOTES: ConnectionFacets['remotes'] = []

/**
 * The pickers' options change with the facets, not with each keystroke: rendered inline, a vault's
 * 200 projects were formatted and compared again on every key typed into the search box (the
 * largest part of the renderer's work per keystroke in a CPU profile at 100k connections).
 */
const ProjectOptions = memo(function ProjectOptions(props: { projects: ConnectionFacets['projects'] }) {
  return props.projects.map((p) => (
    <option key={p.projectId} value={p.projectId}>
      {p.projectId} ({p.count.toLocaleString()})
    </option>
  ))
})

const RemoteOptions = memo(function RemoteOptions(props: { remotes: ConnectionFacets['remotes'] }) {
  const localCount = props.remotes.find((r) => r.remoteId === null)?.count
  return (
    <>
      <option value="local">
        Local only{localCount === undefined ? '' : ` (${localCount.toLocaleString()})`}
      </option>
      {props.remotes
        .filter((r) => r.remoteId !== null)
        .map((r) => (
          <option key={r.remoteId} value={r.remoteId!}>
            {r.remoteId} ({r.count.toLocaleString()})
          </option>
        ))}
    </>
  )
})

/**
 * Main judges "Expiring soon" by the expiringSoonDays setting; when it changes while that filter is
 * on, the rows shown were chosen by the old look-ahead, so the list asks again.
 */
function useRefetchOnLookAhead(soonDays: number, filtering: boolean): void {
  const seen = useRef(soonDays)
  useEffect(() => {
    if (seen.current === soonDays) return
    seen.current = soonDays
    if (filtering) useConnectionsQuery.getState().invalidate()
  }, [soonDays, filtering])
}

/** Every filter applies as you type or pick: each change starts a new query and older answers are dropped. */
export function FilterBar() {
  const filters = useConnectionsQuery(useShallow(querySelectors.filters))
  const hasFilters = useConnectionsQuery(querySelectors.hasFilters)
  const setFilters = useConnectionsQuery((s) => s.setFilters)
  const resetFilters = useConnectionsQuery((s) => s.resetFilters)
  const facets = useFacetsStore((s) => s.facets)
  const soonDays = useSettingsStore((s) => s.settings.expiringSoonDays)
  useRefetchOnLookAhead(soonDays, filters.expiry.includes('expiring'))

  function toggle<T extends string>(all: readonly T[], chosen: readonly T[], value: T, on: boolean): T[] {
    const next = on ? [...chosen, value] : chosen.filter((v) => v !== value)
    return all.filter((v) => next.includes(v))
  }

  // A value the filter holds but the vault no longer has (its last connection went) stays pickable.
  const projects = facets?.projects ?? NO_PROJECTS
  const knownProject = !filters.projectId || projects.some((p) => p.projectId === filters.projectId)
  const remotes = facets?.remotes ?? NO_REMOTES
  const knownRemote =
    !filters.remote || filters.remote === 'local' || remotes.some((r) => r.remoteId === filters.remote)

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
      <PiecePicker />
      <fieldset className="chips">
        <legend>Status</legend>
        {CONNECTION_STATUSES.map((status) => (
          <Chip
            key={status}
            label={STATUS_LABELS[status]}
            checked={filters.status.includes(status)}
            onChange={(on) => setFilters({ status: toggle(CONNECTION_STATUSES, filters.status, status, on) })}
          />
        ))}
      </fieldset>
      <fieldset className="chips">
        <legend>Token expiry</legend>
        {EXPIRY_STATES.map((state) => (
          <Chip
            key={state}
            label={EXPIRY_LABELS[state]}
            title={
              state === 'expired'
                ? 'The token has expired'
                : `The token expires within ${soonDays === 1 ? 'a day' : `${soonDays} days`} (Settings)`
            }
            checked={filters.expiry.includes(state)}
            onChange={(on) => setFilters({ expiry: toggle(EXPIRY_STATES, filters.expiry, state, on) })}
          />
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
      <select
        aria-label="Project"
        value={filters.projectId}
        onChange={(e) => setFilters({ projectId: e.target.value })}
      >
        <option value="">Any project</option>
        <ProjectOptions projects={projects} />
        {knownProject ? null : <option value={filters.projectId}>{filters.projectId} (0)</option>}
      </select>
      <select
        aria-label="Remote"
        value={filters.remote}
        onChange={(e) => setFilters({ remote: e.target.value })}
      >
        <option value="">Any remote</option>
        <RemoteOptions remotes={remotes} />
        {knownRemote ? null : <option value={filters.remote}>{filters.remote} (0)</option>}
      </select>
      {hasFilters ? (
        <button type="button" className="ghost clear-filters" onClick={resetFilters}>
          Clear filters
        </button>
      ) : null}
    </search>
  )
}
