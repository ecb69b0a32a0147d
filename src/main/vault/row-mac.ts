import { createHmac, timingSafeEqual } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppError } from '../../shared/errors'

/**
 * A keyed MAC over each connection row's identity and list columns and its projects, in
 * connections.row_mac (migration 008). The value's associated data binds a secret to its row id;
 * this binds the row's id to what the row says it is, so a displayName or externalId swapped
 * between rows in the file is an INTEGRITY error when the row is used, not the other connection's
 * secret handed out.
 *
 * The connections repository's insert and rewrite, the upsert's hot path, bind the MAC as a column
 * value (rowMacOf, after assertRowMac on the row they read): one HMAC per written row, no second
 * UPDATE, no SQL→JS call. Every other write path (the token store, sync, rename, a test's SQL) is
 * kept by SQLite itself while the vault is unlocked: temporary triggers (they live on this handle
 * only, never in the file) check a row's old MAC when any of its covered columns change, aborting
 * the statement (the change with it) on a mismatch, so a write never vouches for a row that was
 * already tampered with, and then write the new MAC. They
 * stand aside for a statement that sets row_mac itself: only the repository does, having checked
 * the old MAC first. A list never computes a MAC: rows are checked where they are used.
 */

const MAC_FUNCTION = 'latchkey_row_mac'
const CHECK_FUNCTION = 'latchkey_row_check'

/**
 * The covered columns, in the order they are MACed. Projects are the row's own project_ids
 * (migration 006: a JSON array of distinct ids in byte order), MACed as the stored text.
 */
const COVERED_COLUMNS = [
  'id',
  'remote_key',
  'external_id',
  'piece_name',
  'scope',
  'display_name',
  'status',
  'project_ids',
] as const

/** A row's covered columns as SQLite stores them: what rowMacOf MACs, in COVERED_COLUMNS' order. */
export type CoveredRow = Record<(typeof COVERED_COLUMNS)[number], string>

const covered = (row: string) => COVERED_COLUMNS.map((column) => `${row}.${column}`).join(', ')

/**
 * A write that leaves every covered value as it was (a rotation, a refresh) costs no MAC at all; nor
 * does one that sets row_mac itself (the repository's, see the top of this file).
 */
const TRIGGER_KEEPS = `NEW.row_mac IS OLD.row_mac AND (${COVERED_COLUMNS.map((column) => `NEW.${column} IS NOT OLD.${column}`).join(' OR ')})`

const MAC_OF_NEW = `UPDATE connections SET row_mac = ${MAC_FUNCTION}(${covered('NEW')}) WHERE rowid = NEW.rowid;`

const TRIGGERS: { name: string; sql: string }[] = [
  {
    name: 'latchkey_row_mac_insert',
    sql: `AFTER INSERT ON connections WHEN NEW.row_mac IS NULL BEGIN
  ${MAC_OF_NEW}
END`,
  },
  {
    // A write must never vouch for a row that was already swapped or edited in the file: the old MAC
    // is checked first, and a failed check aborts the whole statement, the row's change with it.
    // Then the new MAC, which sets only row_mac, a column no covered-column trigger watches. One
    // trigger, not a BEFORE and an AFTER: each trigger a row fires costs a sub-program's run.
    name: 'latchkey_row_mac_update',
    sql: `AFTER UPDATE OF ${COVERED_COLUMNS.join(', ')} ON connections WHEN ${TRIGGER_KEEPS} BEGIN
  SELECT ${CHECK_FUNCTION}(${covered('OLD')}, OLD.row_mac);
  ${MAC_OF_NEW}
END`,
  },
]

const START = TRIGGERS.map(
  (trigger) => `CREATE TEMP TRIGGER IF NOT EXISTS ${trigger.name} ${trigger.sql};`,
).join('\n')
const STOP = TRIGGERS.map((trigger) => `DROP TRIGGER IF EXISTS temp.${trigger.name};`).join('\n')

