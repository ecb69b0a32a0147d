import type { ConnectionFacets } from '../../shared/contract'
import type { Sql } from './list-query'

// connections.facets answered by SQL: inside a transaction and while the list in memory is first
// read (list-index.ts answers the rest, and the two agree: test/main/connections/facets.test.ts).
// The filter bar's pickers need every piece, project and remote the vault holds with how many
// connections each has, so a person picks from what exists instead of typing ids.

type Counted = { value: string; count: number }

/** Pieces, projects, remotes ('' for local-only) and the total, in that order. */
export const facetsQueries: Sql[] = [
  { sql: 'SELECT piece_name AS value, count(*) AS count FROM connections GROUP BY piece_name', params: [] },
  {
    sql: `SELECT p.value AS value, count(*) AS count FROM connections c, json_each(c.project_ids) p
      WHERE c.project_ids <> '[]' GROUP BY p.value`,
    params: [],
  },
  { sql: 'SELECT remote_key AS value, count(*) AS count FROM connections GROUP BY remote_key', params: [] },
  { sql: `SELECT '' AS value, count(*) AS count FROM connections`, params: [] },
]

/** Most connections first, then by value in code point order (as the list in memory answers). */
function byCount(rows: Counted[]): Counted[] {
  return rows.sort((a, b) => b.count - a.count || compareCodePoints(a.value, b.value))
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!
    if (d !== 0) return d
  }
  return x.length - y.length
}

/** The answer from the rows of facetsQueries, in their order. */
export function facetsOf(results: unknown[][]): ConnectionFacets {
  const [pieces, projects, remotes, total] = results as Counted[][]
  return {
    partial: false,
    total: total?.[0]?.count ?? 0,
    pieces: byCount(pieces ?? []).map(({ value, count }) => ({ pieceName: value, count })),
    projects: byCount(projects ?? []).map(({ value, count }) => ({ projectId: value, count })),
    remotes: byCount(remotes ?? []).map(({ value, count }) => ({
      remoteId: value === '' ? null : value,
      count,
    })),
  }
}
