import type Database from 'better-sqlite3'
import type { ListSort } from '../../shared/contract'
import type { VaultSession } from '../vault/session'
import {
  countPlanFor,
  filtersBesidesName,
  ftsCandidates,
  planFor,
  SELECTIVE_ENOUGH,
  type NameLookup,
  type PlanOptions,
} from './list-plan'
import {
  canUseTrigramIndex,
  countQuery,
  matchingRowidsQuery,
  orderQuery,
  sliceRowidsQuery,
  type ListFilter,
  type QueryPlan,
  type Sql,
} from './list-query'
import { readNameIndex, stopNotingNames, type NameIndex } from './name-index'
import type { ConnectionsRepository } from './repository'

// What connections.slice (the renderer's virtualized table) and 1–2 character name searches keep
// in memory between calls, per unlocked session. Everything here is derived from plaintext list
// metadata (rowids, display names, sort order), never from a value, and is valid for one version of
// the data only: any change, by any path, starts it afresh (dataVersionOf), except the name index,
// which folds in the rows that changed (name-index.ts). Nothing is cached or read from a cache
// inside a transaction, which could still roll back.

/**
 * How many rows SQL may step through along the sort index to reach a slice (LIMIT/OFFSET from the
 * start, testing each row's filters: ~1.5 µs a row) before the filter is materialized instead: the
 * sort's rowids in order (one index-only scan, cached per data version: 15–25 ms on 100k rows)
 * filtered by the matching rowids, after which every slice of that filter is an array slice. A
 * keystroke's first page of a dense filter stays in SQL (~300 rows for "prod" at offset 0); the
 * middle of a filtered list (50–100 ms in SQL on 100k connections) is materialized. A filter asked
 * for again (scrolling) gets a fifth of this budget.
 */
export const WALK_BUDGET = 10_000
/** Filters whose count and materialized order are kept; the least recently used goes first. */
const RESULTS_KEPT = 16
/** Rowids up to this are counted in a byte array (1 MiB); beyond it, and sparse, in a Map. */
const DENSE_ROWIDS = 1 << 20

export interface ResultEntry {
  /** How many slices of this filter were asked for. */
  asked: number
  /** How many rows match. */
  total?: number
  /** Every matching rowid in the filter's sort order. */
  order?: readonly number[]
  /** The rowids matching the filters other than the name, when counting read them anyway. */
  others?: readonly number[]
}

/** The caches for the data as it is now. */
export interface CurrentCaches {
  /** The name index, read on first use (~35 ms on 100k connections), then kept up to date. */
  names(): NameIndex
  /** Every rowid in the sort's order, read on first use (one index-only scan: ~15 ms on 100k). */
  order(sort: ListSort): readonly number[]
  /** The entry for a filter (created empty), by its canonical key. */
  result(key: string): ResultEntry
  /** The rowids a query answers as one comma-separated string (matchingRowidsQuery). */
  rowids(query: Sql): number[]
}

export interface ListCacheStats {
  /** Whether a session's caches are held at all. */
  held: boolean
  names: number
  orders: number
  results: number
}

/** The thresholds; only tests change them, to reach every path with a few rows. */
export interface ListTuning {
  /** WALK_BUDGET. */
  walkBudget: number
  /** SELECTIVE_ENOUGH: at most this many rows drive a query from their rowids or index. */
  few: number
}

export interface ListCaches {
  readonly tuning: ListTuning
  /** The caches valid now, or null inside a transaction (the caller then reads SQL only). */
  at(session: VaultSession): CurrentCaches | null
  /** Drops everything (the vault locked). */
  forget(): void
  stats(): ListCacheStats
}

interface State {
  session: VaultSession
  db: Database.Database
  version: DataVersion
  /** False when rowids are outside what the arrays here represent exactly (never for SQLite's own). */
  usable: boolean
  names?: NameIndex | undefined
  /** The names were read at an earlier version: catch up before use. */
  namesBehind: boolean
  orders: Map<ListSort, readonly number[]>
  results: Map<string, ResultEntry>
}

