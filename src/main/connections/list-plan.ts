import type { ConnectionsRepository } from './repository'
import { canUseTrigramIndex, ftsPhrase, type ListFilter, type QueryPlan, type RareFilter } from './list-query'

/**
 * Above this many candidates a filter is answered by walking the sort index and testing each row:
 * a page then fills after a few hundred rows. Below it the filter's own index is faster.
 */
export const SELECTIVE_ENOUGH = 1000

/**
 * The rows whose display name matches `text`, from the in-memory name index (list-cache.ts), or
 * undefined when it cannot answer now (inside a transaction); the plan then tests every row in SQL.
 */
export type NameLookup = (text: string) => readonly number[] | undefined

export interface PlanOptions {
  names?: NameLookup | undefined
  /** SELECTIVE_ENOUGH unless a test lowers it to reach every plan with a few rows. */
  few?: number | undefined
}

/**
 * Chooses, per filter, between driving the query from the filter's index and walking the sort
 * index: a probe counts at most SELECTIVE_ENOUGH + 1 candidates, which costs well under a
 * millisecond. A count always drives from the most selective index, since it reads every match
 * anyway. A 1–2 character name, which FTS5 trigram cannot answer, drives from the rowids `names`
 * finds when they are few; otherwise (or without `names`) every row's name is tested.
 */
export function planFor(
  repository: ConnectionsRepository,
  filter: ListFilter,
  purpose: 'page' | 'count',
  options: PlanOptions = {},
): QueryPlan {
  const few = options.few ?? SELECTIVE_ENOUGH
  const plan: QueryPlan = { filter, nameSearch: 'none', projectAccess: 'none' }
  if (filter.displayName !== undefined) {
    if (!canUseTrigramIndex(filter.displayName)) {
      const rowids = options.names?.(filter.displayName)
      if (rowids && rowids.length <= few) {
        plan.nameSearch = 'rowids'
        plan.nameRowids = rowids
      } else plan.nameSearch = 'scan'
    } else if (purpose === 'count') plan.nameSearch = 'fts'
    else plan.nameSearch = ftsCandidates(repository, filter.displayName, few) <= few ? 'fts' : 'scan'
  }
  if (filter.projectId !== undefined) {
    // Few rowids drive the query; the project is then checked on each of them.
    if (plan.nameSearch === 'rowids') plan.projectAccess = 'check'
    else if (purpose === 'count' || plan.nameSearch === 'fts') plan.projectAccess = 'drive'
    else {
      const members = repository.get<{ n: number }>({
        sql: `SELECT count(*) AS n FROM (SELECT 1 FROM connection_projects WHERE project_id = ? LIMIT ?)`,
        params: [filter.projectId, few + 1],
      })
      plan.projectAccess = (members?.n ?? 0) <= few ? 'drive' : 'check'
    }
  }
  if (
    plan.nameSearch !== 'fts' &&
    plan.nameSearch !== 'rowids' &&
    plan.projectAccess !== 'drive' &&
    filter.pieceName === undefined
  ) {
    // A count reads every match, so a driver of up to ten times as many rows still beats a scan.
    plan.rareFilter = rarestFilter(repository, filter, purpose === 'count' ? few * 10 : few)
  }
  return plan
}

/**
 * The plan for counting (or listing in no order) the rows a filter matches. The sort does not
 * change which rows match, and under the default sort every equality filter may drive from its own
 * (filter, updated_ms, id) index: counting ERROR connections sorted by name read every row (6 ms on
 * 100k connections), from the status index 0.3 ms.
 */
export function countPlanFor(
  repository: ConnectionsRepository,
  filter: ListFilter,
  options: PlanOptions = {},
): QueryPlan {
  return planFor(repository, { ...filter, sort: 'updated' }, 'count', options)
}

/** How many rows FTS5 finds for a 3+ character name, counted up to few + 1. */
export function ftsCandidates(
  repository: ConnectionsRepository,
  text: string,
  few = SELECTIVE_ENOUGH,
): number {
  return (
    repository.get<{ n: number }>({
      sql: `SELECT count(*) AS n FROM (SELECT 1 FROM connections_name_fts WHERE connections_name_fts MATCH ? LIMIT ?)`,
      params: [ftsPhrase(text), few + 1],
    })?.n ?? 0
  )
}

/** Whether a filter has any condition besides the name (the sort is not a condition). */
export function filtersBesidesName(filter: ListFilter): boolean {
  return (
    filter.pieceName !== undefined ||
    filter.status !== undefined ||
    filter.scope !== undefined ||
    filter.projectId !== undefined ||
    filter.remoteId !== undefined
  )
}

/** status or remoteId when one of them matches at most `few` rows (the fewer wins). */
function rarestFilter(
  repository: ConnectionsRepository,
  filter: ListFilter,
  few: number,
): RareFilter | undefined {
  const probes: { filter: RareFilter; sql: string; params: unknown[] }[] = []
  if (filter.status !== undefined) {
    probes.push({
      filter: 'status',
      sql: `SELECT 1 FROM connections WHERE status IN (${filter.status.map(() => '?').join(', ')})`,
      params: filter.status,
    })
  }
  if (filter.remoteId !== undefined) {
    probes.push({
      filter: 'remote',
      sql: 'SELECT 1 FROM connections WHERE remote_key = ?',
      params: [filter.remoteId ?? ''],
    })
  }
  let rarest: { filter: RareFilter; n: number } | undefined
  for (const probe of probes) {
    const n =
      repository.get<{ n: number }>({
        sql: `SELECT count(*) AS n FROM (${probe.sql} LIMIT ?)`,
        params: [...probe.params, few + 1],
      })?.n ?? 0
    if (n <= few && (!rarest || n < rarest.n)) rarest = { filter: probe.filter, n }
  }
  return rarest?.filter
}
