import type Database from 'better-sqlite3'
import type { ConnectionRow, Related } from './rows'
import { ROW_COLUMNS } from './rows'

// The rows of one page of connections.list or connections.slice, with their projects and flows,
// in one statement. Turning rows into a page was most of a list call (bench/connections.bench.ts):
// three statements each found every row through the id index (the row, then its projects from the
// same row again, then its flows). Here each row is found by the rowid the list in memory read it
// at, one B-tree step, and carries its project ids and flow ids with it.

const RELATED_COLUMNS = `c.project_ids AS page_project_ids,
  (SELECT json_group_array(f.flow_id ORDER BY f.flow_id) FROM flow_references f
    WHERE f.connection_id = c.id) AS page_flow_ids`
const BY_ROWID_SQL = `SELECT ${ROW_COLUMNS}, ${RELATED_COLUMNS} FROM connections c
  WHERE c.rowid IN (SELECT value FROM json_each(?))`
const BY_ID_SQL = `SELECT ${ROW_COLUMNS}, ${RELATED_COLUMNS} FROM connections c
  WHERE c.id IN (SELECT value FROM json_each(?))`

type PageRow = ConnectionRow & { page_project_ids: string; page_flow_ids: string }

const statements = new WeakMap<Database.Database, { byRowid: Database.Statement; byId: Database.Statement }>()

function statementsOf(db: Database.Database) {
  let prepared = statements.get(db)
  if (!prepared) {
    prepared = { byRowid: db.prepare(BY_ROWID_SQL), byId: db.prepare(BY_ID_SQL) }
    statements.set(db, prepared)
  }
  return prepared
}

/**
 * The rows of `ids` in that order (an id no longer in the vault is left out), and their projects and
 * flows. `rowids[i]` is where ids[i] was last seen (NaN: unknown); a row found there under another
 * id (its rowid was reused, or VACUUM moved it) does not count, and ids not found by rowid are read
 * by id.
 */
export function readPageRows(
  db: Database.Database,
  ids: readonly string[],
  rowids: readonly number[] | null,
): { rows: ConnectionRow[]; related: Related } {
  const found = new Map<string, PageRow>()
  if (ids.length === 0) return { rows: [], related: { projectIds: new Map(), flowIds: new Map() } }
  const { byRowid, byId } = statementsOf(db)
  const wanted = new Set(ids)
  const known = rowids?.filter((rowid) => !Number.isNaN(rowid)) ?? []
  if (known.length > 0)
    for (const row of byRowid.all(JSON.stringify(known)) as PageRow[])
      if (wanted.has(row.id)) found.set(row.id, row)
  if (found.size < wanted.size) {
    const missing = ids.filter((id) => !found.has(id))
    for (const row of byId.all(JSON.stringify(missing)) as PageRow[]) found.set(row.id, row)
  }
  const rows: ConnectionRow[] = []
  const projectIds = new Map<string, string[]>()
  const flowIds = new Map<string, string[]>()
  for (const id of ids) {
    const row = found.get(id)
    if (!row) continue
    rows.push(row)
    if (row.page_project_ids !== '[]') projectIds.set(id, JSON.parse(row.page_project_ids) as string[])
    if (row.page_flow_ids !== '[]') flowIds.set(id, JSON.parse(row.page_flow_ids) as string[])
  }
  return { rows, related: { projectIds, flowIds } }
}
