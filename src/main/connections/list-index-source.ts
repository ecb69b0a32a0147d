import type Database from 'better-sqlite3'
import type { ConnectionScope, ConnectionStatus } from '../../shared/contract'
import type { VaultSession } from '../vault/session'
import { createListIndex, type ListEntry, type ListIndex } from './list-index'
import { NO_EXPIRY } from './list-query'
import { group } from './repository'

// Keeps the in-memory list (list-index.ts) equal to the vault as it is committed.
//
// Reading 100k connections takes close to a second on a slow machine, far longer than the main
// process may stop answering, so the list is read in chunks of rows in id order, one per turn of
// the event loop; until it is
// complete the caller answers from SQL (slower, never wrong). Then it is kept up to date from notes:
// TEMP triggers (on this connection only, never in the vault file) note the id of every connection
// a statement inserts, updates or deletes, or whose projects change, whatever wrote it (the
// service, the sync engine, the token refresher, plain SQL), and the next list call reads just
// those rows. The notes roll back with the transaction that made them; inside a transaction the
// index is not used at all, so it never holds a write that could still roll back.
//
// The list outlives a lock: it holds what the vault file itself holds in plaintext (names, pieces,
// dates; never a value or its key), and reading it again at each unlock would cost that second
// again. It goes when the database handle does.

export interface ListIndexTuning {
  /** More notes than this and the whole list is read again instead; tests set 0 to reach that path. */
  catchUpAtMost: number
  /** Rows read per turn of the event loop while the list is first read. */
  chunkRows: number
  /**
   * Runs the next chunk later (setImmediate). Tests pass `null` to read the whole list on the
   * spot, so the index answers from the first call.
   */
  schedule: ((step: () => void) => void) | null
}

/** ~25 ms of reading per turn at 100k connections on 2 slow cores. */
const CHUNK_ROWS = 4000

export interface ListIndexStats {
  /** Whether an index is held at all. */
  held: boolean
  /** Whether it is complete, so lists are answered from it. */
  ready: boolean
  size: number
  orders: number
  slices: number
  names: number
}

export interface ListIndexes {
  /**
   * The index as the data is now, or null while it is first read and inside a transaction (the
   * caller then answers from SQL).
   */
  at(session: VaultSession): ListIndex | null
  /** Drops the index and stops noting changes (the vault closed). */
  forget(): void
  stats(): ListIndexStats
}

interface DataVersion {
  changes: number
  data: number
  schema: number
}

interface State {
  db: Database.Database
  index: ListIndex
  /** While the list is first read: the last id read (null: none yet), and the data version it started at. */
  reading: { afterId: string | null; scheduled: boolean; started: DataVersion } | null
  version: DataVersion
}

const NOTES = 'temp.latchkey_list_changes'

/** Each trigger that notes a change: its name, event (and condition), and the id column it notes. */
const NOTERS: { name: string; event: string; when?: string; noted: string }[] = [
  { name: 'insert', event: 'INSERT', noted: 'new.id' },
  // One note per updated row: the row as it is now. An UPDATE that changes the id itself (no
  // statement of Latchkey's does; plain SQL could) also notes the id the row had. Two notes per
  // row were ~1/20 of a batch of 500 updates' CPU.
  { name: 'update', event: 'UPDATE', noted: 'new.id' },
  { name: 'rekey', event: 'UPDATE OF id', when: 'old.id IS NOT new.id', noted: 'old.id' },
  { name: 'delete', event: 'DELETE', noted: 'old.id' },
  // A connection's projects are a column of its row (migration 006): the UPDATE above notes a change
  // to them, made through connection_projects' view as well.
]
const noterName = ({ name }: (typeof NOTERS)[number]) => `latchkey_list_connections_${name}`

