import type {
  ConnectionScope,
  ConnectionStatus,
  ExpiryState,
  ListSort,
  SortOrder,
} from '../../shared/contract'
import { EXPIRING_SOON_MS } from '../../shared/contract/connections'
import type { CursorDirection, CursorPosition } from './cursor'
import { ROW_COLUMNS } from './rows'

/** The filters of connections.list and connections.slice after validation, with the sort made explicit. */
export interface ListFilter {
  pieceName?: string | undefined
  displayName?: string | undefined
  status?: ConnectionStatus[] | undefined
  scope?: ConnectionScope | undefined
  projectId?: string | undefined
  /** null: local-only connections; undefined: any. */
  remoteId?: string | null | undefined
  /** Sorted and without repeats; never both states spelled out as a filter and as none. */
  expiry?: ExpiryState[] | undefined
  /** The instant `expiry` is judged at (main's clock); present exactly when `expiry` is. */
  now?: number | undefined
  /**
   * How far ahead 'expiring' looks: the settings' expiringSoonDays, so the filter agrees with the
   * badges and the Health view. Omitted, EXPIRING_SOON_MS.
   */
  soonMs?: number | undefined
  sort: ListSort
  /** Explicit: which way the sort's key runs. */
  order: SortOrder
}

export interface Sql {
  sql: string
  params: unknown[]
}

/** Later than any date JavaScript can represent, so "no expiry" sorts after every real one. */
export const NO_EXPIRY = 8_640_000_000_000_001

/** How the status sort ranks statuses: problems first. */
export const STATUS_RANKS: Record<ConnectionStatus, number> = { ERROR: 0, MISSING: 1, ACTIVE: 2 }
/** Digits of an expiry in a status key: NO_EXPIRY has 16, so keys compare as text in number order. */
const EXPIRY_DIGITS = 17

/**
 * The status sort's key: the status's rank, then the token's expiry, as one string, so a cursor
 * holds one value and SQL compares it as text. Within ACTIVE this puts expired tokens first, then
 * those about to expire, then fresh ones, then those that never expire: the badge's order.
 */
export function statusSortKey(status: ConnectionStatus, expiryKey: number): string {
  return `${STATUS_RANKS[status]}${String(expiryKey).padStart(EXPIRY_DIGITS, '0')}`
}

const STATUS_KEY_SQL = `printf('%d%0${EXPIRY_DIGITS}d', CASE c.status WHEN 'ERROR' THEN 0 WHEN 'MISSING' THEN 1 ELSE 2 END, ifnull(c.token_expires_ms, ${NO_EXPIRY}))`

/**
 * The ORDER BY expression of each sort, ascending. Names ignore ASCII case; pieces compare by
 * package name, byte for byte; "no expiry" is larger than every expiry. Every order ends in id, in
 * the key's direction, so it is total and a keyset cursor can neither skip nor repeat a row
 * (Activepieces compares `created` to the second, without a tie-breaker — REFERENCE.md §1.2).
 */
export const SORT_KEYS: Record<ListSort, string> = {
  updated: 'c.updated_ms',
  created: 'c.created_ms',
  displayName: 'c.display_name COLLATE NOCASE',
  expiry: `ifnull(c.token_expires_ms, ${NO_EXPIRY})`,
  status: STATUS_KEY_SQL,
  pieceName: 'c.piece_name',
}

/** The SQL function the repository registers on each database handle: foldCase below. */
export const FOLD_CASE_FUNCTION = 'latchkey_fold_case'

/**
 * Lower case one character at a time, for the case-insensitive displayName match. SQLite's lower()
 * folds only ASCII, so "почта" would not find "Почта" nor "über" "ÜBER" (Postgres ILIKE, which
 * Activepieces uses, finds both). A character whose lower case is longer (İ → i̇) is kept as it is:
 * one character folds into one, as ILIKE's per-character folding does.
 */
export function foldCase(text: string): string {
  let folded = ''
  for (const character of text) {
    const lower = character.toLowerCase()
    folded += lower.length === character.length ? lower : character
  }
  return folded
}

/** ASCII names (every character one byte) fold with SQLite's own lower(); only the rest call into JS. */
const FOLDED_NAME = `CASE WHEN length(c.display_name) = octet_length(c.display_name) THEN lower(c.display_name) ELSE ${FOLD_CASE_FUNCTION}(c.display_name) END`

/**
 * The WHERE clause for a filter set. SQL answers a list only inside a transaction, which may hold
 * writes the in-memory index (list-index.ts) must not see; there are no list indexes, so it reads
 * every row, and the two agree on every row (test/main/connections/list.test.ts compares them).
 */