interface DataVersion {
  changes: number
  data: number
  schema: number
}

const VERSION_SQL =
  'SELECT total_changes(), (SELECT data_version FROM pragma_data_version), (SELECT schema_version FROM pragma_schema_version)'
const ROWID_RANGE_SQL = 'SELECT (SELECT min(rowid) FROM connections), (SELECT max(rowid) FROM connections)'

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>()

function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db)
  if (!cache) {
    cache = new Map()
    statements.set(db, cache)
  }
  let prepared = cache.get(sql)
  if (!prepared) {
    prepared = db.prepare(sql)
    cache.set(sql, prepared)
  }
  return prepared
}

/**
 * Identifies the data as this connection sees it, or null inside a transaction. total_changes()
 * counts every row this connection inserted, updated or deleted (triggers included, rolled-back
 * ones too, which only invalidates more), data_version moves when another connection commits, and
 * schema_version when the schema changes (VACUUM, which may renumber rowids, bumps it too). It
 * costs one trivial statement (~10 µs) and needs nothing from the write path.
 */
export function dataVersionOf(db: Database.Database): DataVersion | null {
  if (db.inTransaction) return null
  const [changes, data, schema] = statement(db, VERSION_SQL).raw().get() as [number, number, number]
  return { changes, data, schema }
}

export function createListCaches(tuning: Partial<ListTuning> = {}): ListCaches {
  let state: State | null = null

  function current(session: VaultSession): State | null {
    const db = session.db
    const version = dataVersionOf(db)
    if (version === null) return null
    const same = state !== null && state.session === session && state.db === db
    if (same && state!.version.changes === version.changes && state!.version.data === version.data) {
      if (state!.version.schema === version.schema) return state
    }
    // Only this connection's own writes since: the name index can catch up with them.
    const names =
      same && state!.version.data === version.data && state!.version.schema === version.schema
        ? state!.names
        : undefined
    if (state?.names && !names) stopNoting(state.db)
    const [min, max] = statement(db, ROWID_RANGE_SQL).raw().get() as [number | null, number | null]
    state = {
      session,
      db,
      version,
      usable: (min ?? 0) >= 0 && (max ?? 0) <= Number.MAX_SAFE_INTEGER,
      names,
      namesBehind: names !== undefined,
      orders: new Map(),
      results: new Map(),
    }
    return state
  }

  function namesOf(now: State): NameIndex {
    if (now.names && now.namesBehind) {
      now.namesBehind = false
      if (!now.names.catchUp()) now.names = undefined
      // Clearing the notes of changes was itself a change: the data is still what `now` is for.
      now.version = dataVersionOf(now.db) ?? now.version
    }
    if (!now.names) {
      now.names = readNameIndex(now.db)
      now.version = dataVersionOf(now.db) ?? now.version
    }
    return now.names
  }

  return {
    tuning: { walkBudget: WALK_BUDGET, few: SELECTIVE_ENOUGH, ...tuning },
    at(session) {
      const now = current(session)
      if (!now || !now.usable) return null
      const { db } = now
      return {
        names: () => namesOf(now),
        order(sort) {
          let order = now.orders.get(sort)
          if (!order) {
            order = numbers(statement(db, orderQuery(sort)).pluck().get())
            now.orders.set(sort, order)
          }
          return order
        },
        result(key) {
          let entry = now.results.get(key)
          if (entry) now.results.delete(key)
          else entry = { asked: 0 }
          now.results.set(key, entry)
          if (now.results.size > RESULTS_KEPT) now.results.delete(now.results.keys().next().value!)
          return entry
        },
        rowids: (query) =>
          numbers(
            statement(db, query.sql)
              .pluck()
              .get(...query.params),
          ),
      }
    },
    forget() {
      if (state?.names) stopNoting(state.db)
      state = null
    },
    stats() {
      return {
        held: state !== null,
        names: state?.names ? 1 : 0,
        orders: state?.orders.size ?? 0,
        results: state?.results.size ?? 0,
      }
    },
  }
}

