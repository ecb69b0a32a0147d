import type { ConnectionScope, ConnectionStatus, ListSort } from '../../shared/contract'
import type { CursorDirection, CursorPosition } from './cursor'

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

/**
 * How the displayName filter is answered. FTS5 trigram finds substrings of 3+ characters from an
 * index, which is the fast way when few rows match; when many match it is faster to walk the sort
 * index and test each row, because a page then fills after a few hundred rows. 'rowids' drives the
 * query from rowids the in-memory name index found (list-cache.ts: 1–2 characters, which trigrams
 * cannot answer). Every path tests the same `instr(<folded name>, ?)` predicate, so they always
 * agree on which rows match.
 */
export type NameSearch = 'none' | 'fts' | 'scan' | 'rowids'

/** Whether the projectId filter drives the query from its index (few rows) or is checked per row. */
export type ProjectAccess = 'none' | 'drive' | 'check'

/**
 * An equality filter the service probed and found to match few rows (at most its SELECTIVE_ENOUGH):
 * it then drives the query from its own index and the few rows are sorted, in any sort. Otherwise a
 * non-default sort walks its sort index and tests the filter per row, which visits every row when
 * the value is rare (a small remote or status: 40–150 ms on 100k connections).
 */
export type RareFilter = 'status' | 'remote'

export interface QueryPlan {
  filter: ListFilter
  nameSearch: NameSearch
  /** With nameSearch 'rowids': every row whose name matches (few: at most SELECTIVE_ENOUGH). */
  nameRowids?: readonly number[] | undefined
  projectAccess: ProjectAccess
  rareFilter?: RareFilter | undefined
}

export interface Sql {
  sql: string
  params: unknown[]
}

/** Later than any date JavaScript can represent, so "no expiry" sorts after every real one. */
export const NO_EXPIRY = 8_640_000_000_000_001

interface SortSpec {
  /** The ORDER BY expression; each has an index on (expression, id). */
  key: string
  /** The value stored in a cursor: the raw column, compared under the key's collation. */
  value: string
  descending: boolean
}

/**
 * Most recently updated and created first; names A→Z ignoring ASCII case; soonest expiry first with
 * connections that never expire last. Every order ends in id, so it is total and a keyset cursor
 * can neither skip nor repeat a row (Activepieces compares `created` to the second, without a
 * tie-breaker — REFERENCE.md §1.2).
 */
export const SORTS: Record<ListSort, SortSpec> = {
  updated: { key: 'c.updated_ms', value: 'c.updated_ms', descending: true },
  created: { key: 'c.created_ms', value: 'c.created_ms', descending: true },
  displayName: { key: 'c.display_name COLLATE NOCASE', value: 'c.display_name', descending: false },
  expiry: {
    key: `ifnull(c.token_expires_ms, ${NO_EXPIRY})`,
    value: `ifnull(c.token_expires_ms, ${NO_EXPIRY})`,
    descending: false,
  },
}

const COLUMNS = `c.*, EXISTS (SELECT 1 FROM connection_values v WHERE v.connection_id = c.id) AS has_value`

/** The SQL function the repository registers on each database handle: foldCase below. */
export const FOLD_CASE_FUNCTION = 'latchkey_fold_case'

/**
 * Lower case one character at a time, for the case-insensitive displayName match. SQLite's lower()
 * folds only ASCII, so "почта" would not find "Почта" nor "über" "ÜBER" (Postgres ILIKE, which
 * Activepieces uses, finds both). A character whose lower case is longer (İ) is kept as it is, as
 * FTS5 folds one character into one.
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

/** FTS5 query syntax would treat quotes and operators specially; a quoted phrase is matched literally. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`
}

/** FTS5 trigram needs at least three characters to use its index. */
export function canUseTrigramIndex(text: string): boolean {
  return [...text].length >= 3
}

/**
 * The WHERE clause for a filter set. Equality filters that should not drive the query get a unary
 * `+`, which keeps SQLite from choosing their index (https://sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_):
 * without statistics it would otherwise pick e.g. the scope index and sort half the table.
 */
