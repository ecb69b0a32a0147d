import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { hashEntry, GENESIS_HASH, type AuditRow } from '../../../src/main/audit/audit-log'
import { VAULT_FILE_NAME } from '../../../src/main/vault/vault-manager'
import type { AppConnection, AuditVerification } from '../../../src/shared/contract'
import {
  createUnlockedTestCore,
  createVaultTestCore,
  openUnlockedVault,
  TEST_PASSWORD,
  type VaultTestCore,
} from '../../support/vault'

/**
 * The attacks the adversarial round ran against the unkeyed chain, now against the real file with
 * file access alone: the app is closed, the attacker edits vault.sqlite with SQLite and knows the
 * chain's algorithm, but not the password. The owner then unlocks and runs audit.verify.
 */

const dirs: string[] = []
const cores: VaultTestCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const REVEALS = 10
/** vault.create, 3 creates, 10 reveals, a rename, a lock and an unlock. */
const HISTORY = 17
/** …and the lock at shutdown: what the attacker finds in the file. */
const ENTRIES = HISTORY + 1

/** A vault with a history: three connections, ten reveals, a rename, a lock and an unlock. */
async function vaultWithHistory(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-audit-tamper-'))
  dirs.push(dataDir)
  const t = await createUnlockedTestCore({ dataDir })
  const ids: string[] = []
  for (let i = 1; i <= 3; i += 1) {
    const { connection } = await t.call<{ connection: AppConnection }>('connections.upsert', {
      displayName: `Connection ${i}`,
      pieceName: '@activepieces/piece-slack',
      pieceVersion: '0.10.0',
      type: 'SECRET_TEXT',
      externalId: `ext_${i}`,
      value: { type: 'SECRET_TEXT', secret_text: `xoxb-secret-${i}` },
    })
    ids.push(connection.id)
  }
  for (let i = 0; i < REVEALS; i += 1) await t.call('connections.reveal', { id: ids[i % 3] })
  await t.call('connections.update', { id: ids[0], displayName: 'Renamed' })
  await t.call('vault.lock')
  await t.call('vault.unlock', { password: TEST_PASSWORD })
  expect(await t.call<AuditVerification>('audit.verify')).toEqual({ ok: true, checked: HISTORY })
  await t.core.close()
  return dataDir
}

/** The attacker: the file, SQLite, and the chain's algorithm; no key. */
function asAttacker(dataDir: string, work: (db: Database.Database) => void): void {
  const db = new Database(join(dataDir, VAULT_FILE_NAME))
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete')
    db.transaction(() => work(db))()
  } finally {
    db.close()
  }
}

const rowsOf = (db: Database.Database) =>
  db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]

type MacPolicy = 'keep' | 'clear'

/**
 * Renumbers the log 1..n and recomputes every link and hash from `fromSeq` on, as the unkeyed
 * chain let anyone do. MACs are left as they were ('keep') or removed so the entries pass for ones
 * written while locked ('clear').
 */