// recursive_triggers: otherwise a row that INSERT OR REPLACE deletes over a unique key (the natural
// key, under another id) fires no delete trigger, and the list would keep it.
const START_NOTING = `
PRAGMA recursive_triggers = ON;
CREATE TEMP TABLE IF NOT EXISTS latchkey_list_changes (id TEXT PRIMARY KEY);
${NOTERS.map(
  (noter) =>
    `CREATE TEMP TRIGGER IF NOT EXISTS ${noterName(noter)} AFTER ${noter.event} ON connections${noter.when ? ` WHEN ${noter.when}` : ''} BEGIN
  INSERT OR IGNORE INTO ${NOTES} (id) VALUES (${noter.noted});
END;`,
).join('\n')}
DELETE FROM ${NOTES};
`
const STOP_NOTING = `
${NOTERS.map((noter) => `DROP TRIGGER IF EXISTS temp.${noterName(noter)};`).join('\n')}
DROP TABLE IF EXISTS ${NOTES};
`

const ENTRY_COLUMNS = `c.id, c.display_name, c.piece_name, c.status, c.scope, c.remote_key, c.created_ms,
  c.updated_ms, ifnull(c.token_expires_ms, ${NO_EXPIRY}), c.rowid`
type EntryRow = [
  string,
  string,
  string,
  ConnectionStatus,
  ConnectionScope,
  string,
  number,
  number,
  number,
  number,
]

// By id, not rowid: exact whatever the rowids are (a rowid past 2^53 is not), and ids begin with
// their creation time, so id order mostly follows the table's own.
const FIRST_CHUNK_SQL = `SELECT ${ENTRY_COLUMNS} FROM connections c ORDER BY c.id LIMIT ?`
const CHUNK_SQL = `SELECT ${ENTRY_COLUMNS} FROM connections c WHERE c.id > ? ORDER BY c.id LIMIT ?`
const CHUNK_PROJECTS_SQL = `SELECT connection_id, project_id FROM connection_projects
  WHERE connection_id >= ? AND connection_id <= ?`
const NOTED_IDS_SQL = `SELECT id FROM ${NOTES}`
const NOTED_ROWS_SQL = `SELECT ${ENTRY_COLUMNS} FROM connections c WHERE c.id IN (SELECT id FROM ${NOTES})`
const NOTED_PROJECTS_SQL = `SELECT connection_id, project_id FROM connection_projects
  WHERE connection_id IN (SELECT id FROM ${NOTES})`
const CLEAR_NOTES_SQL = `DELETE FROM ${NOTES}`
const VERSION_SQL =
  'SELECT total_changes(), (SELECT data_version FROM pragma_data_version), (SELECT schema_version FROM pragma_schema_version)'

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>()

function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db)
  if (!cache) statements.set(db, (cache = new Map()))
  let prepared = cache.get(sql)
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)))
  return prepared
}

/**
 * Identifies the data as this connection sees it, or null inside a transaction. total_changes()
 * counts every row this connection inserted, updated or deleted (rolled-back ones too, which only
 * means a catch-up that finds nothing), data_version moves when another connection commits (its
 * writes leave no notes here), and schema_version when the schema changes.
 */
function dataVersionOf(db: Database.Database): DataVersion | null {
  if (db.inTransaction) return null
  const [changes, data, schema] = statement(db, VERSION_SQL).raw().get() as [number, number, number]
  return { changes, data, schema }
}

