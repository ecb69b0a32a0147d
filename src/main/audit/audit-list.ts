import type Database from 'better-sqlite3'
import type { AuditAction, AuditEntry, AuditPage, ParsedInputOf, Procedures } from '../../shared/contract'
import { validationError } from '../../shared/errors'
import { entityHead, type AuditRow } from './audit-log'

export type AuditListInput = ParsedInputOf<Procedures['audit.list']>

// Every column but mac: a listed entry shows the chain, and verify alone judges the MACs.
type ListedRow = Omit<AuditRow, 'mac'>

const COLUMNS = 'seq, at_ms, action, origin, entity_type, entity_id, details, prev_hash, hash'

interface Cursor {
  /** Page through entries older ('before') or newer ('after') than seq. */
  direction: 'before' | 'after'
  seq: number
}

// The same text as the log's first cursors ("before:12"), so a page link handed out earlier still works.
const encodeCursor = (cursor: Cursor) =>
  Buffer.from(`${cursor.direction}:${cursor.seq}`, 'utf8').toString('base64url')

function decodeCursor(value: string): Cursor {
  const match = /^(before|after):(\d{1,15})$/.exec(Buffer.from(value, 'base64url').toString('utf8'))
  if (!match) throw validationError('That page of the audit log no longer exists; start from the first page.')
  return { direction: match[1] as Cursor['direction'], seq: Number(match[2]) }
}

interface Filter {
  sql: string
  params: Record<string, string | number>
  /** The same filter (actions and time range) as a test on a row, for a walk down an entity's links. */
  matches: (row: ListedRow) => boolean
}

/**
 * The action and time filters as SQL over named parameters, and as a row test. Every filter narrows
 * a walk down the seq primary key (or an entity's links, which follow it), which stays the order
 * and the cursor: a filtered page is as stable as an unfiltered one while entries are appended.
 */
function filterOf(input: AuditListInput): Filter {
  const clauses: string[] = []
  const params: Record<string, string | number> = {}
  const actions = input.actions ?? []
  if (actions.length > 0) {
    clauses.push(`action IN (${actions.map((_, i) => `@action${i}`).join(', ')})`)
    actions.forEach((action, i) => (params[`action${i}`] = action))
  }
  const since = input.since !== undefined ? Date.parse(input.since) : undefined
  const until = input.until !== undefined ? Date.parse(input.until) : undefined
  if (since !== undefined) {
    clauses.push('at_ms >= @since')
    params.since = since
  }
  if (until !== undefined) {
    clauses.push('at_ms < @until')
    params.until = until
  }
  if (since !== undefined && until !== undefined && since >= until) {
    throw validationError('The start of the time range must come before its end.')
  }
  const actionSet = new Set<string>(actions)
  return {
    sql: clauses.map((clause) => `AND ${clause}`).join(' '),
    params,
    matches: (row) =>
      (actionSet.size === 0 || actionSet.has(row.action)) &&
      (since === undefined || row.at_ms >= since) &&
      (until === undefined || row.at_ms < until),
  }
}

/** Where entries come from, newest first: the whole log by seq, or one entity's history by its links. */
interface Source {
  /** Up to `limit` matching entries beyond `seq` in the direction, nearest first. */
  page(direction: Cursor['direction'], seq: number, limit: number): ListedRow[]
}

function logSource(db: Database.Database, filter: Filter): Source {
  return {
    page: (direction, seq, limit) =>
      db
        .prepare(
          `SELECT ${COLUMNS} FROM audit_log WHERE seq ${direction === 'before' ? '<' : '>'} @seq ${filter.sql}
           ORDER BY seq ${direction === 'before' ? 'DESC' : 'ASC'} LIMIT @limit`,
        )
        .all({ ...filter.params, seq, limit }) as ListedRow[],
  }
}

/**
 * One entity's history (schema 9): from its head (its connection row's audit_head, or audit_heads)
 * down each entry's entity_prev. A connection's history costs its own entries, however long the
 * log. The walk stops at a link that does not go down to an entry of the same entity, so an edited
 * link can neither loop nor wander into another history (audit.verify reports it).
 */
function entitySource(db: Database.Database, entityId: string, filter: Filter): Source {
  const bySeq = db.prepare<[number], ListedRow>(`SELECT ${COLUMNS}, entity_prev FROM audit_log WHERE seq = ?`)
  const head = entityHead(db, entityId)
  function* walk(from: number | null | undefined): Generator<ListedRow> {
    let seq = from ?? null
    let bound = Number.POSITIVE_INFINITY
    while (seq !== null && seq < bound) {
      const row = bySeq.get(seq)
      if (!row || row.entity_id !== entityId) return
      yield row
      bound = seq
      seq = row.entity_prev ?? null
    }
  }
  // A page further back starts at its cursor's entry when that is in this history (it is, for a
  // cursor this listing handed out), not at the head.
  const startBelow = (seq: number) => {
    const row = bySeq.get(seq)
    return row && row.entity_id === entityId ? row.entity_prev : head
  }
  return {
    page(direction, seq, limit) {
      const found: ListedRow[] = []
      if (direction === 'before') {
        for (const row of walk(seq === Number.MAX_SAFE_INTEGER ? head : startBelow(seq))) {
          if (row.seq < seq && filter.matches(row)) found.push(row)
          if (found.length === limit) break
        }
        return found
      }
      // Newer than seq: the walk runs newest first, so the nearest ones are the last it finds.
      for (const row of walk(head)) {
        if (row.seq <= seq) break
        if (filter.matches(row)) found.push(row)
      }
      return found.slice(-limit).reverse()
    },
  }
}

/** Newest first, keyset-paged on seq, filtered by connection, actions and a time range. */
export function listAuditFiltered(db: Database.Database, input: AuditListInput): AuditPage {
  const filter = filterOf(input)
  const source =
    input.entityId !== undefined ? entitySource(db, input.entityId, filter) : logSource(db, filter)
  const cursor = input.cursor
    ? decodeCursor(input.cursor)
    : { direction: 'before' as const, seq: Number.MAX_SAFE_INTEGER }
  const older = cursor.direction === 'before'
  // One row more than asked tells whether another page exists in that direction.
  const rows = source.page(cursor.direction, cursor.seq, input.limit + 1)
  const more = rows.length > input.limit
  const page = rows.slice(0, input.limit)
  if (!older) page.reverse()
  const first = page[0]
  const last = page[page.length - 1]
  const beyond = (direction: Cursor['direction'], seq: number) => source.page(direction, seq, 1).length > 0
  const hasOlder = older ? more : last !== undefined && beyond('before', last.seq)
  const hasNewer = older
    ? input.cursor !== undefined && first !== undefined && beyond('after', first.seq)
    : more
  return {
    data: page.map(toEntry),
    next: hasOlder && last ? encodeCursor({ direction: 'before', seq: last.seq }) : null,
    previous: hasNewer && first ? encodeCursor({ direction: 'after', seq: first.seq }) : null,
  }
}

function toEntry(row: ListedRow): AuditEntry {
  return {
    seq: row.seq,
    at: new Date(row.at_ms).toISOString(),
    action: row.action as AuditAction,
    origin: row.origin,
    entityType: row.entity_type,
    entityId: row.entity_id,
    details: parseDetails(row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

/** Bytes edited on disk can leave details that are not JSON; the list still shows the entry (verify flags it). */
function parseDetails(text: string): AuditEntry['details'] {
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as AuditEntry['details'])
      : {}
  } catch {
    return {}
  }
}
