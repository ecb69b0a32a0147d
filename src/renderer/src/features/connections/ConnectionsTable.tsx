import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react'
import type { ListSort } from '../../../../shared/contract'
import {
  firstPageLanded,
  querySelectors,
  rowAt,
  useConnectionsQuery,
} from '../../stores/connections-query-store'
import { selectionSelectors, useSelectionStore } from '../../stores/selection-store'
import { ConnectionRow } from './ConnectionRow'
import { useNow } from './useNow'

export const ROW_HEIGHT = 36
const FETCH_INTERVAL_MS = 100
/** Each sortable header sorts by what it shows; `how` is its tooltip, naming both ways. */
const COLUMNS: { label: string; sort?: ListSort; how?: string }[] = [
  { label: 'Name', sort: 'displayName', how: 'Sort by name (A to Z, then Z to A)' },
  { label: 'Piece', sort: 'pieceName', how: 'Sort by piece package name (A to Z, then Z to A)' },
  { label: 'Type' },
  {
    label: 'Status',
    sort: 'status',
    how: 'Sort by status: errors, missing, then expired and expiring tokens first; again for healthy first',
  },
  { label: 'Scope' },
  { label: 'Projects' },
  { label: 'Owner' },
  { label: 'Updated', sort: 'updated', how: 'Sort by last update (newest first, then oldest first)' },
]

/**
 * The connection list as an ARIA grid. Only the visible rows (plus overscan) are in the DOM, and
 * only their pages are fetched (connections.slice), so 100k connections cost what 30 do.
 */
export function ConnectionsTable() {
  const scrollRef = useRef<HTMLDivElement>(null)
  const total = useConnectionsQuery(querySelectors.total) ?? 0
  const filters = useConnectionsQuery(querySelectors.filters)
  const generation = useConnectionsQuery(querySelectors.generation)
  // Subscribing to the version re-renders the visible rows when a page lands.
  const version = useConnectionsQuery(querySelectors.version)
  const loading = useConnectionsQuery(querySelectors.loading)
  const ensureRange = useConnectionsQuery((s) => s.ensureRange)
  const noteRange = useConnectionsQuery((s) => s.noteRange)
  const toggleSort = useConnectionsQuery((s) => s.toggleSort)
  const selected = useSelectionStore(selectionSelectors.index)
  const select = useSelectionStore((s) => s.select)
  const open = useSelectionStore((s) => s.open)
  const now = useNow(30_000)

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0

  // While the list flies past (a flung scroll bar, End), fetching every page it crosses would cost a
  // request, a parse and a render per frame for rows nobody reads: at most one fetch per
  // FETCH_INTERVAL_MS while scrolling, and always one for where it comes to rest.
  const lastFetchAt = useRef(0)
  const isScrolling = virtualizer.isScrolling
  useEffect(() => {
    if (total === 0) return
    // Even while the fetch waits: an invalidate meanwhile refetches this window, not the last one
    // fetched (which would also drop this window's pages from the cache).
    noteRange(first, last)
    const fetchNow = () => {
      lastFetchAt.current = performance.now()
      ensureRange(first, last)
    }
    const wait = isScrolling ? FETCH_INTERVAL_MS - (performance.now() - lastFetchAt.current) : 0
    if (wait <= 0) return fetchNow()
    const timer = setTimeout(fetchNow, wait)
    return () => clearTimeout(timer)
  }, [first, last, total, generation, ensureRange, noteRange, isScrolling])

  // A new filter is a new list: start at its top with nothing selected.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 })
    select(null)
  }, [filters, select])

  const pick = useCallback(
    (index: number) => {
      select(index)
      const row = rowAt(index)
      if (row) open(row.id)
    },
    [select, open],
  )

  function moveTo(index: number) {
    if (total === 0) return
    const next = Math.max(0, Math.min(total - 1, index))
    select(next)
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  function onKeyDown(event: KeyboardEvent) {
    const current = selected ?? -1
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 360) / ROW_HEIGHT) - 1)
    const moves: Record<string, () => void> = {
      ArrowDown: () => moveTo(current + 1),
      ArrowUp: () => moveTo(current <= 0 ? 0 : current - 1),
      PageDown: () => moveTo(current + pageRows),
      PageUp: () => moveTo(current - pageRows),
      Home: () => moveTo(0),
      End: () => moveTo(total - 1),
      Enter: () => {
        if (selected !== null) pick(selected)
      },
    }
    const move = moves[event.key]
    if (!move) return
    event.preventDefault()
    move()
  }

  const ready = useConnectionsQuery((s) => s.total !== null && firstPageLanded()) || total === 0
  return (
    <div
      id="connections-grid"
      role="grid"
      aria-label="Connections"
      aria-rowcount={total + 1}
      aria-colcount={COLUMNS.length}
      aria-busy={loading}
      aria-activedescendant={selected !== null && rowAt(selected) ? `conn-row-${selected}` : undefined}
      tabIndex={0}
      className="grid"
      onKeyDown={onKeyDown}
      // Read by the benchmark: which query the painted rows belong to.
      data-generation={generation}
      data-ready={ready}
      data-version={version}
    >
      <div role="rowgroup" className="grid-head">
        <div role="row" aria-rowindex={1} className="grid-row header">
          {COLUMNS.map((column) => {
            const sorted = column.sort !== undefined && filters.sort === column.sort
            const ascending = filters.order === 'asc'
            return (
              <div
                key={column.label}
                role="columnheader"
                aria-sort={
                  sorted ? (ascending ? 'ascending' : 'descending') : column.sort ? 'none' : undefined
                }
              >
                {column.sort ? (
                  <button
                    type="button"
                    className={sorted ? 'sort-button sorted' : 'sort-button'}
                    title={column.how}
                    onClick={() => toggleSort(column.sort!)}
                  >
                    {column.label}
                    <span className="sort-arrow" aria-hidden="true">
                      {sorted ? (ascending ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                ) : (
                  column.label
                )}
              </div>
            )
          })}
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="grid-body" data-testid="grid-scroller">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => (
            <ConnectionRow
              key={item.index}
              index={item.index}
              start={item.start}
              connection={rowAt(item.index)}
              selected={item.index === selected}
              now={now}
              onPick={pick}
            />
          ))}
        </div>
      </div>
    </div>
  )
}
