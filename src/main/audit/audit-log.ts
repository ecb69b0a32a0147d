import { hash } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { AuditAction, AuditEntry } from '../../shared/contract'
import { writeAnchor } from './audit-anchor'
import { auditKeyOf, entryMac } from './audit-key'

/** What a caller asks to record; the log adds the sequence, time and chain links. */
export interface AuditRecord {
  action: AuditAction
  origin: string
  entityType?: string | null
  entityId?: string | null
  /** Ids, names, counts and reasons only: never a secret. */
  details?: Record<string, string | number | boolean | null>
}

/** The first entry links to this, so the chain has a fixed, checkable start. */
export const GENESIS_HASH = '0'.repeat(64)

/** A row of audit_log as SQLite stores it. */
export interface AuditRow {
  seq: number
  at_ms: number
  action: string
  origin: string
  entity_type: string | null
  entity_id: string | null
  details: string
  prev_hash: string
  hash: string
  /** HMAC of `hash` under the vault's audit subkey; null while an entry waits for the next unlock. */
  mac: string | null
  /** Schema 9: the seq of the previous entry about the same entity (not hashed: verify checks it). */
  entity_prev?: number | null
}

type Details = AuditEntry['details']

/**
 * The bytes an entry's hash covers: every field in a fixed order, as JSON (which escapes and
 * delimits each string), with the details' keys sorted so the same entry always hashes the same.
 */
export function canonicalEntry(entry: Omit<AuditRow, 'hash' | 'mac'>): string {
  return JSON.stringify([
    'latchkey-audit-v1',
    entry.seq,
    entry.at_ms,
    entry.action,
    entry.origin,
    entry.entity_type,
    entry.entity_id,
    entry.details,
    entry.prev_hash,
  ])
}

/** One-shot SHA-256 (a string is hashed as UTF-8): half the cost of a Hash object per entry. */
export function hashEntry(entry: Omit<AuditRow, 'hash' | 'mac'>): string {
  return hash('sha256', canonicalEntry(entry), 'hex')
}

export function canonicalDetails(details: Details | undefined): string {
  if (details === undefined) return '{}'
  // Writers list their details in key order almost always: then the object already is its
  // canonical form and one stringify does, without a sorted copy per entry of a batch.
  const keys = Object.keys(details)
  let sorted = true
  for (let index = 0; index < keys.length; index += 1) {
    const value = details[keys[index]!]!
    const type = typeof value
    if (value !== null && type !== 'string' && type !== 'number' && type !== 'boolean') {
      throw new Error('Audit details hold only strings, numbers, booleans and null.')
    }
    if (index > 0 && !(keys[index - 1]! < keys[index]!)) sorted = false
  }
  if (sorted) return JSON.stringify(details)
  const copy: Details = {}
  for (const key of keys.sort()) copy[key] = details[key]!
  return JSON.stringify(copy)
}

/**
 * Text as SQLite gives it back. A lone UTF-16 surrogate cannot be stored as UTF-8: it would read
 * back as U+FFFD (×3), and an entry hashed over the original would never verify again. The entry
 * is written and hashed in this form, so both sides see the same bytes.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
export function storedText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD')
}

const storedOrNull = (text: string | null | undefined): string | null =>
  text === null || text === undefined ? null : storedText(text)

interface AppendStatements {
  head: Database.Statement<[], { seq: number; hash: string }>
  insert: Database.Statement<unknown[]>
  /** Schema 8 or later (audit_log.mac, audit_head); an older build's file is written as it wrote it. */
  keyed: boolean
  /** Schema 9 or later: entries link to their entity's previous one, and heads are kept (below). */
  links: EntityLinkStatements | null
}

interface EntityLinkStatements {
  /** The entity's newest entry: its connection row's audit_head, or else audit_heads'. */
  headOf: Database.Statement<[string, string], { head: number | null }>
  setRowHead: Database.Statement<[number, string]>
  setOtherHead: Database.Statement<[string, number]>
}

/**
 * An entry about a connection whose row the caller writes in the same transaction: the caller
 * sets the row's audit_head to the seq appendAudit returns, in its own statement (no second write
 * of the row), and says which head the row held. `previous` undefined: not known, look it up.
 */
export interface RowHeldHead {
  previous: number | null | undefined
}

// Prepared once per database handle (a lock/unlock opens a new handle): every write appends here.
const appendStatements = new WeakMap<Database.Database, AppendStatements>()

/** The migration tests run older builds' schemas through this code; they have no mac column. */
export function hasMacColumn(db: Database.Database): boolean {
  return hasAuditColumn(db, 'mac')
}

/** Schema 9 or later: entries link to their entity's previous one (migration 009). */
export function hasEntityLinks(db: Database.Database): boolean {
  return hasAuditColumn(db, 'entity_prev')
}

function hasAuditColumn(db: Database.Database, column: string): boolean {
  return db.prepare("SELECT 1 FROM pragma_table_info('audit_log') WHERE name = ?").get(column) !== undefined
}

const COLUMNS = [
  'seq',
  'at_ms',
  'action',
  'origin',
  'entity_type',
  'entity_id',
  'details',
  'prev_hash',
  'hash',
]