function rewriteChain(db: Database.Database, fromSeq: number, macs: MacPolicy): void {
  const rows = rowsOf(db)
  db.prepare('DELETE FROM audit_log').run()
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, at_ms, action, origin, entity_type, entity_id, details, prev_hash, hash, mac)
     VALUES (@seq, @at_ms, @action, @origin, @entity_type, @entity_id, @details, @prev_hash, @hash, @mac)`,
  )
  let previous = GENESIS_HASH
  rows.forEach((row, index) => {
    const seq = index + 1
    const rewritten = seq >= fromSeq || row.seq !== seq
    const next = { ...row, seq, prev_hash: rewritten ? previous : row.prev_hash }
    if (rewritten) {
      next.hash = hashEntry(next)
      if (macs === 'clear') next.mac = null
    }
    insert.run(next)
    previous = next.hash
  })
}

async function verifyAsOwner(dataDir: string): Promise<AuditVerification> {
  const t = await openUnlockedVault(dataDir)
  cores.push(t)
  return t.call<AuditVerification>('audit.verify')
}

describe('audit.verify against an attacker with the file but not the password', () => {
  for (const macs of ['keep', 'clear'] as const) {
    it(`finds entry 5 edited and every entry after it rehashed (MACs: ${macs})`, async () => {
      const dataDir = await vaultWithHistory()
      asAttacker(dataDir, (db) => {
        db.prepare(`UPDATE audit_log SET details = '{"forged":true}' WHERE seq = 5`).run()
        rewriteChain(db, 5, macs)
      })
      const result = await verifyAsOwner(dataDir)
      expect(result).toMatchObject({ ok: false, brokenAt: 5 })
      // Every rewritten entry is named, not only the first.
      expect(result.breaks).toContainEqual({ fromSeq: 5, toSeq: ENTRIES, reason: 'invalid' })
    })

    it(`finds the newest 5 entries deleted (MACs: ${macs})`, async () => {
      const dataDir = await vaultWithHistory()
      asAttacker(dataDir, (db) => {
        db.prepare('DELETE FROM audit_log WHERE seq > ?').run(ENTRIES - 5)
        if (macs === 'clear') db.prepare('UPDATE audit_log SET mac = NULL WHERE seq > ?').run(ENTRIES - 8)
      })
      const result = await verifyAsOwner(dataDir)
      expect(result).toMatchObject({ ok: false, anchor: 'mismatch' })
      expect(result.breaks).toContainEqual({ fromSeq: ENTRIES - 4, toSeq: ENTRIES, reason: 'missing' })
      if (macs === 'clear')
        expect(result.breaks).toContainEqual({ fromSeq: ENTRIES - 7, toSeq: ENTRIES - 5, reason: 'invalid' })
    })

    it(`finds every reveal entry erased and the rest renumbered and rehashed (MACs: ${macs})`, async () => {
      const dataDir = await vaultWithHistory()
      asAttacker(dataDir, (db) => {
        expect(db.prepare("DELETE FROM audit_log WHERE action = 'connection.reveal'").run().changes).toBe(
          REVEALS,
        )
        rewriteChain(db, 1, macs)
      })
      const result = await verifyAsOwner(dataDir)
      expect(result.ok).toBe(false)
      expect(result.anchor).toBeDefined()
      expect(result.breaks!.length).toBeGreaterThan(0)
    })
  }

  it('finds the newest entries cut even when the anchored head is deleted with them', async () => {
    const dataDir = await vaultWithHistory()
    asAttacker(dataDir, (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(ENTRIES - 5)
      db.prepare('DELETE FROM audit_head').run()
    })
    const t = await openUnlockedVault(dataDir)
    cores.push(t)
    // The unlock re-anchors the head after its own entry; the finding it recorded first stays.
    expect(await t.call<AuditVerification>('audit.verify')).toMatchObject({ ok: false, anchor: 'missing' })
    await t.call('vault.lock')
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    expect(await t.call<AuditVerification>('audit.verify')).toMatchObject({ ok: false, anchor: 'missing' })
  })

  it('finds a head rolled back to an older one (the same file, entries cut back to it)', async () => {
    const dataDir = await vaultWithHistory()
    let olderHead: unknown
    asAttacker(dataDir, (db) => {
      olderHead = db.prepare('SELECT * FROM audit_head').get()
    })
    const t = await openUnlockedVault(dataDir)
    await t.call('vault.lock')
    await t.core.close()
    asAttacker(dataDir, (db) => {
      const head = olderHead as { seq: number }
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(head.seq)
      db.prepare(
        'INSERT OR REPLACE INTO audit_head (id, seq, hash, mac) VALUES (@id, @seq, @hash, @mac)',
      ).run(olderHead)
    })
    // An authentic older head matching a log cut back to it is what restoring an older copy of the
    // file looks like: documented as undetectable. This test pins that limit down.
    expect(await verifyAsOwner(dataDir)).toEqual({ ok: true, checked: ENTRIES + 1 })
  })

  it('re-MACs a log made to look older than keyed integrity, and records that it did', async () => {
    const dataDir = await vaultWithHistory()
    asAttacker(dataDir, (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(ENTRIES - 5)
      db.prepare('UPDATE audit_log SET mac = NULL').run()
      db.prepare('DELETE FROM audit_head').run()
    })
    const t = await openUnlockedVault(dataDir)
    cores.push(t)
    // Documented limit: without any MAC or head left, the file reads as one from before schema 8.
    // The unlock says so in the log, where the owner sees it. What still shows is the connection's
    // pointer to its newest entry (schema 9), which names a cut one, so its last remaining entry is
    // hidden from its history; an attacker who rewrote that pointer too would leave nothing to see.
    const verification = await t.call<AuditVerification>('audit.verify')
    expect(verification.breaks?.map((b) => b.reason)).toEqual(['unlinked'])
    expect(verification).toMatchObject({ ok: false, checked: ENTRIES - 3 })
    const remac = t.session.db
      .prepare("SELECT details FROM audit_log WHERE action = 'audit.remac'")
      .pluck()
      .all()
    expect(remac).toEqual([JSON.stringify({ connections: 0, entries: ENTRIES - 5 })])
  })

  it('keeps entries written while locked, MACed at the next unlock, and finds one edited meanwhile', async () => {
    const dataDir = await vaultWithHistory()
    const t = createVaultTestCore({ dataDir })
    for (let i = 0; i < 2; i += 1)
      await t.call('vault.unlock', { password: `wrong password ${i}` }).catch(() => undefined)
    await t.core.close()
    asAttacker(dataDir, (db) => {
      const pending = db.prepare('SELECT seq FROM audit_log WHERE mac IS NULL ORDER BY seq').pluck().all()
      expect(pending).toEqual([ENTRIES + 1, ENTRIES + 2])
      db.prepare("UPDATE audit_log SET origin = 'elsewhere' WHERE seq = ?").run(ENTRIES + 1)
    })
    const owner = await openUnlockedVault(dataDir)
    cores.push(owner)
    // The untouched failed unlock is adopted; the edited one is left without a MAC.
    expect(await owner.call<AuditVerification>('audit.verify')).toEqual({
      ok: false,
      checked: ENTRIES + 3,
      brokenAt: ENTRIES + 1,
      breaks: [{ fromSeq: ENTRIES + 1, toSeq: ENTRIES + 1, reason: 'invalid' }],
    })
    const macs = owner.session.db.prepare('SELECT seq FROM audit_log WHERE mac IS NULL').pluck().all()
    expect(macs).toEqual([ENTRIES + 1])
  })
})

describe('strings hash exactly as they are stored', () => {
  it('never breaks the chain for lone surrogates, NUL or RTL text, through the log or a call', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-audit-text-'))
    dirs.push(dataDir)
    const t = await createUnlockedTestCore({ dataDir })
    cores.push(t)
    const odd = [
      '\uD800',
      'a\uDC00b',
      '\uDBFF\uDFFF',
      'nul\u0000byte',
      '\u202Eevil\u202C',
      'é'.normalize('NFD'),
    ]
    t.session.transaction(() => {
      for (const text of odd)
        t.session.audit({
          action: 'policy.set',
          origin: text,
          entityType: text,
          entityId: text,
          details: { [text]: text },
        })
    })
    // Through the router as the adversarial round did; refused or accepted, the chain holds.
    for (const text of odd)
      await t
        .call('policies.set', { pieceName: text, projectId: text, type: 'USER_REQUIRED', connectionId: null })
        .catch(() => undefined)
    expect(await t.call<AuditVerification>('audit.verify')).toMatchObject({ ok: true })
    await t.call('vault.lock')
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    expect(await t.call<AuditVerification>('audit.verify')).toMatchObject({ ok: true })
  })
})
