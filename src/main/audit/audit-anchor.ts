import type Database from 'better-sqlite3'
import { headMac } from './audit-key'

/**
 * The chain's head (last seq and its hash) sealed with a MAC under the audit subkey. Cutting the
 * newest entries leaves a head that names entries no longer there, and an attacker without the
 * password cannot write a head that matches the shorter log.
 */
export interface AuditAnchor {
  seq: number
  hash: string
  mac: string
}

interface AnchorStatements {
  read: Database.Statement<[], AuditAnchor>
  write: Database.Statement<[number, string, string]>
}

const statements = new WeakMap<Database.Database, AnchorStatements>()

function statementsFor(db: Database.Database): AnchorStatements {
  let prepared = statements.get(db)
  if (!prepared) {
    prepared = {
      read: db.prepare('SELECT seq, hash, mac FROM audit_head WHERE id = 1'),
      write: db.prepare('INSERT OR REPLACE INTO audit_head (id, seq, hash, mac) VALUES (1, ?, ?, ?)'),
    }
    statements.set(db, prepared)
  }
  return prepared
}

export function readAnchor(db: Database.Database): AuditAnchor | undefined {
  return statementsFor(db).read.get()
}

/** Runs in the same transaction as the entry it anchors, so the two never disagree on disk. */
export function writeAnchor(db: Database.Database, key: Buffer, head: { seq: number; hash: string }): void {
  statementsFor(db).write.run(head.seq, head.hash, headMac(key, head))
}
