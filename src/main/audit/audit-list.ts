import type Database from 'better-sqlite3'
import type { AuditAction, AuditEntry, AuditPage, ParsedInputOf, Procedures } from '../../shared/contract'
import { validationError } from '../../shared/errors'
import type { AuditRow } from './audit-log'

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
}

/**
 * The filters as SQL over named parameters. Every filter narrows a walk down the seq primary key,
 * which stays the order and the cursor: a filtered page is as stable as an unfiltered one while
 * entries are appended.
 */
function filterOf(input: AuditListInput): Filter {
  const clauses: string[] = []
  const params: Record<string, string | number> = {}
  if (input.entityId !== undefined) {
    clauses.push('entity_id = @entityId')
    params.entityId = input.entityId
  }
  const actions = input.actions ?? []
  if (actions.length > 0) {
    clauses.push(`action IN (${actions.map((_, i) => `@action${i}`).join(', ')})`)
    actions.forEach((action, i) => (params[`action${i}`] = action))
  }
  if (input.since !== undefined) {
    clauses.push('at_ms >= @since')
    params.since = Date.parse(input.since)
  }
  if (input.until !== undefined) {
    clauses.push('at_ms < @until')
    params.until = Date.parse(input.until)
  }
  if (params.since !== undefined && params.until !== undefined && params.since >= params.until) {
    throw validationError('The start of the time range must come before its end.')
  }
  return { sql: clauses.map((clause) => `AND ${clause}`).join(' '), params }
}

function existsBeyond(
  db: Database.Database,
  filter: Filter,
  direction: Cursor['direction'],
  seq: number,
): boolean {
  const row = db
    .prepare(
      `SELECT 1 FROM audit_log WHERE seq ${direction === 'before' ? '<' : '>'} @seq ${filter.sql} LIMIT 1`,
    )
    .get({ ...filter.params, seq })
  return row !== undefined
}

/** Newest first, keyset-paged on seq, filtered by connection, actions and a time range. */
export function listAuditFiltered(db: Database.Database, input: AuditListInput): AuditPage {
  const filter = filterOf(input)
  const cursor = input.cursor
    ? decodeCursor(input.cursor)
    : { direction: 'before' as const, seq: Number.MAX_SAFE_INTEGER }
  const older = cursor.direction === 'before'
  // One row more than asked tells whether another page exists in that direction.
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM audit_log WHERE seq ${older ? '<' : '>'} @seq ${filter.sql}
       ORDER BY seq ${older ? 'DESC' : 'ASC'} LIMIT @limit`,
    )
    .all({ ...filter.params, seq: cursor.seq, limit: input.limit + 1 }) as ListedRow[]
  const more = rows.length > input.limit
  const page = rows.slice(0, input.limit)
  if (!older) page.reverse()
  const first = page[0]
  const last = page[page.length - 1]
  const hasOlder = older ? more : last !== undefined && existsBeyond(db, filter, 'before', last.seq)
  const hasNewer = older
    ? input.cursor !== undefined && first !== undefined && existsBeyond(db, filter, 'after', first.seq)
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
