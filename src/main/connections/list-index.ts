import type { ConnectionFacets, ConnectionScope, ConnectionStatus, ListSort } from '../../shared/contract'
import { defaultOrderOf } from '../../shared/contract/connections'
import type { CursorDirection, CursorPosition } from './cursor'
import { expiryBounds, foldCase, NO_EXPIRY, STATUS_RANKS, type ListFilter } from './list-query'

// The connections list in memory: every connection's list columns (never a value, never metadata),
// with one order per sort, so connections.list and connections.slice answer any filter in any sort
// without an SQLite index. SQLite indexes made each write rewrite a dozen B-trees (a third of an
// upsert's cost, bench/connections.bench.ts) and still left filters that are common alone but rare
// together to walk thousands of rows; here every query is at worst one pass over typed arrays
// (~1 ms at 100k connections). Nothing here touches SQLite: list-index-source.ts fills and updates
// it from the vault.

/** One connection as the list sees it. */
export interface ListEntry {
  id: string
  displayName: string
  pieceName: string
  status: ConnectionStatus
  scope: ConnectionScope
  /** '' for a local-only connection, else the remote's id. */
  remoteKey: string
  createdMs: number
  updatedMs: number
  /** The token's expiry, NO_EXPIRY when it has none: what the expiry sort and its cursor compare. */
  expiryKey: number
  projectIds: readonly string[]
  /**
   * Its rowid, when exact in a double: a page reads its rows by rowid, one B-tree step each, not
   * two through the id index (page-rows.ts checks the id it finds there).
   */
  rowid?: number | undefined
}

export interface ListIndex {
  /** How many connections it holds. */
  readonly size: number
  /** Puts (adds or replaces, by id) and removes connections; every order stays sorted. */
  apply(put: readonly ListEntry[], removed: readonly string[]): void
  /**
   * Up to `limit` ids strictly beyond `position` (or from the start) in `direction`, in the order
   * they are read: a 'prev' page comes back reversed, as SQL answers it.
   */
  page(
    filter: ListFilter,
    direction: CursorDirection,
    position: CursorPosition | null,
    limit: number,
  ): string[]
  /** Whether any matching connection lies strictly beyond `position` in `direction`. */
  existsBeyond(filter: ListFilter, direction: CursorDirection, position: CursorPosition): boolean
  /** Ids [offset, offset + limit) of the filtered, sorted list, and how many match in all. */
  slice(filter: ListFilter, offset: number, limit: number): { total: number; ids: string[] }
  /** The rowid each id was last read at, NaN when unknown: where page-rows.ts looks first. */
  rowidsOf(ids: readonly string[]): number[]
  /** Pieces, projects and remotes with their counts (one pass, kept until the next change). */
  facets(): ConnectionFacets
  /** What it keeps between queries, for tests. */
  stats(): { size: number; orders: number; slices: number; names: number }
}

const STATUS_CODES: Record<ConnectionStatus, number> = { ACTIVE: 0, MISSING: 1, ERROR: 2 }
/** The status sort's rank of each status code. */
const STATUS_RANK_OF_CODE = [STATUS_RANKS.ACTIVE, STATUS_RANKS.MISSING, STATUS_RANKS.ERROR]
const SCOPE_CODES: Record<ConnectionScope, number> = { PROJECT: 0, PLATFORM: 1 }
/** Slices of recent filters kept whole (scrolling asks for the same filter again and again). */
const SLICES_KEPT = 16
/** Up to this many changed connections are taken out of each order one by one; more in one pass. */
const FEW_CHANGES = 8
/**
 * A filter on a piece, remote or project holding at most this many rows gathers them and sorts
 * them, rather than walking every row of the order.
 */
const FEW_CANDIDATES = 2048
/** Name searches whose matches are kept (the last few keystrokes). */
const NAMES_KEPT = 8
const NON_ASCII = /[\u0080-\uffff]/
const ABOVE_BMP_ORDER = /[\ud800-\uffff]/

/** What SQLite's NOCASE collation compares, which the displayName sort uses: only ASCII letters fold. */
function nocaseKey(name: string): string {
  return NON_ASCII.test(name)
    ? name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
    : name.toLowerCase()
}