export function createListIndexes(tuning: Partial<ListIndexTuning> = {}): ListIndexes {
  const chunkRows = tuning.chunkRows ?? CHUNK_ROWS
  const schedule = tuning.schedule === undefined ? (step: () => void) => setImmediate(step) : tuning.schedule
  let state: State | null = null

  function startReading(db: Database.Database): State {
    db.exec(START_NOTING)
    const version = dataVersionOf(db)!
    return {
      db,
      index: createListIndex(),
      reading: { afterId: null, scheduled: false, started: version },
      version,
    }
  }

  /** Reads one chunk; at the end folds in what was written meanwhile. False while rows remain. */
  function readChunk(now: State): boolean {
    const { db, index, reading } = now
    const rows = (
      reading!.afterId === null
        ? statement(db, FIRST_CHUNK_SQL).raw().all(chunkRows)
        : statement(db, CHUNK_SQL).raw().all(reading!.afterId, chunkRows)
    ) as EntryRow[]
    if (rows.length > 0) {
      const first = rows[0]![0]
      const last = rows[rows.length - 1]![0]
      const projects = projectsOf(
        statement(db, CHUNK_PROJECTS_SQL).raw().all(first, last) as [string, string][],
      )
      index.apply(
        rows.map((row) => entryOf(row, projects.get(row[0]))),
        [],
      )
      reading!.afterId = last
      if (rows.length === chunkRows) return false
    }
    now.reading = null
    return true
  }

  /** Reads the next chunk, later or (without a scheduler) now; a write from elsewhere starts it over. */
  function continueReading(now: State): void {
    const step = () => {
      if (state !== now || !now.reading) return
      now.reading.scheduled = false
      const version = dataVersionOf(now.db)
      // Inside a transaction: try again on a later turn (or, read on the spot, at the next call).
      if (version === null) return schedule === null ? undefined : continueReading(now)
      if (version.data !== now.reading.started.data || version.schema !== now.reading.started.schema) {
        state = startReading(now.db)
        return continueReading(state)
      }
      if (!readChunk(now)) return continueReading(now)
      // Rows read before a write were noted by it: fold them in as after any write.
      now.version = version
      if (!catchUp(now)) {
        state = startReading(now.db)
        continueReading(state)
      }
    }
    if (schedule === null) return step()
    if (now.reading && !now.reading.scheduled) {
      now.reading.scheduled = true
      schedule(() => {
        try {
          step()
        } catch {
          // The database closed under a read; the next call starts again on whatever is open then.
          if (state === now) state = null
        }
      })
    }
  }

  /** Folds the noted rows in; false when there are too many, and the list must be read again. */
  function catchUp(now: State): boolean {
    const { db, index } = now
    const noted = statement(db, NOTED_IDS_SQL).pluck().all() as string[]
    const limit = tuning.catchUpAtMost ?? Math.max(1000, index.size / 4)
    if (noted.length > limit) return false
    const rows = statement(db, NOTED_ROWS_SQL).raw().all() as EntryRow[]
    const projects = projectsOf(statement(db, NOTED_PROJECTS_SQL).raw().all() as [string, string][])
    const found = new Set(rows.map((row) => row[0]))
    index.apply(
      rows.map((row) => entryOf(row, projects.get(row[0]))),
      noted.filter((id) => !found.has(id)),
    )
    statement(db, CLEAR_NOTES_SQL).run()
    now.version = dataVersionOf(db)!
    return true
  }

  function stopNoting(db: Database.Database): void {
    try {
      db.exec(STOP_NOTING)
    } catch {
      // The database is already closed: its temp triggers went with it.
    }
  }

  return {
    at(session) {
      const { db } = session
      const version = dataVersionOf(db)
      if (version === null) return null
      if (state && state.db !== db) {
        stopNoting(state.db)
        state = null
      }
      if (state && !state.reading) {
        const was = state.version
        const same = was.data === version.data && was.schema === version.schema
        if (same && (was.changes === version.changes || catchUp(state))) return state.index
        state = null
      }
      state ??= startReading(db)
      continueReading(state)
      return state.reading ? null : state.index
    },
    forget() {
      if (state) stopNoting(state.db)
      state = null
    },
    stats() {
      const inside = state?.index.stats()
      return {
        held: state !== null,
        ready: state?.reading === null,
        size: 0,
        orders: 0,
        slices: 0,
        names: 0,
        ...inside,
      }
    },
  }
}

function entryOf(row: EntryRow, projectIds: readonly string[] | undefined): ListEntry {
  return {
    id: row[0],
    displayName: row[1],
    pieceName: row[2],
    status: row[3],
    scope: row[4],
    remoteKey: row[5],
    createdMs: row[6],
    updatedMs: row[7],
    expiryKey: row[8],
    projectIds: projectIds ?? [],
    rowid: row[9],
  }
}

/** Each connection's project ids, from (connection_id, project_id) rows. */
const projectsOf = (rows: readonly [string, string][]) => group(rows, (row) => row)