export function rowIntegrityError(connectionId: string): AppError {
  return new AppError('INTEGRITY', {
    message: `The stored details of connection ${connectionId} failed their integrity check: they were altered outside Latchkey or belong to another connection. Other connections are unaffected; restore this one from a backup or enter it again.`,
    entityType: 'app_connection',
    entityId: connectionId,
  })
}

function macOf(key: Buffer, values: readonly unknown[]): Buffer {
  return createHmac('sha256', key)
    .update(JSON.stringify(['latchkey-row-v1', ...values]))
    .digest()
}

function matches(stored: unknown, expected: Buffer): boolean {
  return Buffer.isBuffer(stored) && stored.length === expected.length && timingSafeEqual(stored, expected)
}

interface RowMacState {
  key: Buffer
  check: Database.Statement<[string]>
}

const states = new WeakMap<Database.Database, RowMacState>()
const registered = new WeakSet<Database.Database>()

function lockedError(): AppError {
  return new AppError('VAULT_LOCKED', {
    message: 'The vault is locked. Unlock it with your master password.',
  })
}

/** The key read at each use, so a lock leaves every MAC refusing, not stale. */
function keyOf(db: Database.Database): Buffer {
  const key = states.get(db)?.key
  if (!key) throw lockedError()
  return key
}

/** The SQL functions read the key through keyOf, as rowMacOf does. */
function registerFunctions(db: Database.Database): void {
  if (registered.has(db)) return
  db.function(MAC_FUNCTION, { varargs: true }, (...values: unknown[]) => macOf(keyOf(db), values))
  db.function(CHECK_FUNCTION, { varargs: true }, (...values: unknown[]) => {
    const stored = values.pop()
    if (!matches(stored, macOf(keyOf(db), values))) throw rowIntegrityError(String(values[0]))
    return 1
  })
  registered.add(db)
}

/** Starts keeping row MACs on this handle; the session zeroes `key` at lock and calls stopRowMacs. */
export function startRowMacs(db: Database.Database, key: Buffer): void {
  registerFunctions(db)
  db.exec(START)
  states.set(db, {
    key,
    check: db.prepare(
      `SELECT ${CHECK_FUNCTION}(${covered('c')}, c.row_mac) FROM connections c WHERE c.id = ?`,
    ),
  })
}

export function stopRowMacs(db: Database.Database): void {
  if (!states.delete(db)) return
  if (db.open) db.exec(STOP)
}

const coveredValues = (row: CoveredRow) => [
  row.id,
  row.remote_key,
  row.external_id,
  row.piece_name,
  row.scope,
  row.display_name,
  row.status,
  row.project_ids,
]

/** The MAC of a row about to be written with these covered values, for a statement to bind as row_mac. */
export function rowMacOf(db: Database.Database, row: CoveredRow): Buffer {
  return macOf(keyOf(db), coveredValues(row))
}

/**
 * INTEGRITY naming the connection when a row read in this transaction does not match its stored
 * MAC: what the check trigger does, for a writer about to bind a new MAC over it.
 */
export function assertRowMac(db: Database.Database, row: CoveredRow & { row_mac: unknown }): void {
  if (!matches(row.row_mac, macOf(keyOf(db), coveredValues(row)))) throw rowIntegrityError(row.id)
}

/** INTEGRITY naming the connection when its row does not match its MAC; nothing when there is no such row. */
export function verifyRowMac(db: Database.Database, connectionId: string): void {
  const state = states.get(db)
  if (!state) throw lockedError()
  state.check.get(connectionId)
}

/**
 * A vault from before schema 8 has rows without a MAC: they get one at the first unlock, the same
 * moment its audit log is MACed. Answers how many.
 */
export function sealUnmacedRows(db: Database.Database): number {
  if (!states.has(db)) throw lockedError()
  return db
    .prepare(
      `UPDATE connections SET row_mac = ${MAC_FUNCTION}(${covered('connections')}) WHERE row_mac IS NULL`,
    )
    .run().changes
}