/**
 * SQLite compares text as UTF-8 bytes, which is code point order. JavaScript's `<` compares UTF-16
 * code units, which differs only where both strings hold a unit from U+D800 up at the first
 * difference (a surrogate pair encodes a code point above U+FFFF but sorts below U+E000).
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y
  }
  return a.length - b.length
}

function codePointRank(unit: number): number {
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800
}

/** `compareCodePoints` for strings known to hold no unit from U+D800 up: the engine's own comparison. */
function compareUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function compareText(a: string, b: string, plain: boolean): number {
  return plain ? compareUnits(a, b) : compareCodePoints(a, b)
}

/** Answers `key` from `kept`, or computes and keeps it; the least recently used goes beyond `most`. */
function remembered<T>(kept: Map<string, T>, key: string, most: number, compute: () => T): T {
  let value = kept.get(key)
  if (value === undefined) value = compute()
  else kept.delete(key)
  kept.set(key, value)
  if (kept.size > most) kept.delete(kept.keys().next().value!)
  return value
}

/** Whether the filter reads its sort's order backwards (each order is kept its natural way). */
const reversed = (filter: ListFilter) => filter.order !== defaultOrderOf(filter.sort)

/** Most connections first, then by value in code point order. */
function byCount<T extends { count: number }>(facets: T[], valueOf: (facet: T) => string): T[] {
  return facets.sort((a, b) => b.count - a.count || compareCodePoints(valueOf(a), valueOf(b)))
}