function whereOf(filter: ListFilter): Sql {
  const terms: string[] = []
  const params: unknown[] = []
  if (filter.pieceName !== undefined) {
    terms.push('c.piece_name = ?')
    params.push(filter.pieceName)
  }
  const statuses = filter.status ? [...new Set(filter.status)] : []
  if (statuses.length > 0 && statuses.length < 3) {
    terms.push(`c.status IN (${statuses.map(() => '?').join(', ')})`)
    params.push(...statuses)
  }
  if (filter.scope !== undefined) {
    terms.push('c.scope = ?')
    params.push(filter.scope)
  }
  if (filter.remoteId !== undefined) {
    terms.push('c.remote_key = ?')
    params.push(filter.remoteId ?? '')
  }
  if (filter.projectId !== undefined) {
    terms.push('EXISTS (SELECT 1 FROM json_each(c.project_ids) p WHERE p.value = ?)')
    params.push(filter.projectId)
  }
  const expiry = expiryBounds(filter)
  if (expiry) {
    terms.push('c.token_expires_ms > ? AND c.token_expires_ms <= ?')
    params.push(expiry.above, expiry.atMost)
  }
  if (filter.displayName !== undefined) {
    // instr, not LIKE: '%' and '_' in what the user typed are literal characters (Activepieces
    // passes them to ILIKE unescaped, so "50%" matches "50 people").
    terms.push(`instr(${FOLDED_NAME}, ?) > 0`)
    params.push(foldCase(filter.displayName))
  }
  return { sql: terms.length > 0 ? terms.join(' AND ') : '1', params }
}

/**
 * The expiry filter as one range, (above, atMost]: expired is (-inf, now], expiring is
 * (now, now + soonMs], both is their union. The list in memory tests the same range.
 */
export function expiryBounds(filter: ListFilter): { above: number; atMost: number } | null {
  if (!filter.expiry || filter.expiry.length === 0) return null
  const now = filter.now ?? 0
  const expired = filter.expiry.includes('expired')
  const expiring = filter.expiry.includes('expiring')
  return {
    above: expired ? -Number.MAX_VALUE : now,
    atMost: expiring ? now + (filter.soonMs ?? EXPIRING_SOON_MS) : now,
  }
}

function ascendingFor(filter: ListFilter, direction: CursorDirection): boolean {
  const forward = filter.order === 'asc'
  return direction === 'next' ? forward : !forward
}

function orderBy(sort: ListSort, ascending: boolean): string {
  const way = ascending ? 'ASC' : 'DESC'
  return `ORDER BY ${SORT_KEYS[sort]} ${way}, c.id ${way}`
}

/** Rows strictly beyond (key, id) in the sort's order. */
function keyset(sort: ListSort, ascending: boolean, position: CursorPosition): Sql {
  const key = SORT_KEYS[sort]
  const op = ascending ? '>' : '<'
  return {
    sql: `${key} ${op}= ? AND (${key} ${op} ? OR c.id ${op} ?)`,
    params: [position.key, position.key, position.id],
  }
}

/**
 * The ids of one page in `direction` from `position` (or from the start), `limit` rows. A 'prev'
 * page comes back in reverse order; the caller flips it. Ids only: SQLite sorts every matching row
 * here, and narrow rows sort several times faster than whole ones.
 */
export function pageIdsQuery(
  filter: ListFilter,
  direction: CursorDirection,
  position: CursorPosition | null,
  limit: number,
): Sql {
  const where = whereOf(filter)
  const ascending = ascendingFor(filter, direction)
  const after = position ? keyset(filter.sort, ascending, position) : null
  return {
    sql:
      `SELECT c.id FROM connections c ` +
      `WHERE ${after ? `${after.sql} AND ` : ''}${where.sql} ${orderBy(filter.sort, ascending)} LIMIT ?`,
    params: [...(after?.params ?? []), ...where.params, limit],
  }
}

/** Whether any matching row lies beyond `position` in `direction`: decides whether next/previous is null. */
export function existsBeyondQuery(
  filter: ListFilter,
  direction: CursorDirection,
  position: CursorPosition,
): Sql {
  const where = whereOf(filter)
  const after = keyset(filter.sort, ascendingFor(filter, direction), position)
  return {
    sql: `SELECT EXISTS (SELECT 1 FROM connections c WHERE ${after.sql} AND ${where.sql}) AS found`,
    params: [...after.params, ...where.params],
  }
}

export function countQuery(filter: ListFilter): Sql {
  const where = whereOf(filter)
  return { sql: `SELECT count(*) AS total FROM connections c WHERE ${where.sql}`, params: where.params }
}

/** Ids [offset, offset + limit) of the filtered, sorted list. */
export function sliceIdsQuery(filter: ListFilter, offset: number, limit: number): Sql {
  const where = whereOf(filter)
  return {
    sql:
      `SELECT c.id FROM connections c WHERE ${where.sql} ` +
      `${orderBy(filter.sort, filter.order === 'asc')} LIMIT ? OFFSET ?`,
    params: [...where.params, limit, offset],
  }
}

/** The rows of the given ids (a JSON array), in no particular order. */
export const rowsByIdsQuery = `SELECT ${ROW_COLUMNS} FROM connections c WHERE c.id IN (SELECT value FROM json_each(?))`

/** The value a cursor stores for a row: what the sort's key compares (under its collation). */
export function cursorKeyOf(
  sort: ListSort,
  row: {
    updated_ms: number
    created_ms: number
    display_name: string
    piece_name: string
    status: ConnectionStatus
    token_expires_ms: number | null
  },
): string | number {
  switch (sort) {
    case 'updated':
      return row.updated_ms
    case 'created':
      return row.created_ms
    case 'displayName':
      return row.display_name
    case 'expiry':
      return row.token_expires_ms ?? NO_EXPIRY
    case 'status':
      return statusSortKey(row.status, row.token_expires_ms ?? NO_EXPIRY)
    case 'pieceName':
      return row.piece_name
  }
}
