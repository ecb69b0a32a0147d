import { createHmac, timingSafeEqual } from 'node:crypto'
import type Database from 'better-sqlite3'

/**
 * The audit subkey of the vault that is unlocked on a database handle. Held per handle rather than
 * passed to every appendAudit, so the vault (which owns the key) decides when entries are keyed and
 * the dozens of call sites that append stay as they are. The session zeroes the buffer at lock.
 */
const keys = new WeakMap<Database.Database, Buffer>()

export function keyAuditLog(db: Database.Database, key: Buffer): void {
  keys.set(db, key)
}

export function unkeyAuditLog(db: Database.Database): void {
  keys.delete(db)
}

export function auditKeyOf(db: Database.Database): Buffer | undefined {
  return keys.get(db)
}

/** An entry's MAC covers its hash, which covers every field and the link to the entry before it. */
export function entryMac(key: Buffer, entryHash: string): string {
  return createHmac('sha256', key).update(`latchkey-audit-entry-v1:${entryHash}`).digest('hex')
}

/** The head's MAC, under its own label so an entry's MAC can never pass for a head's or back. */
export function headMac(key: Buffer, head: { seq: number; hash: string }): string {
  return createHmac('sha256', key).update(`latchkey-audit-head-v1:${head.seq}:${head.hash}`).digest('hex')
}

/** Constant-time, so a caller probing a forged MAC learns nothing from how long the refusal took. */
export function macsEqual(stored: string | null, expected: string): boolean {
  if (stored === null || stored.length !== expected.length) return false
  return timingSafeEqual(Buffer.from(stored, 'latin1'), Buffer.from(expected, 'latin1'))
}
