import type Database from 'better-sqlite3'
import { foldCase, nameIndexQuery, nameRowsQuery } from './list-query'

// The in-memory name index behind 1–2 character searches and name counts (list-cache.ts): every
// connection's rowid and folded display name. Display names are plaintext list metadata, never a
// secret; the index lives only while the vault is unlocked.
//
// Reading it costs ~35 ms on 100k connections, so it is kept across writes: three TEMP triggers
// (this connection only, never in the vault file) note the rowid of every row inserted, deleted or
// renamed, and the next search folds just those rows in. A write pays one insert into a temp table
// (below the noise of a ~100 µs rename). The notes roll back with the transaction that made them,
// and a count check after every catch-up falls back to a full read should anything be missed.

export interface NameIndex {
  /** Rowids of the rows whose folded display name contains foldCase(text), in no particular order. */
  matching(text: string): readonly number[]
  /**
   * Folds in the rows changed since the index was read or last caught up. False when it cannot
   * (too many changes, or the row count disagrees): the caller then reads a new index.
   */
  catchUp(): boolean
}

/** Name searches whose matches are kept (the last few keystrokes). */
const MATCHES_KEPT = 8
const NON_ASCII = /[\u0080-\uffff]/

const CHANGES = 'temp.latchkey_name_changes'
const SETUP = `
CREATE TEMP TABLE IF NOT EXISTS latchkey_name_changes (rid INTEGER PRIMARY KEY);
CREATE TEMP TRIGGER IF NOT EXISTS latchkey_name_inserted AFTER INSERT ON connections BEGIN
  INSERT OR IGNORE INTO ${CHANGES} (rid) VALUES (new.rowid);
END;
CREATE TEMP TRIGGER IF NOT EXISTS latchkey_name_deleted AFTER DELETE ON connections BEGIN
  INSERT OR IGNORE INTO ${CHANGES} (rid) VALUES (old.rowid);
END;
CREATE TEMP TRIGGER IF NOT EXISTS latchkey_name_renamed AFTER UPDATE OF display_name ON connections BEGIN
  INSERT OR IGNORE INTO ${CHANGES} (rid) VALUES (old.rowid);
  INSERT OR IGNORE INTO ${CHANGES} (rid) VALUES (new.rowid);
END;
DELETE FROM ${CHANGES};
`
const TEARDOWN = `
DROP TRIGGER IF EXISTS temp.latchkey_name_inserted;
DROP TRIGGER IF EXISTS temp.latchkey_name_deleted;
DROP TRIGGER IF EXISTS temp.latchkey_name_renamed;
DROP TABLE IF EXISTS ${CHANGES};
`
const CHANGED_ROWS = `SELECT ch.rid, c.display_name FROM ${CHANGES} ch LEFT JOIN connections c ON c.rowid = ch.rid`
const CLEAR_CHANGES = `DELETE FROM ${CHANGES}`
const ROW_COUNT = 'SELECT count(*) FROM connections'

/**
 * What the SQL filter's FOLDED_NAME makes of a name: lower() when every character is ASCII, else
 * foldCase (the same function SQL calls). `includes` on this and `instr` on that agree on every name.
 */
export function foldName(name: string): string {
  return NON_ASCII.test(name) ? foldCase(name) : name.toLowerCase()
}

/** Reads the index and starts noting changes; call outside any transaction. */
export function readNameIndex(db: Database.Database): NameIndex {
  db.exec(SETUP)
  const [rowidList, nameList, count] = db.prepare(nameIndexQuery).raw().get() as [
    string | null,
    string | null,
    number,
  ]
  let rowids: number[] = []
  let names: string[] = []
  if (count > 0 && rowidList !== null && nameList !== null) {
    rowids = JSON.parse(`[${rowidList}]`) as number[]
    // One toLowerCase over every name, then foldCase for the few that are not ASCII: ~35 ms on
    // 100k names, against ~70 ms for folding each in SQL.
    names = nameList.toLowerCase().split('\0')
    if (names.length === count && NON_ASCII.test(nameList)) {
      const original = nameList.split('\0')
      for (let i = 0; i < count; i += 1) {
        if (NON_ASCII.test(original[i]!)) names[i] = foldCase(original[i]!)
      }
    }
    if (names.length !== count || rowids.length !== count) {
      // A name holds a NUL, which splits it in two: read row by row, folded by SQL.
      const rows = db.prepare(nameRowsQuery).raw().all() as [number, string][]
      rowids = rows.map((row) => row[0])
      names = rows.map((row) => row[1])
    }
  }
  let live = rowids.length
  let positions: Map<number, number> | null = null
  const recent = new Map<string, readonly number[]>()

  return {
    matching(text) {
      const needle = foldCase(text)
      let found = recent.get(needle)
      if (found) return found
      const hits: number[] = []
      for (let i = 0; i < names.length; i += 1) if (names[i]!.includes(needle)) hits.push(rowids[i]!)
      found = hits
      recent.set(needle, found)
      if (recent.size > MATCHES_KEPT) recent.delete(recent.keys().next().value!)
      return found
    },
    catchUp() {
      let changed: [number, string | null][]
      try {
        changed = db.prepare(CHANGED_ROWS).raw().all() as [number, string | null][]
      } catch {
        return false // the notes are gone (the temp table was dropped): read afresh
      }
      if (changed.length === 0) return true
      if (changed.length > Math.max(1000, live / 8)) return false
      recent.clear()
      positions ??= new Map(rowids.map((rowid, index) => [rowid, index]))
      for (const [rowid, name] of changed) {
        const at = positions.get(rowid)
        if (name === null) {
          if (at === undefined) continue
          // A deleted row keeps its slot with an empty name, which no search (1+ characters) finds.
          names[at] = ''
          rowids[at] = -1
          positions.delete(rowid)
          live -= 1
        } else if (at !== undefined) {
          names[at] = foldName(name)
        } else {
          positions.set(rowid, rowids.length)
          rowids.push(rowid)
          names.push(foldName(name))
          live += 1
        }
      }
      db.prepare(CLEAR_CHANGES).run()
      return live === (db.prepare(ROW_COUNT).pluck().get() as number)
    },
  }
}

/** Stops noting changes (the vault locked): writes no longer pay for an index nobody holds. */
export function stopNotingNames(db: Database.Database): void {
  db.exec(TEARDOWN)
}