/** Drops the name index's temp triggers: writes no longer pay for an index nobody holds. */
function stopNoting(db: Database.Database): void {
  try {
    stopNotingNames(db)
  } catch {
    // The database is already closed: its temp triggers went with it.
  }
}

/** A comma-separated list of integers (group_concat), or null for none. */
function numbers(list: unknown): number[] {
  return typeof list === 'string' ? (JSON.parse(`[${list}]`) as number[]) : []
}

/**
 * The name index as a plan's NameLookup, built when missing: planFor asks only for a 1–2 character
 * name, which SQL would otherwise answer by testing every row's name (25–80 ms on 100k connections)
 * on every call.
 */
function nameLookup(caches: CurrentCaches): NameLookup {
  return (text) => caches.names().matching(text)
}

/** The plan for a connections.list page: a 1–2 character name drives from the name index's rowids when they are few. */
export function listPagePlan(
  repository: ConnectionsRepository,
  listCaches: ListCaches,
  session: VaultSession,
  filter: ListFilter,
): QueryPlan {
  const caches = listCaches.at(session)
  return planFor(repository, filter, 'page', {
    names: caches ? nameLookup(caches) : undefined,
    few: listCaches.tuning.few,
  })
}

/** The rows [offset, offset + limit) of a filter, as rowids in order, and how many match in all. */
export function sliceRowids(
  repository: ConnectionsRepository,
  listCaches: ListCaches,
  session: VaultSession,
  filter: ListFilter,
  offset: number,
  limit: number,
): { total: number; rowids: number[] } {
  const { tuning } = listCaches
  const caches = listCaches.at(session)
  // listFilterOf builds every filter with the same key order and a sorted status list.
  const entry: ResultEntry = caches?.result(JSON.stringify(filter)) ?? { asked: 0 }
  entry.asked += 1
  if (!entry.order) {
    const plan = planFor(repository, filter, 'page', {
      names: caches ? nameLookup(caches) : undefined,
      few: tuning.few,
    })
    const budget = entry.asked > 1 ? tuning.walkBudget / 5 : tuning.walkBudget
    const cheap = !caches || cheapToSkip(plan)
    // SQL would step through at least offset + limit rows: past the budget, no count is needed to decide.
    if (cheap || offset + limit <= budget || entry.total !== undefined) {
      const total = (entry.total ??= totalOf(repository, caches, tuning.few, filter, entry))
      if (offset >= total) return { total, rowids: [] }
      if (cheap || walked(repository, plan, total, offset + limit) <= budget) {
        const rows = repository.all<{ rid: number }>(sliceRowidsQuery(plan, offset, limit))
        return { total, rowids: rows.map((row) => row.rid) }
      }
    }
    entry.order = orderedMatches(repository, caches!, tuning.few, filter, entry)
    entry.total = entry.order.length
  }
  return { total: entry.order.length, rowids: entry.order.slice(offset, offset + limit) }
}

/**
 * About how many rows SQL reads along the sort index (or the piece's sort index) to find the first
 * `through` matches, were the matches spread evenly.
 */
function walked(repository: ConnectionsRepository, plan: QueryPlan, total: number, through: number): number {
  const { pieceName } = plan.filter
  const scanned =
    repository.get<{ n: number }>(
      pieceName === undefined
        ? { sql: 'SELECT count(*) AS n FROM connections', params: [] }
        : { sql: 'SELECT count(*) AS n FROM connections WHERE piece_name = ?', params: [pieceName] },
    )?.n ?? 0
  return (Math.min(through, total) * scanned) / Math.max(1, total)
}

/**
 * Whether SQL steps over skipped rows cheaply: without filters, or with only pieceName, it walks
 * an index and reads no table row; a plan driven by few candidates sorts at most that many rows.
 */