export function createListIndex(tuning: { fewCandidates?: number } = {}): ListIndex {
  /** FEW_CANDIDATES; tests set 0 so every filter walks its whole order. */
  const fewAtMost = tuning.fewCandidates ?? FEW_CANDIDATES
  let capacity = 0
  /** Slots handed out so far; a removed connection's slot goes to `free` for the next one. */
  let used = 0
  let live = 0
  const free: number[] = []
  const slotOf = new Map<string, number>()
  const ids: string[] = []
  const folded: string[] = []
  const sortNames: string[] = []
  /** Per slot: 1 when its id or sort name holds a unit that JavaScript's `<` misorders. */
  let wide = new Uint8Array(0)
  let alive = new Uint8Array(0)
  let piece = new Int32Array(0)
  let remote = new Int32Array(0)
  let status = new Uint8Array(0)
  let scope = new Uint8Array(0)
  let created = new Float64Array(0)
  let updated = new Float64Array(0)
  let expiry = new Float64Array(0)
  let rowids = new Float64Array(0)
  const projectsOf: (readonly string[] | undefined)[] = []
  const pieceCodes = new Map<string, number>()
  const remoteCodes = new Map<string, number>()
  /** Per piece code: its place among the piece names in code point order (the pieceName sort). */
  let pieceRank = new Int32Array(0)
  let facets: ConnectionFacets | null = null
  const orders = new Map<ListSort, Int32Array>()
  const slices = new Map<string, Int32Array>()
  /** Where sliceOf gathers matches before copying them out. */
  let scratch = new Int32Array(0)
  /** Per name search and per project: 1 for each slot that matches; kept up to date by apply. */
  const nameHits = new Map<string, Uint8Array>()
  const projectHits = new Map<string, Uint8Array>()

  function grow(needed: number): void {
    if (needed <= capacity) return
    capacity = Math.max(needed, capacity * 2, 1024)
    const widen = <T extends Uint8Array | Int32Array | Float64Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity)
      next.set(array)
      return next
    }
    wide = widen(wide, (n) => new Uint8Array(n))
    alive = widen(alive, (n) => new Uint8Array(n))
    piece = widen(piece, (n) => new Int32Array(n))
    remote = widen(remote, (n) => new Int32Array(n))
    status = widen(status, (n) => new Uint8Array(n))
    scope = widen(scope, (n) => new Uint8Array(n))
    created = widen(created, (n) => new Float64Array(n))
    updated = widen(updated, (n) => new Float64Array(n))
    expiry = widen(expiry, (n) => new Float64Array(n))
    rowids = widen(rowids, (n) => new Float64Array(n))
  }

  function codeOf(codes: Map<string, number>, value: string): number {
    let code = codes.get(value)
    if (code === undefined) {
      code = codes.size
      codes.set(value, code)
    }
    return code
  }

  function write(slot: number, entry: ListEntry): void {
    ids[slot] = entry.id
    const name = entry.displayName
    // The search key is what the SQL filter's FOLDED_NAME makes of a name (list-query.ts): lower()
    // when every character is ASCII, else foldCase, so `includes` here and `instr` there agree.
    // Most names are ASCII: one lower-casing then serves the search and the sort alike.
    if (NON_ASCII.test(name)) {
      folded[slot] = foldCase(name)
      sortNames[slot] = nocaseKey(name)
      wide[slot] = ABOVE_BMP_ORDER.test(entry.id) || ABOVE_BMP_ORDER.test(name) ? 1 : 0
    } else {
      folded[slot] = sortNames[slot] = name.toLowerCase()
      wide[slot] = ABOVE_BMP_ORDER.test(entry.id) ? 1 : 0
    }
    alive[slot] = 1
    piece[slot] = codeOf(pieceCodes, entry.pieceName)
    remote[slot] = codeOf(remoteCodes, entry.remoteKey)
    status[slot] = STATUS_CODES[entry.status]
    scope[slot] = SCOPE_CODES[entry.scope]
    created[slot] = entry.createdMs
    updated[slot] = entry.updatedMs
    expiry[slot] = entry.expiryKey
    rowids[slot] = entry.rowid !== undefined && Number.isSafeInteger(entry.rowid) ? entry.rowid : NaN
    projectsOf[slot] = entry.projectIds.length > 0 ? entry.projectIds : undefined
  }

  // ---- orders: the list order of each sort, ties broken by id ----

  const plainIds = (a: number, b: number) => (wide[a]! | wide[b]!) === 0
  const slotComparators: Record<ListSort, (a: number, b: number) => number> = {
    updated: (a, b) => updated[b]! - updated[a]! || compareText(ids[b]!, ids[a]!, plainIds(a, b)),
    created: (a, b) => created[b]! - created[a]! || compareText(ids[b]!, ids[a]!, plainIds(a, b)),
    displayName: (a, b) => {
      const plain = plainIds(a, b)
      return compareText(sortNames[a]!, sortNames[b]!, plain) || compareText(ids[a]!, ids[b]!, plain)
    },
    expiry: (a, b) => expiry[a]! - expiry[b]! || compareText(ids[a]!, ids[b]!, plainIds(a, b)),
    status: (a, b) =>
      STATUS_RANK_OF_CODE[status[a]!]! - STATUS_RANK_OF_CODE[status[b]!]! ||
      expiry[a]! - expiry[b]! ||
      compareText(ids[a]!, ids[b]!, plainIds(a, b)),
    pieceName: (a, b) =>
      pieceRank[piece[a]!]! - pieceRank[piece[b]!]! || compareText(ids[a]!, ids[b]!, plainIds(a, b)),
  }

  /** Ranks the piece names again when a new one has come in (pieces are few: dozens, not thousands). */
  function rankPieces(): void {
    if (pieceRank.length === pieceCodes.size) return
    const names = [...pieceCodes.keys()].sort(compareCodePoints)
    pieceRank = new Int32Array(pieceCodes.size)
    names.forEach((name, rank) => (pieceRank[pieceCodes.get(name)!] = rank))
  }

  function pieceNameOf(slot: number): string {
    for (const [name, code] of pieceCodes) if (code === piece[slot]) return name
    return ''
  }

  /** Negative when `slot` comes before `position` in the list, positive after, 0 when it is that row. */
  function positionComparator(sort: ListSort, position: CursorPosition): (slot: number) => number {
    const { id } = position
    if (sort === 'displayName') {
      const name = nocaseKey(typeof position.key === 'string' ? position.key : String(position.key ?? ''))
      return (slot) => compareCodePoints(sortNames[slot]!, name) || compareCodePoints(ids[slot]!, id)
    }
    if (sort === 'pieceName') {
      const name = String(position.key ?? '')
      const known = pieceCodes.get(name)
      // A piece still in the index compares by rank; one that has gone by its name.
      if (known !== undefined) {
        const rank = pieceRank[known]!
        return (slot) => pieceRank[piece[slot]!]! - rank || compareCodePoints(ids[slot]!, id)
      }
      return (slot) => compareCodePoints(pieceNameOf(slot), name) || compareCodePoints(ids[slot]!, id)
    }
    if (sort === 'status') {
      const key = String(position.key ?? '')
      const rank = Number(key.slice(0, 1))
      const at = Number(key.slice(1))
      return (slot) =>
        STATUS_RANK_OF_CODE[status[slot]!]! - rank || expiry[slot]! - at || compareCodePoints(ids[slot]!, id)
    }
    const key = Number(position.key ?? NO_EXPIRY)
    if (sort === 'expiry') return (slot) => expiry[slot]! - key || compareCodePoints(ids[slot]!, id)
    const column = sort === 'updated' ? updated : created
    return (slot) => key - column[slot]! || compareCodePoints(id, ids[slot]!)
  }

  function orderFor(sort: ListSort): Int32Array {
    let order = orders.get(sort)
    if (!order) {
      rankPieces()
      order = new Int32Array(live)
      let at = 0
      for (let slot = 0; slot < used; slot += 1) if (alive[slot]) order[at++] = slot
      order.sort(slotComparators[sort])
      orders.set(sort, order)
    }
    return order
  }

  /**
   * The order with the changed slots taken out and those still alive put back in place, comparing
   * only the changed slots: O(n) copying, O(k log n) comparisons. A few are taken out by finding
   * them (indexOf) and closing the gap (copyWithin), natively; many by one pass with a bitmap. They
   * go back in by one merge: a binary search for each, block copies between them.
   */
  function reorder(order: Int32Array, changedSlots: readonly number[], sort: ListSort): Int32Array {
    const compare = slotComparators[sort]
    if (changedSlots.length <= FEW_CHANGES && reorderInPlace(order, changedSlots, compare)) return order
    let kept: Int32Array
    if (changedSlots.length <= FEW_CHANGES) {
      kept = order.slice()
      let length = kept.length
      for (const slot of changedSlots) {
        const at = kept.subarray(0, length).indexOf(slot)
        if (at < 0) continue
        kept.copyWithin(at, at + 1, length)
        length -= 1
      }
      kept = kept.subarray(0, length)
    } else {
      const changed = new Uint8Array(used)
      for (const slot of changedSlots) changed[slot] = 1
      kept = new Int32Array(order.length)
      let length = 0
      for (let i = 0; i < order.length; i += 1) if (!changed[order[i]!]) kept[length++] = order[i]!
      kept = kept.subarray(0, length)
    }
    const added = changedSlots.filter((slot) => alive[slot] === 1).sort(compare)
    const next = new Int32Array(kept.length + added.length)
    let from = 0
    let at = 0
    for (const slot of added) {
      let low = from
      let high = kept.length
      while (low < high) {
        const middle = (low + high) >>> 1
        if (compare(kept[middle]!, slot) < 0) low = middle + 1
        else high = middle
      }
      next.set(kept.subarray(from, low), at)
      at += low - from
      from = low
      next[at++] = slot
    }
    next.set(kept.subarray(from), at)
    return next
  }

  /**
   * A few rows that were in the order and still are (an update, the common write): taken out and
   * put back within the same array, so a write costs a few memory moves, not three fresh copies of
   * every order (each copy also external memory the garbage collector counts). False, untouched,
   * when the order's length would change.
   */
  function reorderInPlace(
    order: Int32Array,
    changedSlots: readonly number[],
    compare: (a: number, b: number) => number,
  ): boolean {
    if (changedSlots.some((slot) => alive[slot] !== 1 || order.indexOf(slot) < 0)) return false
    let length = order.length
    for (const slot of changedSlots) {
      const at = order.subarray(0, length).indexOf(slot)
      order.copyWithin(at, at + 1, length)
      length -= 1
    }
    for (const slot of changedSlots) {
      let low = 0
      let high = length
      while (low < high) {
        const middle = (low + high) >>> 1
        if (compare(order[middle]!, slot) < 0) low = middle + 1
        else high = middle
      }
      order.copyWithin(low + 1, low, length)
      order[low] = slot
      length += 1
    }
    return true
  }

  // ---- filters ----

  /** Re-tests the changed slots in every kept name and project bitmap (dropped if the arrays grew). */
  function refreshHits(changedSlots: readonly number[]): void {
    for (const [needle, hits] of nameHits) {
      if (hits.length !== capacity) nameHits.delete(needle)
      else for (const slot of changedSlots) hits[slot] = alive[slot] && folded[slot]!.includes(needle) ? 1 : 0
    }
    for (const [projectId, hits] of projectHits) {
      if (hits.length !== capacity) projectHits.delete(projectId)
      else for (const slot of changedSlots) hits[slot] = projectsOf[slot]?.includes(projectId) ? 1 : 0
    }
  }

  function namesMatching(text: string): Uint8Array {
    const needle = foldCase(text)
    return remembered(nameHits, needle, NAMES_KEPT, () => {
      const hits = new Uint8Array(capacity)
      const within = narrowestContaining(needle)
      if (within) {
        for (let slot = 0; slot < used; slot += 1)
          if (within[slot] === 1 && folded[slot]!.includes(needle)) hits[slot] = 1
      } else {
        for (let slot = 0; slot < used; slot += 1)
          if (alive[slot] && folded[slot]!.includes(needle)) hits[slot] = 1
      }
      return hits
    })
  }

  /**
   * The kept matches of the longest earlier search found inside `needle`: a name holding "pro" holds
   * "pr", so typing one more letter tests only the names the last keystroke matched, not every name
   * (the first search for a new prefix was most of a keystroke's time).
   */
  function narrowestContaining(needle: string): Uint8Array | null {
    let best: Uint8Array | null = null
    let bestLength = -1
    for (const [kept, hits] of nameHits) {
      if (kept.length > bestLength && hits.length === capacity && needle.includes(kept)) {
        best = hits
        bestLength = kept.length
      }
    }
    return best
  }

  function projectMembers(projectId: string): Uint8Array {
    return remembered(projectHits, projectId, NAMES_KEPT, () => {
      const hits = new Uint8Array(capacity)
      for (let slot = 0; slot < used; slot += 1) if (projectsOf[slot]?.includes(projectId)) hits[slot] = 1
      return hits
    })
  }

  /** A test per slot for the filter, or null when no connection can match (an unknown piece or remote). */
  function matcher(filter: ListFilter): ((slot: number) => boolean) | null {
    const pieceCode = filter.pieceName === undefined ? -1 : pieceCodes.get(filter.pieceName)
    const remoteCode = filter.remoteId === undefined ? -1 : remoteCodes.get(filter.remoteId ?? '')
    if (pieceCode === undefined || remoteCode === undefined) return null
    const project = filter.projectId === undefined ? undefined : projectMembers(filter.projectId)
    let statusMask = 0
    for (const value of filter.status ?? ['ACTIVE', 'MISSING', 'ERROR'])
      statusMask |= 1 << STATUS_CODES[value]
    const scopeCode = filter.scope === undefined ? -1 : SCOPE_CODES[filter.scope]
    const names = filter.displayName === undefined ? null : namesMatching(filter.displayName)
    const bounds = expiryBounds(filter)
    const byExpiry = bounds !== null
    const above = bounds?.above ?? 0
    const atMost = bounds?.atMost ?? 0
    const byPiece = pieceCode >= 0
    const byRemote = remoteCode >= 0
    const byStatus = statusMask !== 7
    const byScope = scopeCode >= 0
    return (slot) =>
      (!byPiece || piece[slot] === pieceCode) &&
      (!byRemote || remote[slot] === remoteCode) &&
      (!byStatus || ((statusMask >> status[slot]!) & 1) === 1) &&
      (!byScope || scope[slot] === scopeCode) &&
      (!byExpiry || (expiry[slot]! > above && expiry[slot]! <= atMost)) &&
      (names === null || names[slot] === 1) &&
      (project === undefined || project[slot] === 1)
  }

  /** The first index in `order` whose slot is beyond `position` in `direction` (-1 or length when none). */
  function startAfter(
    order: Int32Array,
    sort: ListSort,
    direction: CursorDirection,
    position: CursorPosition,
  ) {
    const compare = positionComparator(sort, position)
    // lower: the first index whose slot is not before the position; upper: the first one after it.
    let low = 0
    let high = order.length
    const after = direction === 'next'
    while (low < high) {
      const middle = (low + high) >>> 1
      const c = compare(order[middle]!)
      if (after ? c <= 0 : c < 0) low = middle + 1
      else high = middle
    }
    return after ? low : low - 1
  }

  function walk(
    filter: ListFilter,
    direction: CursorDirection,
    position: CursorPosition | null,
    limit: number,
  ): string[] {
    const test = matcher(filter)
    if (test === null || limit <= 0) return []
    const order = fewCandidates(filter) ?? orderFor(filter.sort)
    // Each order is kept one way, the sort's natural one; the other way reads it from the end.
    const way = reversed(filter) ? (direction === 'next' ? 'prev' : 'next') : direction
    const step = way === 'next' ? 1 : -1
    let i = position ? startAfter(order, filter.sort, way, position) : way === 'next' ? 0 : order.length - 1
    const found: string[] = []
    for (; i >= 0 && i < order.length; i += step) {
      const slot = order[i]!
      if (test(slot)) {
        found.push(ids[slot]!)
        if (found.length === limit) break
      }
    }
    return found
  }

  /**
   * The rows of the filter's piece, remote, project or name search in its sort's order, when they
   * are few; else null. A filter that matches few rows otherwise walks the whole order (100k tests
   * at 100k connections) before it knows no more match; one pass over a column finds these instead.
   */
  function fewCandidates(filter: ListFilter): Int32Array | null {
    const remoteCode = filter.remoteId === undefined ? -1 : (remoteCodes.get(filter.remoteId ?? '') ?? -1)
    const pieceCode = filter.pieceName === undefined ? -1 : (pieceCodes.get(filter.pieceName) ?? -1)
    return (
      (pieceCode >= 0 ? gathered(piece, pieceCode, filter.sort) : null) ??
      (remoteCode >= 0 ? gathered(remote, remoteCode, filter.sort) : null) ??
      (filter.projectId !== undefined ? gathered(projectMembers(filter.projectId), 1, filter.sort) : null) ??
      (filter.displayName !== undefined ? gathered(namesMatching(filter.displayName), 1, filter.sort) : null)
    )
  }

  /** The live slots whose `column` holds `value`, sorted for `sort`; null past fewAtMost of them. */
  function gathered(column: Int32Array | Uint8Array, value: number, sort: ListSort): Int32Array | null {
    if (scratch.length < used) scratch = new Int32Array(capacity)
    let count = 0
    for (let slot = 0; slot < used; slot += 1) {
      if (column[slot] !== value || alive[slot] !== 1) continue
      if (count === fewAtMost) return null
      scratch[count++] = slot
    }
    return scratch.slice(0, count).sort(slotComparators[sort])
  }

  /**
   * The one bitmap a filter tests when it is only a name search or only a project (typing into the
   * search box): the pass then reads that bitmap alone, with no per-row call.
   */
  function soleBitmapOf(filter: ListFilter): Uint8Array | null {
    const others =
      filter.pieceName !== undefined ||
      filter.status !== undefined ||
      filter.scope !== undefined ||
      filter.remoteId !== undefined ||
      filter.expiry !== undefined
    if (others || (filter.displayName === undefined) === (filter.projectId === undefined)) return null
    return filter.displayName !== undefined
      ? namesMatching(filter.displayName)
      : projectMembers(filter.projectId!)
  }

  /** Every matching slot in the filter's sort order. */
  function sliceOf(filter: ListFilter): Int32Array {
    return remembered(slices, JSON.stringify(filter), SLICES_KEPT, () => {
      const sole = soleBitmapOf(filter)
      const test = sole ? null : matcher(filter)
      if (!sole && test === null) return new Int32Array(0)
      const order = fewCandidates(filter) ?? orderFor(filter.sort)
      // Gathered in one buffer kept between calls, then copied at its length: a fresh buffer the
      // size of the list per search was garbage for the collector on every keystroke.
      if (scratch.length < order.length) scratch = new Int32Array(capacity)
      const matching = scratch
      const backwards = reversed(filter)
      const last = order.length - 1
      let at = 0
      if (sole) {
        for (let i = 0; i <= last; i += 1) {
          const slot = order[backwards ? last - i : i]!
          if (sole[slot] === 1) matching[at++] = slot
        }
      } else {
        for (let i = 0; i <= last; i += 1) {
          const slot = order[backwards ? last - i : i]!
          if (test!(slot)) matching[at++] = slot
        }
      }
      return matching.slice(0, at)
    })
  }

  /** Counts per piece, project and remote in one pass over the live slots. */
  function countFacets(): ConnectionFacets {
    const perPiece = new Int32Array(pieceCodes.size)
    const perRemote = new Int32Array(remoteCodes.size)
    const perProject = new Map<string, number>()
    for (let slot = 0; slot < used; slot += 1) {
      if (!alive[slot]) continue
      perPiece[piece[slot]!]! += 1
      perRemote[remote[slot]!]! += 1
      const projects = projectsOf[slot]
      if (projects)
        for (const project of projects) perProject.set(project, (perProject.get(project) ?? 0) + 1)
    }
    const counted = <T>(
      codes: Map<string, number>,
      counts: Int32Array,
      make: (value: string, count: number) => T,
    ) => [...codes].filter(([, code]) => counts[code]! > 0).map(([value, code]) => make(value, counts[code]!))
    return {
      partial: false,
      total: live,
      pieces: byCount(
        counted(pieceCodes, perPiece, (pieceName, count) => ({ pieceName, count })),
        (f) => f.pieceName,
      ),
      projects: byCount(
        [...perProject].map(([projectId, count]) => ({ projectId, count })),
        (f) => f.projectId,
      ),
      remotes: byCount(
        counted(remoteCodes, perRemote, (key, count) => ({ remoteId: key === '' ? null : key, count })),
        (f) => f.remoteId ?? '',
      ),
    }
  }

  return {
    get size() {
      return live
    },
    apply(put, removed) {
      if (put.length === 0 && removed.length === 0) return
      slices.clear()
      facets = null
      const changedSlots: number[] = []
      for (const id of removed) {
        const slot = slotOf.get(id)
        if (slot === undefined) continue
        slotOf.delete(id)
        projectsOf[slot] = undefined
        alive[slot] = 0
        changedSlots.push(slot)
        free.push(slot)
        live -= 1
      }
      for (const entry of put) {
        let slot = slotOf.get(entry.id)
        if (slot === undefined) {
          slot = free.pop() ?? used
          if (slot === used) {
            grow(used + 1)
            used += 1
          }
          slotOf.set(entry.id, slot)
          live += 1
        }
        write(slot, entry)
        changedSlots.push(slot)
      }
      const distinct = [...new Set(changedSlots)]
      rankPieces()
      refreshHits(distinct)
      for (const [sort, order] of orders) orders.set(sort, reorder(order, distinct, sort))
    },
    page: walk,
    existsBeyond: (filter, direction, position) => walk(filter, direction, position, 1).length > 0,
    slice(filter, offset, limit) {
      const matching = sliceOf(filter)
      const page: string[] = []
      const end = Math.min(matching.length, offset + limit)
      for (let i = offset; i < end; i += 1) page.push(ids[matching[i]!]!)
      return { total: matching.length, ids: page }
    },
    rowidsOf: (wanted) =>
      wanted.map((id) => {
        const slot = slotOf.get(id)
        return slot === undefined ? NaN : rowids[slot]!
      }),
    facets: () => (facets ??= countFacets()),
    stats: () => ({ size: live, orders: orders.size, slices: slices.size, names: nameHits.size }),
  }
}