export function whereOf(plan: QueryPlan): Sql {
  const { filter } = plan
  const terms: string[] = []
  const params: unknown[] = []
  const byUpdated = filter.sort === 'updated'
  // Which single equality filter may use its own index: pieceName is selective and has
  // (piece_name, updated_ms, id); the others only help in the default sort.
  const driver = pickDriver(plan)

  if (filter.pieceName !== undefined) {
    terms.push(driver === 'piece' ? 'c.piece_name = ?' : '+c.piece_name = ?')
    params.push(filter.pieceName)
  }
  const statuses = distinct(filter.status)
  if (statuses.length > 0 && statuses.length < 3) {
    if (driver === 'status') {
      terms.push(
        statuses.length === 1 ? 'c.status = ?' : `c.status IN (${statuses.map(() => '?').join(', ')})`,
      )
    } else {
      terms.push(`+c.status IN (${statuses.map(() => '?').join(', ')})`)
    }
    params.push(...statuses)
  }
  if (filter.scope !== undefined) {
    terms.push(driver === 'scope' && byUpdated ? 'c.scope = ?' : '+c.scope = ?')
    params.push(filter.scope)
  }
  if (filter.remoteId !== undefined) {
    terms.push(driver === 'remote' ? 'c.remote_key = ?' : '+c.remote_key = ?')
    params.push(filter.remoteId ?? '')
  }
  if (filter.projectId !== undefined) {
    terms.push(
      plan.projectAccess === 'drive'
        ? 'c.id IN (SELECT p.connection_id FROM connection_projects p WHERE p.project_id = ?)'
        : 'EXISTS (SELECT 1 FROM connection_projects p WHERE p.connection_id = c.id AND p.project_id = ?)',
    )
    params.push(filter.projectId)
  }
  if (filter.displayName !== undefined && plan.nameSearch !== 'none') {
    if (plan.nameSearch === 'fts') {
      terms.push('c.rowid IN (SELECT f.rowid FROM connections_name_fts f WHERE connections_name_fts MATCH ?)')
      params.push(ftsPhrase(filter.displayName))
    } else if (plan.nameSearch === 'rowids') {
      terms.push('c.rowid IN (SELECT value FROM json_each(?))')
      params.push(JSON.stringify(plan.nameRowids ?? []))
    }
    // instr, not LIKE: '%' and '_' in what the user typed are literal characters (Activepieces
    // passes them to ILIKE unescaped, so "50%" matches "50 people").
    terms.push(`instr(${FOLDED_NAME}, ?) > 0`)
    params.push(foldCase(filter.displayName))
  }
  return { sql: terms.length > 0 ? terms.join(' AND ') : '1', params }
}

type Driver = 'piece' | 'status' | 'scope' | 'remote' | 'project' | 'name' | 'sort'

function pickDriver(plan: QueryPlan): Driver {
  const { filter } = plan
  if (plan.nameSearch === 'fts' || plan.nameSearch === 'rowids') return 'name'
  if (plan.projectAccess === 'drive') return 'project'
  // pieceName has an index per sort (migrations 001 and 003), so it reads a page in order.
  if (filter.pieceName !== undefined) return 'piece'
  if (plan.rareFilter) return plan.rareFilter
  if (filter.sort !== 'updated') return 'sort'
  if (distinct(filter.status).length === 1) return 'status'
  if (filter.remoteId !== undefined) return 'remote'
  if (filter.scope !== undefined) return 'scope'
  return 'sort'
}

function distinct<T>(values: readonly T[] | undefined): T[] {
  return values ? [...new Set(values)] : []
}

function ascendingFor(sort: ListSort, direction: CursorDirection): boolean {
  const forward = !SORTS[sort].descending
  return direction === 'next' ? forward : !forward
}

function orderBy(sort: ListSort, ascending: boolean): string {
  const way = ascending ? 'ASC' : 'DESC'
  return `ORDER BY ${SORTS[sort].key} ${way}, c.id ${way}`
}

/**
 * Rows strictly beyond (key, id). Written as `key >= K AND (key > K OR id > I)` rather than a row
 * value: SQLite seeks an index on the first term even when the key is an expression or has a
 * collation, where `(key, id) > (K, I)` would scan from the start.
 */
function keyset(sort: ListSort, ascending: boolean, position: CursorPosition): Sql {
  const key = SORTS[sort].key
  const op = ascending ? '>' : '<'
  return {
    sql: `${key} ${op}= ? AND (${key} ${op} ? OR c.id ${op} ?)`,
    params: [position.key, position.key, position.id],
  }
}

