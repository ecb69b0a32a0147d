import { create } from 'zustand'
import type {
  AppConnection,
  ConnectionScope,
  ConnectionStatus,
  ExpiryState,
  ListSort,
  SortOrder,
} from '../../../shared/contract'
import { defaultOrderOf } from '../../../shared/contract/connections'
import type { AppError } from '../../../shared/errors'
import { api, asAppError } from './api'
import { firstPageLanded as letOthersAsk, forgetFirstPage } from './first-page'
import { handleLockedError, useVaultStore } from './vault-store'

/** What the filter bar edits. Empty strings mean "any"; the query sends only what is set. */
export interface ConnectionFilters {
  search: string
  /** A package name, matched exactly (the piece picker chooses one from the vault's pieces). */
  pieceName: string
  status: ConnectionStatus[]
  /** Token expiry: expired, expiring within the settings' expiringSoonDays, either; [] for any. */
  expiry: ExpiryState[]
  scope: ConnectionScope | ''
  projectId: string
  /** '' any, 'local' local-only (remoteId null), else one remote's id. */
  remote: string
  sort: ListSort
  order: SortOrder
}

export const EMPTY_FILTERS: ConnectionFilters = {
  search: '',
  pieceName: '',
  status: [],
  expiry: [],
  scope: '',
  projectId: '',
  remote: '',
  sort: 'updated',
  order: 'desc',
}

/** Rows come from main in pages of this size as the visible window moves (connections.slice). */
export const PAGE_SIZE = 50
/**
 * Pages kept either side of the visible window. Scrolling through 100k rows would otherwise keep
 * every page ever seen, and the garbage collector's pauses on that heap show up as long frames.
 */
const KEEP_PAGES_AROUND = 5

interface QueryStore {
  filters: ConnectionFilters
  /**
   * Bumped on every filter change and every invalidate. Answers for older filters are dropped; an
   * answer for the same filters from before an invalidate shows until the fresh one lands.
   */
  generation: number
  /** null until the first page of the current generation arrives. */
  total: number | null
  /** Bumped when a page lands, so the table re-reads the row cache. */
  version: number
  status: 'idle' | 'loading' | 'error'
  error: AppError | null
  setFilters(patch: Partial<ConnectionFilters>): void
  /** A header's click: a new column sorts its natural way; the same column again flips it. */
  toggleSort(sort: ListSort): void
  resetFilters(): void
  /** Fetches any page of [start, end] that is not cached or in flight. */
  ensureRange(start: number, end: number): void
  /**
   * Where the visible window is, without fetching (the table defers its fetch while the list flies
   * past): an invalidate then refetches where the person is, not where the last fetch was.
   */
  noteRange(start: number, end: number): void
  /** Drops the cache and refetches the current window (after a change, or an event from main). */
  invalidate(): void
  /** The list is shown: uses the first page asked at unlock if nothing changed since, else refetches. */
  enter(): void
}

// Rows live outside React state: a Map of pages replaced per fetch keeps 100k rows out of renders.
const pages = new Map<number, AppConnection[]>()
// After an invalidate (same filters, something changed in main) the old rows stay on screen until
// their fresh page arrives, so an edit never blanks the table.
let stalePages = new Map<number, AppConnection[]>()
// One request per page at a time, with the generation it was asked for. A burst of
// connections.changed events (the refresher working through a 100k vault's expired tokens) used
// to invalidate faster than main answered: each answer was dropped as stale and asked again, so
// the rows in view stayed "Loading…" until the burst ended. Now an invalidate marks a page in
// flight to be asked again; its older answer shows meanwhile.
const inFlight = new Map<number, number>()
const askAgain = new Set<number>()
// Bumped only when the filters change: an answer for other filters is never shown.
let query = 0
let lastRange: [number, number] = [0, PAGE_SIZE - 1]

const pageOf = (index: number) => Math.floor(Math.max(0, index) / PAGE_SIZE)
const inView = (page: number) => page >= pageOf(lastRange[0]) && page <= pageOf(lastRange[1])

/** Whether the current query's own first page has arrived (not rows kept from the one before). */
export function firstPageLanded(): boolean {
  return pages.has(0)
}

export function rowAt(index: number): AppConnection | undefined {
  const page = Math.floor(index / PAGE_SIZE)
  return (pages.get(page) ?? stalePages.get(page))?.[index % PAGE_SIZE]
}

export function toSliceFilter(filters: ConnectionFilters) {
  return {
    sort: filters.sort,
    order: filters.order,
    ...(filters.expiry.length > 0 ? { expiry: filters.expiry } : {}),
    ...(filters.search.trim() ? { displayName: filters.search.trim().slice(0, 200) } : {}),
    ...(filters.pieceName.trim() ? { pieceName: filters.pieceName.trim() } : {}),
    ...(filters.status.length > 0 ? { status: filters.status } : {}),
    ...(filters.scope ? { scope: filters.scope } : {}),
    ...(filters.projectId.trim() ? { projectId: filters.projectId.trim() } : {}),
    ...(filters.remote === 'local' ? { remoteId: null } : filters.remote ? { remoteId: filters.remote } : {}),
  }
}