function appendStatementsFor(db: Database.Database): AppendStatements {
  let statements = appendStatements.get(db)
  if (!statements) {
    const keyed = hasMacColumn(db)
    const linked = hasEntityLinks(db)
    const columns = [...COLUMNS, ...(keyed ? ['mac'] : []), ...(linked ? ['entity_prev'] : [])]
    statements = {
      head: db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(
        `INSERT INTO audit_log (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ),
      keyed,
      links: linked ? linkStatements(db) : null,
    }
    appendStatements.set(db, statements)
  }
  return statements
}

/** The seq of the entity's newest entry (schema 9), null when it has none. */
export function entityHead(db: Database.Database, entityId: string): number | null {
  const links = appendStatementsFor(db).links
  if (!links) throw new Error('Entity links need schema 9.')
  return links.headOf.get(entityId, entityId)?.head ?? null
}

function linkStatements(db: Database.Database): EntityLinkStatements {
  return {
    headOf: db.prepare(
      `SELECT coalesce((SELECT audit_head FROM connections WHERE id = ?),
         (SELECT seq FROM audit_heads WHERE entity_id = ?)) AS head`,
    ),
    setRowHead: db.prepare('UPDATE connections SET audit_head = ? WHERE id = ?'),
    setOtherHead: db.prepare('INSERT OR REPLACE INTO audit_heads (entity_id, seq) VALUES (?, ?)'),
  }
}

interface ChainHead {
  seq: number
  hash: string
}

/**
 * The chain's head while a batch appends, per database handle: read once at the batch's first
 * entry, then carried from entry to entry in memory. Only inside withAuditBatch, whose caller's
 * transaction commits or rolls back as a whole, so the head in memory is always the one on disk.
 */
const batchHeads = new WeakMap<Database.Database, { head: ChainHead | null; anchorDue: boolean }>()

/**
 * Runs `work` (inside the caller's transaction, with no savepoint that could roll back some of its
 * entries and not others) reading the chain head once rather than once per entry. The chain is the
 * same, link for link, as appendAudit one by one writes it.
 */
export function withAuditBatch<T>(db: Database.Database, work: () => T): T {
  if (!db.inTransaction) throw new Error("An audit batch runs inside its caller's transaction.")
  if (batchHeads.has(db)) return work()
  const batch = { head: null as ChainHead | null, anchorDue: false }
  batchHeads.set(db, batch)
  try {
    const result = work()
    // The head is anchored once per batch, after its last entry, not once per entry.
    const key = appendStatementsFor(db).keyed ? auditKeyOf(db) : undefined
    if (batch.anchorDue && batch.head && key) writeAnchor(db, key, batch.head)
    return result
  } finally {
    batchHeads.delete(db)
  }
}

/**
 * Appends one link and answers its seq. Runs inside the caller's transaction when there is one (so
 * the change and its entry commit together); otherwise in its own IMMEDIATE transaction, so two
 * writers can never read the same head and fork the chain.
 */
export function appendAudit(
  db: Database.Database,
  atMs: number,
  record: AuditRecord,
  rowHead?: RowHeldHead,
): number {
  if (db.inTransaction) return appendEntry(db, atMs, record, rowHead)
  return db.transaction(appendEntry).immediate(db, atMs, record, rowHead)
}

/** One entry, inside a transaction. A plain function, not a closure per entry: a batch appends 500. */
function appendEntry(
  db: Database.Database,
  atMs: number,
  record: AuditRecord,
  rowHead: RowHeldHead | undefined,
): number {
  const statements = appendStatementsFor(db)
  const batch = batchHeads.get(db)
  const head = batch?.head ?? statements.head.get()
  const seq = (head?.seq ?? 0) + 1
  const row: AuditRow = {
    seq,
    at_ms: atMs,
    action: storedText(record.action) as AuditAction,
    origin: storedText(record.origin),
    entity_type: storedOrNull(record.entityType),
    entity_id: storedOrNull(record.entityId),
    details: canonicalDetails(record.details),
    prev_hash: head?.hash ?? GENESIS_HASH,
    hash: '',
    mac: null,
  }
  row.hash = hashEntry(row)
  // Locked (a failed unlock, before any key exists): the entry waits, unkeyed, for the next unlock.
  const key = statements.keyed ? auditKeyOf(db) : undefined
  if (key) row.mac = entryMac(key, row.hash)
  // Positional: binding by name looks each parameter up on the object, per entry of a batch. A
  // vault from before schema 8 has no mac column, one from before schema 9 no entity_prev.
  const values: unknown[] = [
    row.seq,
    row.at_ms,
    row.action,
    row.origin,
    row.entity_type,
    row.entity_id,
    row.details,
    row.prev_hash,
    row.hash,
  ]
  if (statements.keyed) values.push(row.mac)
  if (statements.links) values.push(linkEntity(statements.links, row.entity_id, seq, rowHead))
  statements.insert.run(...values)
  if (batch) {
    batch.head = { seq, hash: row.hash }
    batch.anchorDue ||= key !== undefined
  } else if (key) writeAnchor(db, key, { seq, hash: row.hash })
  return seq
}

/**
 * The entity's previous entry (the new entry's entity_prev), with the entity's head moved to `seq`:
 * in its connection row when it has one, else in audit_heads. A caller holding the row writes the
 * head itself (RowHeldHead).
 */
function linkEntity(
  links: EntityLinkStatements,
  entityId: string | null,
  seq: number,
  rowHead: RowHeldHead | undefined,
): number | null {
  if (entityId === null) return null
  const previous =
    rowHead?.previous !== undefined ? rowHead.previous : (links.headOf.get(entityId, entityId)?.head ?? null)
  if (!rowHead && links.setRowHead.run(seq, entityId).changes === 0) links.setOtherHead.run(entityId, seq)
  return previous
}