/**
 * One page in `direction` from `position` (or from the start), `limit` rows. A 'prev' page comes
 * back in reverse order; the caller flips it.
 */
export function pageQuery(
  plan: QueryPlan,
  direction: CursorDirection,
  position: CursorPosition | null,
  limit: number,
): Sql {
  const where = whereOf(plan)
  const ascending = ascendingFor(plan.filter.sort, direction)
  const after = position ? keyset(plan.filter.sort, ascending, position) : null
  // The keyset comes first: see existsBeyondQuery.
  return {
    sql:
      `SELECT ${COLUMNS}, ${SORTS[plan.filter.sort].value} AS sort_key FROM connections c ` +
      `WHERE ${after ? `${after.sql} AND ` : ''}${where.sql} ${orderBy(plan.filter.sort, ascending)} LIMIT ?`,
    params: [...(after?.params ?? []), ...where.params, limit],
  }
}

/** Whether any matching row lies beyond `position` in `direction`: decides whether next/previous is null. */
export function existsBeyondQuery(
  plan: QueryPlan,
  direction: CursorDirection,
  position: CursorPosition,
): Sql {
  const where = whereOf(plan)
  const after = keyset(plan.filter.sort, ascendingFor(plan.filter.sort, direction), position)
  // The keyset before the filters: SQLite tests WHERE terms in order and reads the table row only
  // when a term needs it, so rows the keyset excludes cost an index entry, not a row. The seek uses
  // only `key >= K`, so a large tie (every connection that never expires) is stepped over: on 100k
  // connections a deep expiry page with a status filter took 56 ms with the filters first, 7 ms so.
  return {
    sql: `SELECT EXISTS (SELECT 1 FROM connections c WHERE ${after.sql} AND ${where.sql}) AS found`,
    params: [...after.params, ...where.params],
  }
}

export function countQuery(plan: QueryPlan): Sql {
  const where = whereOf(plan)
  return { sql: `SELECT count(*) AS total FROM connections c WHERE ${where.sql}`, params: where.params }
}

/**
 * Rows [offset, offset + limit) for the virtualized table. Only rowids are selected while skipping,
 * so SQLite can step over the offset inside the sort index without reading table rows; the page's
 * rows are then fetched by rowid.
 */
export function sliceRowidsQuery(plan: QueryPlan, offset: number, limit: number): Sql {
  const where = whereOf(plan)
  return {
    sql:
      `SELECT c.rowid AS rid FROM connections c WHERE ${where.sql} ` +
      `${orderBy(plan.filter.sort, !SORTS[plan.filter.sort].descending)} LIMIT ? OFFSET ?`,
    params: [...where.params, limit, offset],
  }
}

export const rowsByRowidQuery = `SELECT c.rowid AS rowid, ${COLUMNS} FROM connections c WHERE c.rowid IN (SELECT value FROM json_each(?))`

/**
 * Every row's rowid in a sort's order, from the sort index alone (no table rows): the order a
 * materialized slice keeps the matching rows in (list-cache.ts). One comma-separated string rather
 * than a row per rowid: half the time on 100k rows. The subquery keeps its order: SQLite does not
 * flatten an ordered subquery into an aggregate (and `group_concat(... ORDER BY ...)` would sort).
 */
export function orderQuery(sort: ListSort): string {
  return `SELECT group_concat(rid) FROM (SELECT c.rowid AS rid FROM connections c ${orderBy(sort, !SORTS[sort].descending)})`
}

/** The rowids of every row a plan matches, comma-separated, in no particular order. */
export function matchingRowidsQuery(plan: QueryPlan): Sql {
  const where = whereOf(plan)
  return {
    sql: `SELECT group_concat(rid) FROM (SELECT c.rowid AS rid FROM connections c WHERE ${where.sql})`,
    params: where.params,
  }
}

/**
 * Every row's rowid (comma-separated) and display name (NUL-separated) in one pass over the name
 * index (no table rows), in the same row order since both aggregates see the same rows. A name
 * holding a NUL splits into more parts than `count`; the caller then reads nameRowsQuery instead.
 */
export const nameIndexQuery = `SELECT group_concat(c.rowid), group_concat(c.display_name, char(0)), count(*) FROM connections c`
/** Row by row, each name folded by SQL exactly as the filter folds it. */
export const nameRowsQuery = `SELECT c.rowid, ${FOLDED_NAME} FROM connections c`
