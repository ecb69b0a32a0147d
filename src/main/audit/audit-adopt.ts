import type Database from 'better-sqlite3'
import { readAnchor, type AuditAnchor } from './audit-anchor'
import { entryMac, headMac, macsEqual } from './audit-key'
import { GENESIS_HASH, hashEntry, type AuditRow } from './audit-log'

/** How the anchored head failed to vouch for the log: see AuditVerification['anchor']. */
export type HeadProblem = 'missing' | 'invalid' | 'mismatch'

export interface Adoption {
  /** No anchored head and no MAC anywhere: a log written before schema 8, MACed now as a whole. */
  legacy: boolean
  /** Entries that got their MAC now. */
  adopted: number
  /**
   * The head did not match the log at unlock (entries cut, or the head removed or forged). The
   * unlock records it in a MACed entry, because its own entry re-anchors the head right after.
   */
  headProblem: HeadProblem | null
  anchoredSeq: number | null
  lastSeq: number
}

/**
 * At unlock, the entries appended while the vault was locked (failed unlocks; on a vault from
 * before schema 8, the whole log) get their MAC. Only entries that continue the chain from an
 * authentic head that still matches the log, with a hash that matches, are adopted: anything else
 * keeps no MAC, so audit.verify keeps reporting it rather than this step vouching for it.
 */
export function adoptPendingEntries(db: Database.Database, key: Buffer): Adoption {
  const anchor = readAnchor(db)
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined
  const lastSeq = last?.seq ?? 0
  const headProblem = inspectHead(db, anchor, key)
  const legacy = headProblem === 'missing' && !anyMac(db)
  const result = { legacy, adopted: 0, anchoredSeq: anchor?.seq ?? null, lastSeq }
  if (headProblem && !legacy) return { ...result, headProblem }
  const from = anchor?.seq ?? 0
  const pending = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').all(from) as AuditRow[]
  const setMac = db.prepare('UPDATE audit_log SET mac = ? WHERE seq = ? AND mac IS NULL')
  let previousHash = anchor?.hash ?? GENESIS_HASH
  let expectedSeq = from + 1
  for (const row of pending) {
    const continues = row.seq === expectedSeq && row.prev_hash === previousHash
    if (row.mac === null && continues && hashEntry(row) === row.hash) {
      setMac.run(entryMac(key, row.hash), row.seq)
      result.adopted += 1
    }
    previousHash = row.hash
    expectedSeq = row.seq + 1
  }
  return { ...result, headProblem: null }
}

/**
 * The head must be authentic and name an entry still in the log with the same hash; entries after
 * it can only be ones appended while locked.
 */
function inspectHead(
  db: Database.Database,
  anchor: AuditAnchor | undefined,
  key: Buffer,
): HeadProblem | null {
  if (!anchor) return 'missing'
  if (!macsEqual(anchor.mac, headMac(key, anchor))) return 'invalid'
  const anchored = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(anchor.seq) as
    { hash: string } | undefined
  if (anchored?.hash !== anchor.hash) return 'mismatch'
  const keyedAfter = db
    .prepare('SELECT 1 FROM audit_log WHERE seq > ? AND mac IS NOT NULL LIMIT 1')
    .get(anchor.seq)
  return keyedAfter ? 'mismatch' : null
}

function anyMac(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM audit_log WHERE mac IS NOT NULL LIMIT 1').get() !== undefined
}
