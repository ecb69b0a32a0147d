import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { appendAudit, withAuditBatch, type AuditRecord } from '../../../src/main/audit/audit-log'
import { keyAuditLog } from '../../../src/main/audit/audit-key'
import { readAnchor } from '../../../src/main/audit/audit-anchor'
import { verifyAudit } from '../../../src/main/audit/audit-verify'
import { migrate } from '../../../src/main/vault/migrations'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A real vault schema in a real SQLite file. */
function database(): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-audit-batch-'))
  dirs.push(dir)
  const db = new Database(join(dir, 'audit.sqlite'))
  migrate(db)
  // As an unlocked vault's session does: every entry gets its MAC and the head its anchor.
  keyAuditLog(db, Buffer.alloc(32, 7))
  return db
}

const record = (i: number): AuditRecord => ({
  action: 'connection.update',
  origin: 'test',
  entityType: 'app_connection',
  entityId: `conn_${i % 3}`,
  details: { displayName: `name ${i}`, credentialsChanged: true, count: i },
})

const log = (db: Database.Database) => db.prepare('SELECT * FROM audit_log ORDER BY seq').all()

describe('withAuditBatch', () => {
  it('writes the same chain, link for link, as appending entries one by one', () => {
    const single = database()
    const batched = database()
    for (const db of [single, batched]) appendAudit(db, 1, record(0))
    single.transaction(() => {
      for (let i = 1; i <= 5; i += 1) appendAudit(single, 2, record(i))
    })()
    batched.transaction(() =>
      withAuditBatch(batched, () => {
        for (let i = 1; i <= 5; i += 1) appendAudit(batched, 2, record(i))
      }),
    )()
    // After the batch, a lone entry links to the batch's last one.
    for (const db of [single, batched]) appendAudit(db, 3, record(6))
    expect(log(batched)).toEqual(log(single))
    expect(readAnchor(batched)).toEqual(readAnchor(single))
    expect(verifyAudit(batched)).toEqual({ ok: true, checked: 7 })
  })

  it('leaves no head behind when its transaction rolls back', () => {
    const db = database()
    appendAudit(db, 1, record(0))
    expect(() =>
      db.transaction(() =>
        withAuditBatch(db, () => {
          appendAudit(db, 2, record(1))
          appendAudit(db, 2, record(2))
          throw new Error('the batch fails')
        }),
      )(),
    ).toThrow('the batch fails')
    db.transaction(() => withAuditBatch(db, () => appendAudit(db, 3, record(3))))()
    appendAudit(db, 4, record(4))
    expect(log(db).map((row) => (row as { seq: number }).seq)).toEqual([1, 2, 3])
    expect(verifyAudit(db)).toEqual({ ok: true, checked: 3 })
  })

  it('refuses to run outside a transaction', () => {
    const db = database()
    expect(() => withAuditBatch(db, () => appendAudit(db, 1, record(0)))).toThrow('transaction')
    expect(log(db)).toEqual([])
  })
})
