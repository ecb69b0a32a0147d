import type Database from 'better-sqlite3'
import type { AuditBreak, AuditVerification } from '../../shared/contract'
import { readAnchor, type AuditAnchor } from './audit-anchor'
import { auditKeyOf, entryMac, headMac, macsEqual } from './audit-key'
import { GENESIS_HASH, hasEntityLinks, hashEntry, type AuditRow } from './audit-log'

/** Consecutive broken entries of one kind become one range, so a rewritten tail is one line, not 100k. */
function collectBreaks() {
  const breaks: AuditBreak[] = []
  return {
    breaks,
    add(fromSeq: number, toSeq: number, reason: AuditBreak['reason']): void {
      const last = breaks.at(-1)
      if (last && last.reason === reason && last.toSeq + 1 === fromSeq) last.toSeq = toSeq
      else breaks.push({ fromSeq, toSeq, reason })
    },
  }
}

/**
 * Every entry is checked on its own (seq, link to the stored hash before it, hash, MAC), so one
 * break never hides another after it; then the anchored head must be authentic and name the last
 * entry.
 */
export function verifyChain(
  rows: Iterable<AuditRow>,
  anchor: AuditAnchor | undefined,
  key: Buffer,
  heads?: EntityHeads,
): AuditVerification {
  const { breaks, add } = collectBreaks()
  const links = heads ? entityLinks(add) : undefined
  let previousHash = GENESIS_HASH
  let expectedSeq = 1
  let checked = 0
  let last: AuditRow | undefined
  // An unlock that found the head not matching recorded it (audit-adopt.ts) before re-anchoring.
  let recorded: Recorded | undefined
  for (const row of rows) {
    checked += 1
    if (row.seq > expectedSeq) add(expectedSeq, row.seq - 1, 'missing')
    const intact =
      row.prev_hash === previousHash &&
      hashEntry(row) === row.hash &&
      macsEqual(row.mac, entryMac(key, row.hash))
    if (!intact) add(row.seq, row.seq, 'invalid')
    else if (row.action === 'audit.head_mismatch') recorded = recordedProblem(row) ?? recorded
    links?.follow(row, intact)
    previousHash = row.hash
    expectedSeq = row.seq + 1
    last = row
  }
  if (links && heads) links.checkHeads(heads)
  const lastSeq = last?.seq ?? 0
  const anchorProblem = checkAnchor(anchor, last, key) ?? recorded?.problem
  if (anchorProblem === 'mismatch' && anchor && anchor.seq > lastSeq) add(lastSeq + 1, anchor.seq, 'missing')
  if (recorded && recorded.anchoredSeq > recorded.lastSeq)
    add(recorded.lastSeq + 1, recorded.anchoredSeq, 'missing')
  if (breaks.length === 0 && !anchorProblem) return { ok: true, checked }
  breaks.sort((a, b) => a.fromSeq - b.fromSeq)
  const brokenAt = breaks[0]?.fromSeq ?? recorded?.seq ?? lastSeq + 1
  return { ok: false, checked, brokenAt, breaks, ...(anchorProblem ? { anchor: anchorProblem } : {}) }
}

/** Schema 9: each entity's newest entry as its connection row or audit_heads records it. */
export type EntityHeads = ReadonlyMap<string, number>

/**
 * The per-entity links (schema 9) that a connection's history walks: each entry must link to the
 * previous entry about its entity, and each entity's head must name its newest. A wrong one hides
 * intact entries from that history, so it is reported even though the chain itself holds.
 */
function entityLinks(add: ReturnType<typeof collectBreaks>['add']) {
  const newest = new Map<string, number>()
  // Links into entries found missing or invalid are that break's consequence, reported as it alone.
  const intactSeqs = new Set<number>()
  return {
    follow(row: AuditRow, intact: boolean): void {
      const expected = row.entity_id === null ? null : (newest.get(row.entity_id) ?? null)
      const linked = row.entity_prev ?? null
      const linksToBroken = linked !== null && linked < row.seq && !intactSeqs.has(linked)
      if (intact && linked !== expected && !linksToBroken) add(row.seq, row.seq, 'unlinked')
      if (row.entity_id !== null) newest.set(row.entity_id, row.seq)
      if (intact) intactSeqs.add(row.seq)
    },
    checkHeads(heads: EntityHeads): void {
      const wrong = new Set<number>()
      for (const [entity, seq] of newest) {
        if (heads.get(entity) !== seq && intactSeqs.has(seq)) wrong.add(seq)
      }
      // A head naming an entity with no entry at all (or another entity's entry) hides nothing,
      // but it is not what Latchkey writes either.
      for (const [entity, seq] of heads) if (!newest.has(entity)) wrong.add(seq)
      for (const seq of [...wrong].sort((a, b) => a - b)) add(seq, seq, 'unlinked')
    },
  }
}

/**
 * Every entity's head: a connection's in its row, any other's (and a deleted connection's) in
 * audit_heads. undefined before schema 9.
 */
function readEntityHeads(db: Database.Database): EntityHeads | undefined {
  if (!hasEntityLinks(db)) return undefined
  const rows = db
    .prepare(
      `SELECT entity, seq FROM (SELECT c.id AS entity,
         coalesce(c.audit_head, (SELECT h.seq FROM audit_heads h WHERE h.entity_id = c.id)) AS seq
         FROM connections c) WHERE seq IS NOT NULL
       UNION ALL
       SELECT entity_id, seq FROM audit_heads WHERE entity_id NOT IN (SELECT id FROM connections)`,
    )
    .raw()
    .all() as [string, number][]
  return new Map(rows)
}

interface Recorded {
  seq: number
  problem: NonNullable<AuditVerification['anchor']>
  anchoredSeq: number
  lastSeq: number
}

function recordedProblem(row: AuditRow): Recorded | undefined {
  const details = JSON.parse(row.details) as Record<string, unknown>
  const problem = details.anchor
  if (problem !== 'missing' && problem !== 'invalid' && problem !== 'mismatch') return undefined
  const seqOf = (value: unknown) => (typeof value === 'number' ? value : 0)
  return { seq: row.seq, problem, anchoredSeq: seqOf(details.anchoredSeq), lastSeq: seqOf(details.lastSeq) }
}

function checkAnchor(
  anchor: AuditAnchor | undefined,
  last: AuditRow | undefined,
  key: Buffer,
): AuditVerification['anchor'] {
  if (!anchor) return last ? 'missing' : undefined
  if (!macsEqual(anchor.mac, headMac(key, anchor))) return 'invalid'
  if (!last || anchor.seq !== last.seq || anchor.hash !== last.hash) return 'mismatch'
  return undefined
}

/**
 * The whole log, oldest first. Needs the vault unlocked: only the audit subkey tells a real MAC
 * from a forged one.
 */
export function verifyAudit(db: Database.Database): AuditVerification {
  const key = auditKeyOf(db)
  if (!key) throw new Error('The audit log is verified only while the vault is unlocked.')
  const heads = readEntityHeads(db)
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq ASC').iterate() as IterableIterator<AuditRow>
  return verifyChain(rows, readAnchor(db), key, heads)
}