function cheapToSkip(plan: QueryPlan): boolean {
  const { filter } = plan
  if (filter.displayName === undefined && !filtersBesidesName({ ...filter, pieceName: undefined }))
    return true
  return (
    plan.nameSearch === 'fts' ||
    plan.nameSearch === 'rowids' ||
    plan.projectAccess === 'drive' ||
    plan.rareFilter !== undefined
  )
}

/**
 * How many rows match. A name FTS5 finds in few rows, and every filter without a name, is counted
 * in SQL from the most selective index. Otherwise the name index answers which rows match the name
 * (built if needed: counting a common or 1–2 character name in SQL tests every candidate's name,
 * 25–100 ms on 100k connections, on each keystroke), and any other filters are intersected with it:
 * in SQL from its rowids when they are few, else in memory.
 */
function totalOf(
  repository: ConnectionsRepository,
  caches: CurrentCaches | null,
  few: number,
  filter: ListFilter,
  entry: ResultEntry,
): number {
  const text = filter.displayName
  const options: PlanOptions = { few }
  if (caches && text === undefined && filter.projectId !== undefined) {
    // Counting a project looks up each member's row by id (~10 ms for 18k members); its rowids
    // cost the same and are kept for materializing the order, should a deeper slice need it.
    entry.others = matchingOthers(repository, caches, few, filter)
    return entry.others.length
  }
  const fewByFts =
    text !== undefined && canUseTrigramIndex(text) && ftsCandidates(repository, text, few) <= few
  if (!caches || text === undefined || fewByFts) {
    return (
      repository.get<{ total: number }>(countQuery(countPlanFor(repository, filter, options)))?.total ?? 0
    )
  }
  const matches = caches.names().matching(text)
  if (!filtersBesidesName(filter)) return matches.length
  if (matches.length <= few) {
    const plan = countPlanFor(repository, filter, { ...options, names: () => matches })
    return repository.get<{ total: number }>(countQuery(plan))?.total ?? 0
  }
  entry.others = matchingOthers(repository, caches, few, filter)
  return inOrder(entry.others, [matches]).length
}

/** Every rowid matching the filters other than the name, in no particular order. */
function matchingOthers(
  repository: ConnectionsRepository,
  caches: CurrentCaches,
  few: number,
  filter: ListFilter,
): readonly number[] {
  const plan = countPlanFor(repository, { ...filter, displayName: undefined }, { few })
  return caches.rowids(matchingRowidsQuery(plan))
}

/** Every matching rowid in the filter's sort order. */
function orderedMatches(
  repository: ConnectionsRepository,
  caches: CurrentCaches,
  few: number,
  filter: ListFilter,
  entry: ResultEntry,
): readonly number[] {
  const sets: (readonly number[])[] = []
  if (filter.displayName !== undefined) sets.push(caches.names().matching(filter.displayName))
  if (filtersBesidesName(filter)) sets.push(entry.others ?? matchingOthers(repository, caches, few, filter))
  entry.others = undefined
  const order = caches.order(filter.sort)
  return sets.length === 0 ? order : inOrder(order, sets)
}

/** The rowids of `order` that are in every one of `sets` (each without repeats), in that order. */
export function inOrder(order: readonly number[], sets: readonly (readonly number[])[]): number[] {
  let max = 0
  for (const set of sets) for (const rowid of set) if (rowid > max) max = rowid
  const wanted = sets.length
  const kept: number[] = []
  if (max <= Math.max(DENSE_ROWIDS, 8 * order.length)) {
    const hits = new Uint8Array(max + 1)
    for (const set of sets) for (const rowid of set) hits[rowid] = (hits[rowid] ?? 0) + 1
    for (const rowid of order) if (rowid <= max && hits[rowid] === wanted) kept.push(rowid)
  } else {
    const hits = new Map<number, number>()
    for (const set of sets) for (const rowid of set) hits.set(rowid, (hits.get(rowid) ?? 0) + 1)
    for (const rowid of order) if (hits.get(rowid) === wanted) kept.push(rowid)
  }
  return kept
}
