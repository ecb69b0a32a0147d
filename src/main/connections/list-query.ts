import type { ConnectionScope, ConnectionStatus, ListSort } from '../../shared/contract'
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
  sort: ListSort
}

export interface Sql {
  sql: string
  params: unknown[]
}

/** Later than any date JavaScript can represent, so "no expiry" sorts after every real one. */
export const NO_EXPIRY = 8_640_000_000_000_001

interface SortSpec {
  /** The ORDER BY expression. */
  key: string
  descending: boolean
}

/**
 * Most recently updated and created first; names A→Z ignoring ASCII case; soonest expiry first with
 * connections that never expire last. Every order ends in id, so it is total and a keyset cursor
 * can neither skip nor repeat a row (Activepieces compares `created` to the second, without a
 * tie-breaker — REFERENCE.md §1.2).
 */
export const SORTS: Record<ListSort, SortSpec> = {
  updated: { key: 'c.updated_ms', descending: true },
  created: { key: 'c.created_ms', descending: true },
  displayName: { key: 'c.display_name COLLATE NOCASE', descending: false },
  expiry: { key: `ifnull(c.token_expires_ms, ${NO_EXPIRY})`, descending: false },
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
    terms.push(
      'EXISTS (SELECT 1 FROM connection_projects p WHERE p.connection_id = c.id AND p.project_id = ?)',
    )
    params.push(filter.projectId)
  }
  if (filter.displayName !== undefined) {
    // instr, not LIKE: '%' and '_' in what the user typed are literal characters (Activepieces
    // passes them to ILIKE unescaped, so "50%" matches "50 people").
    terms.push(`instr(${FOLDED_NAME}, ?) > 0`)
    params.push(foldCase(filter.displayName))
  }
  return { sql: terms.length > 0 ? terms.join(' AND ') : '1', params }
}

function ascendingFor(sort: ListSort, direction: CursorDirection): boolean {
  const forward = !SORTS[sort].descending
  return direction === 'next' ? forward : !forward
}

function orderBy(sort: ListSort, ascending: boolean): string {
  const way = ascending ? 'ASC' : 'DESC'
  return `ORDER BY ${SORTS[sort].key} ${way}, c.id ${way}`
}

/** Rows strictly beyond (key, id) in the sort's order. */
function keyset(sort: ListSort, ascending: boolean, position: CursorPosition): Sql {
  const key = SORTS[sort].key
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
  const ascending = ascendingFor(filter.sort, direction)
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
  const after = keyset(filter.sort, ascendingFor(filter.sort, direction), position)
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
      `${orderBy(filter.sort, !SORTS[filter.sort].descending)} LIMIT ? OFFSET ?`,
    params: [...where.params, limit, offset],
  }
}

/** The rows of the given ids (a JSON array), in no particular order. */
export const rowsByIdsQuery = `SELECT ${ROW_COLUMNS} FROM connections c WHERE c.id IN (SELECT value FROM json_each(?))`

/** The value a cursor stores for a row: what the sort's key compares (under its collation). */
export function cursorKeyOf(
  sort: ListSort,
  row: { updated_ms: number; created_ms: number; display_name: string; token_expires_ms: number | null },
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
  }
}