export const useConnectionsQuery = create<QueryStore>()((set, get) => {
  function fetchPage(page: number): void {
    if (pages.has(page)) return
    const { generation, filters } = get()
    const askedAt = inFlight.get(page)
    if (askedAt !== undefined) {
      if (askedAt !== generation) askAgain.add(page)
      return
    }
    const asked = query
    inFlight.set(page, generation)
    set({ status: 'loading' })
    api()
      .connections.slice({ ...toSliceFilter(filters), offset: page * PAGE_SIZE, limit: PAGE_SIZE })
      .then(({ data, total }) => {
        // Other filters since: this answer describes a list nobody is looking at.
        if (query !== asked) return
        inFlight.delete(page)
        if (get().generation === generation) pages.set(page, data)
        else stalePages.set(page, data)
        set((s) => ({
          total,
          version: s.version + 1,
          status: inFlight.size ? 'loading' : 'idle',
          error: null,
        }))
        if (askAgain.delete(page) && inView(page)) fetchPage(page)
        if (page === 0) letOthersAsk()
      })
      .catch((failure: unknown) => {
        if (query !== asked) return
        inFlight.delete(page)
        askAgain.delete(page)
        handleLockedError(failure)
        set({ status: 'error', error: asAppError(failure) })
        letOthersAsk()
      })
  }

  function restart(filters: ConnectionFilters, keepRowsOnScreen: boolean, sameFilters = false): void {
    // Two invalidations in a row (the dialog's, then main's event) must not blank the rows: the
    // second keeps what the first kept until fresh pages land.
    stalePages = keepRowsOnScreen ? new Map([...stalePages, ...pages]) : new Map()
    pages.clear()
    if (!sameFilters) {
      query += 1
      inFlight.clear()
      askAgain.clear()
    }
    set((s) => ({ filters, generation: s.generation + 1, version: s.version + 1 }))
    get().ensureRange(lastRange[0], lastRange[1])
  }

  // The first page is asked the moment the vault opens, before the shell mounts and asks for
  // everything else (settings, sync, remotes, the CLI's requests): main answers one request at a
  // time and a browser opens few connections to one host, so what is asked first is answered first.
  // The list's `enter` then uses it unless a change was announced in between.
  let prefetched = false
  let stopWatchingEarly: (() => void) | null = null

  // A lock drops the rows: the next unlock paints the vault as it is then, not the list from before
  // the lock (and no connection's name waits in the renderer while the vault is locked).
  function forget(): void {
    pages.clear()
    stalePages = new Map()
    query += 1
    inFlight.clear()
    askAgain.clear()
    lastRange = [0, PAGE_SIZE - 1]
    prefetched = false
    stopWatchingEarly?.()
    stopWatchingEarly = null
    forgetFirstPage()
    set((s) => ({
      total: null,
      generation: s.generation + 1,
      version: s.version + 1,
      status: 'idle',
      error: null,
    }))
  }

  useVaultStore.subscribe((now, before) => {
    const unlocked = now.state === 'unlocked'
    if (unlocked === (before.state === 'unlocked')) return
    forget()
    if (!unlocked) return
    prefetched = true
    stopWatchingEarly = api().on('connections.changed', () => {
      prefetched = false
    })
    get().ensureRange(lastRange[0], lastRange[1])
  })

  return {
    filters: EMPTY_FILTERS,
    generation: 0,
    total: null,
    version: 0,
    status: 'idle',
    error: null,
    setFilters: (patch) => {
      // A new query starts at the top. The previous rows and total stay on screen until its first
      // page answers: typing never flashes placeholders, and the keystroke's own render stays small.
      lastRange = [0, PAGE_SIZE - 1]
      // A sort named without a way goes its natural way (the palette's "Sort by name").
      const order = patch.sort && !patch.order ? { order: defaultOrderOf(patch.sort) } : {}
      restart({ ...get().filters, ...patch, ...order }, true)
    },
    toggleSort: (sort) => {
      const { filters, setFilters } = get()
      const order = filters.sort === sort ? (filters.order === 'asc' ? 'desc' : 'asc') : defaultOrderOf(sort)
      setFilters({ sort, order })
    },
    resetFilters: () => {
      lastRange = [0, PAGE_SIZE - 1]
      restart(EMPTY_FILTERS, false)
    },
    ensureRange: (start, end) => {
      lastRange = [start, end]
      const first = Math.floor(Math.max(0, start) / PAGE_SIZE)
      const last = Math.floor(Math.max(0, end) / PAGE_SIZE)
      for (const cache of [pages, stalePages]) {
        for (const page of cache.keys()) {
          if (page < first - KEEP_PAGES_AROUND || page > last + KEEP_PAGES_AROUND) cache.delete(page)
        }
      }
      for (let page = first; page <= last; page++) fetchPage(page)
    },
    noteRange: (start, end) => {
      lastRange = [start, end]
    },
    invalidate: () => restart(get().filters, true, true),
    enter: () => {
      stopWatchingEarly?.()
      stopWatchingEarly = null
      if (prefetched) prefetched = false
      else get().invalidate()
    },
  }
})

export const querySelectors = {
  filters: (s: QueryStore) => s.filters,
  total: (s: QueryStore) => s.total,
  version: (s: QueryStore) => s.version,
  generation: (s: QueryStore) => s.generation,
  loading: (s: QueryStore) => s.status === 'loading',
  error: (s: QueryStore) => s.error,
  hasFilters: (s: QueryStore) => {
    const f = s.filters
    return !!(
      f.search ||
      f.pieceName ||
      f.status.length ||
      f.expiry.length ||
      f.scope ||
      f.projectId ||
      f.remote
    )
  },
}
