import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { GENESIS_HASH, hashEntry, type AuditRow } from '../../../src/main/audit/audit-log'
import type {
  AppConnection,
  AuditBreak,
  AuditEntry,
  AuditPage,
  AuditVerification,
  CopyDelivery,
  VaultStatus,
} from '../../../src/shared/contract'
import type { ErrorObject } from '../../../src/shared/errors'
import { TEST_PASSWORD } from '../../support/vault'
import {
  connectionsHarness,
  insertRemote,
  secretText,
  SLACK,
  type ConnectionsHarness,
} from '../connections/support'

const NEW_PASSWORD = 'another quite long passphrase'
const SECRET = 'xoxb-audit-secret-9f3a7c21d4'

let h: ConnectionsHarness | undefined
afterEach(async () => {
  await h?.dispose()
  h = undefined
})

async function harness(): Promise<ConnectionsHarness> {
  h = await connectionsHarness()
  return h
}

/** The log as stored, read on the open connection (the audit log is plaintext; it stays readable while locked). */
const rows = (t: ConnectionsHarness): AuditRow[] =>
  t.core.vault.requireDatabase().prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]

const lastSeq = (t: ConnectionsHarness) => rows(t).at(-1)?.seq ?? 0

/** Runs `work` and answers the entries it appended, and its error if it failed. */
async function appendedBy(
  t: ConnectionsHarness,
  work: () => Promise<unknown>,
): Promise<{ entries: AuditRow[]; error: ErrorObject | undefined }> {
  const before = lastSeq(t)
  let error: ErrorObject | undefined
  try {
    await work()
  } catch (caught) {
    error = caught as ErrorObject
  }
  return { entries: rows(t).filter((row) => row.seq > before), error }
}

const verify = (t: ConnectionsHarness) => t.call<AuditVerification>('audit.verify')

/** audit.verify's answer for a log of `checked` entries with these breaks, oldest first. */
function broken(checked: number, ...breaks: [number, number, AuditBreak['reason']][]): AuditVerification {
  return {
    ok: false,
    checked,
    brokenAt: breaks[0]![0],
    breaks: breaks.map(([fromSeq, toSeq, reason]) => ({ fromSeq, toSeq, reason })),
  }
}

/** Test-only: lifts the append-only triggers so a test can play the attacker. */
function allowTampering(db: Database.Database): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete')
}

async function fillLog(t: ConnectionsHarness, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const seq = lastSeq(t) + 1
    t.session.transaction(() =>
      t.session.audit({
        action: 'settings.change',
        origin: 'test',
        entityId: seq % 2 === 0 ? 'conn_even' : 'conn_odd',
        details: { n: seq },
      }),
    )
  }
}

describe('the audit log is a hash chain', () => {
  it('links every entry to the one before it, from a fixed genesis hash, with contiguous seq', async () => {
    const t = await harness()
    const connection = await t.upsert({ value: secretText(SECRET) })
    await t.call('connections.update', { id: connection.id, displayName: 'Renamed' })
    await t.call('vault.lock')
    await t.call('vault.unlock', { password: TEST_PASSWORD })

    const stored = rows(t)
    expect(stored.map((row) => row.seq)).toEqual(stored.map((_row, index) => index + 1))
    expect(stored[0]!.prev_hash).toBe(GENESIS_HASH)
    for (const [index, row] of stored.entries()) {
      const { hash, ...unhashed } = row
      expect(hash).toMatch(/^[0-9a-f]{64}$/)
      expect(hashEntry(unhashed)).toBe(hash)
      if (index > 0) expect(row.prev_hash).toBe(stored[index - 1]!.hash)
    }
    // audit.list answers the same links
    const page = await t.call<AuditPage>('audit.list', { limit: 100 })
    expect(page.data.map((entry) => [entry.seq, entry.prevHash, entry.hash])).toEqual(
      [...stored].reverse().map((row) => [row.seq, row.prev_hash, row.hash]),
    )
  })

  it('is append-only: the database itself refuses UPDATE and DELETE of an entry', async () => {
    const t = await harness()
    const db = t.core.vault.requireDatabase()
    expect(() => db.prepare("UPDATE audit_log SET origin = 'forged' WHERE seq = 1").run()).toThrow(
      /append-only/,
    )
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    expect(rows(t)).toHaveLength(1)
    expect(await verify(t)).toEqual({ ok: true, checked: 1 })
  })
})

describe('audit.verify', () => {
  it('answers ok with the number of entries checked for an intact chain', async () => {
    const t = await harness()
    expect(await verify(t)).toEqual({ ok: true, checked: 1 })
    await fillLog(t, 20)
    await t.upsert()
    expect(await verify(t)).toEqual({ ok: true, checked: rows(t).length })
    expect(rows(t).length).toBe(22)
  })

  it('finds an entry whose content was edited, naming its seq', async () => {
    const t = await harness()
    await fillLog(t, 6)
    const db = t.core.vault.requireDatabase()
    allowTampering(db)
    db.prepare(`UPDATE audit_log SET details = '{"n":999}' WHERE seq = 3`).run()
    expect(await verify(t)).toEqual(broken(7, [3, 3, 'invalid']))
  })

  it('finds a backdated entry (only its time changed)', async () => {
    const t = await harness()
    await fillLog(t, 6)
    const db = t.core.vault.requireDatabase()
    allowTampering(db)
    db.prepare('UPDATE audit_log SET at_ms = at_ms - 86400000 WHERE seq = 5').run()
    expect(await verify(t)).toEqual(broken(7, [5, 5, 'invalid']))
  })

  it('finds an edited entry whose own hash was recomputed, at the next link', async () => {
    const t = await harness()
    await fillLog(t, 6)
    const db = t.core.vault.requireDatabase()
    allowTampering(db)
    const row = rows(t).find((candidate) => candidate.seq === 3)!
    const { hash: _old, ...forged } = { ...row, origin: 'forged' }
    db.prepare('UPDATE audit_log SET origin = ?, hash = ? WHERE seq = 3').run('forged', hashEntry(forged))
    // Its MAC covers the old hash, and the next entry links to the old hash.
    expect(await verify(t)).toEqual(broken(7, [3, 4, 'invalid']))
  })

  it('finds a deleted entry, at the entry after the gap', async () => {
    const t = await harness()
    await fillLog(t, 6)
    const db = t.core.vault.requireDatabase()
    allowTampering(db)
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run()
    expect(await verify(t)).toEqual(broken(6, [3, 3, 'missing'], [4, 4, 'invalid']))
  })

  it('finds a deleted entry even when the later ones were renumbered to close the gap', async () => {
    const t = await harness()
    await fillLog(t, 6)
    const db = t.core.vault.requireDatabase()
    allowTampering(db)
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run()
    for (let seq = 4; seq <= 7; seq += 1)
      db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(seq - 1, seq)
    // The anchored head still names seq 7.
    expect(await verify(t)).toEqual({
      ...broken(6, [3, 6, 'invalid'], [7, 7, 'missing']),
      anchor: 'mismatch',
    })
  })

  it('finds two entries swapped in order', async () => {
    const t = await harness()
    await fillLog(t, 6)
    const db = t.core.vault.requireDatabase()
    allowTampering(db)
    db.transaction(() => {
      db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = 4').run()
      db.prepare('UPDATE audit_log SET seq = 4 WHERE seq = 3').run()
      db.prepare('UPDATE audit_log SET seq = 3 WHERE seq = -1').run()
    })()
    expect(await verify(t)).toEqual(broken(7, [3, 5, 'invalid']))
  })

  it('finds an entry inserted into the middle of the chain', async () => {
    const t = await harness()
    await fillLog(t, 4)
    const db = t.core.vault.requireDatabase()
    allowTampering(db)
    const stored = rows(t)
    db.transaction(() => {
      for (const row of [...stored].reverse().filter((r) => r.seq >= 3)) {
        db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(row.seq + 1, row.seq)
      }
      const unhashed = {
        seq: 3,
        at_ms: stored[1]!.at_ms,
        action: 'vault.unlock',
        origin: 'forged',
        entity_type: null,
        entity_id: null,
        details: '{}',
        prev_hash: stored[1]!.hash,
      }
      db.prepare(
        `INSERT INTO audit_log (seq, at_ms, action, origin, entity_type, entity_id, details, prev_hash, hash)
         VALUES (@seq, @at_ms, @action, @origin, @entity_type, @entity_id, @details, @prev_hash, @hash)`,
      ).run({ ...unhashed, hash: hashEntry(unhashed) })
    })()
    // The forged entry links correctly to seq 2 but has no MAC; the renumbered ones hash differently.
    expect(await verify(t)).toEqual({ ...broken(6, [3, 6, 'invalid']), anchor: 'mismatch' })
  })

  it('needs an unlocked vault', async () => {
    const t = await harness()
    await t.call('vault.lock')
    await expect(verify(t)).rejects.toMatchObject({ statusCode: 423, code: 'VAULT_LOCKED' })
  })
})

describe('audit.list paging', () => {
  const seqs = (page: AuditPage) => page.data.map((entry) => entry.seq)
  const range = (from: number, to: number) =>
    Array.from({ length: Math.abs(to - from) + 1 }, (_v, i) => (from > to ? from - i : from + i))

  it('pages newest first with next, and walks back with previous, each page exactly as before', async () => {
    const t = await harness()
    await fillLog(t, 24) // seq 1 (vault.create) .. 25
    const first = await t.call<AuditPage>('audit.list', { limit: 10 })
    expect(seqs(first)).toEqual(range(25, 16))
    expect(first.previous).toBeNull()
    expect(first.next).not.toBeNull()

    const second = await t.call<AuditPage>('audit.list', { limit: 10, cursor: first.next })
    expect(seqs(second)).toEqual(range(15, 6))
    expect(second.previous).not.toBeNull()
    expect(second.next).not.toBeNull()

    const third = await t.call<AuditPage>('audit.list', { limit: 10, cursor: second.next })
    expect(seqs(third)).toEqual(range(5, 1))
    expect(third.next).toBeNull()
    expect(third.previous).not.toBeNull()

    const backToSecond = await t.call<AuditPage>('audit.list', { limit: 10, cursor: third.previous })
    expect(backToSecond).toEqual(second)
    const backToFirst = await t.call<AuditPage>('audit.list', { limit: 10, cursor: backToSecond.previous })
    expect(seqs(backToFirst)).toEqual(range(25, 16))
    expect(backToFirst.previous).toBeNull()
    expect(backToFirst.next).toBe(first.next)
  })

  it('keeps pages stable while entries are appended, and a previous page then shows them', async () => {
    const t = await harness()
    await fillLog(t, 24)
    const first = await t.call<AuditPage>('audit.list', { limit: 10 })
    await fillLog(t, 3) // seq 26..28
    const second = await t.call<AuditPage>('audit.list', { limit: 10, cursor: first.next })
    expect(seqs(second)).toEqual(range(15, 6))
    const back = await t.call<AuditPage>('audit.list', { limit: 10, cursor: second.previous })
    expect(seqs(back)).toEqual(range(25, 16))
    expect(back.previous).not.toBeNull()
    const newest = await t.call<AuditPage>('audit.list', { limit: 10, cursor: back.previous })
    expect(seqs(newest)).toEqual(range(28, 26))
    expect(newest.previous).toBeNull()
    expect(newest.next).not.toBeNull()
  })

  it('filters by entity id in both directions', async () => {
    const t = await harness()
    await fillLog(t, 24) // even seq 2..24 are conn_even
    const collected: number[] = []
    const pages: AuditPage[] = []
    let cursor: string | null | undefined
    do {
      const page: AuditPage = await t.call<AuditPage>('audit.list', {
        entityId: 'conn_even',
        limit: 5,
        cursor,
      })
      pages.push(page)
      collected.push(...seqs(page))
      cursor = page.next
    } while (cursor)
    expect(collected).toEqual(range(24, 2).filter((seq) => seq % 2 === 0))
    expect(pages).toHaveLength(3)
    const back = await t.call<AuditPage>('audit.list', {
      entityId: 'conn_even',
      limit: 5,
      cursor: pages[2]!.previous,
    })
    expect(back).toEqual(pages[1])
    expect((await t.call<AuditPage>('audit.list', { entityId: 'nobody', limit: 5 })).data).toEqual([])
  })

  it('refuses a malformed cursor and a limit outside 1..100', async () => {
    const t = await harness()
    await expect(t.call('audit.list', { cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'VALIDATION',
      params: { message: expect.stringMatching(/start from the first page/) },
    })
    await expect(t.call('audit.list', { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(t.call('audit.list', { limit: 101 })).rejects.toMatchObject({ code: 'VALIDATION' })
  })
})

describe('one entry per action', () => {
  async function setupPair(t: ConnectionsHarness) {
    const source = await t.upsert({ externalId: 'ext_source', value: secretText(SECRET) })
    const target = await t.upsert({ externalId: 'ext_target' })
    await t.call('flows.link', { flowId: 'flow_1', connectionId: source.id })
    return { source, target }
  }

  const expectOne = (result: { entries: AuditRow[]; error: ErrorObject | undefined }, action: string) => {
    expect(result.error).toBeUndefined()
    expect(result.entries.map((entry) => entry.action)).toEqual([action])
    return result.entries[0]!
  }

  it('writes exactly one entry for each create, update, delete, replace, reveal and copy', async () => {
    const t = await harness()
    const created = await appendedBy(t, () => t.upsert({ externalId: 'ext_a', value: secretText(SECRET) }))
    const entry = expectOne(created, 'connection.create')
    const id = entry.entity_id!
    expect(entry).toMatchObject({ entity_type: 'app_connection', origin: 'test' })

    expect(
      expectOne(
        await appendedBy(t, () => t.upsert({ externalId: 'ext_a', value: secretText(`${SECRET}-2`) })),
        'connection.update',
      ).entity_id,
    ).toBe(id)
    expect(
      expectOne(
        await appendedBy(t, () => t.call('connections.update', { id, displayName: 'New name' })),
        'connection.update',
      ).entity_id,
    ).toBe(id)
    expect(
      expectOne(await appendedBy(t, () => t.call('connections.reveal', { id })), 'connection.reveal')
        .entity_id,
    ).toBe(id)
    const copied = expectOne(
      await appendedBy(t, () => t.call('clipboard.copySecret', { connectionId: id })),
      'connection.copy',
    )
    expect(copied.entity_id).toBe(id)
    expect(JSON.parse(copied.details)).toMatchObject({ field: 'secret_text' })

    const other = await t.upsert({ externalId: 'ext_b' })
    await t.call('flows.link', { flowId: 'flow_1', connectionId: id })
    const replaced = expectOne(
      await appendedBy(t, () =>
        t.call('connections.replace', { sourceAppConnectionId: id, targetAppConnectionId: other.id }),
      ),
      'connection.replace',
    )
    expect(JSON.parse(replaced.details)).toMatchObject({
      sourceId: id,
      targetId: other.id,
      movedFlowReferences: 1,
    })

    expect(
      expectOne(await appendedBy(t, () => t.call('connections.delete', { id })), 'connection.delete')
        .entity_id,
    ).toBe(id)
    expect(await verify(t)).toMatchObject({ ok: true })
  })

  it('writes exactly one entry for unlock, failed unlock, password change, lock and a settings change', async () => {
    const t = await harness()
    expectOne(await appendedBy(t, () => t.call('vault.lock')), 'vault.lock')
    const failed = await appendedBy(t, () => t.call('vault.unlock', { password: 'not my password at all' }))
    expect(failed.error).toMatchObject({ code: 'AUTHENTICATION' })
    expect(failed.entries.map((entry) => entry.action)).toEqual(['vault.unlock_failed'])
    expectOne(await appendedBy(t, () => t.call('vault.unlock', { password: TEST_PASSWORD })), 'vault.unlock')
    // unlocking an unlocked vault is not another unlock
    expect((await appendedBy(t, () => t.call('vault.unlock', { password: TEST_PASSWORD }))).entries).toEqual(
      [],
    )
    expectOne(
      await appendedBy(t, () =>
        t.call('vault.changePassword', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }),
      ),
      'vault.password_change',
    )
    const wrongCurrent = await appendedBy(t, () =>
      t.call('vault.changePassword', {
        currentPassword: 'wrong and wrong again',
        newPassword: TEST_PASSWORD,
      }),
    )
    expect(wrongCurrent.error).toMatchObject({ code: 'AUTHENTICATION' })
    expect(wrongCurrent.entries.map((entry) => [entry.action, JSON.parse(entry.details)])).toEqual([
      ['vault.unlock_failed', { method: 'password', during: 'password_change' }],
    ])
    expectOne(await appendedBy(t, () => t.call('settings.set', { autoLockMinutes: 3 })), 'settings.change')
    expect(await verify(t)).toMatchObject({ ok: true })
  })

  it.todo('writes exactly one connection.export entry per export (no export procedure exists yet)')

  it('writes no entry for a refused change or a refused read', async () => {
    const t = await harness()
    const { source } = await setupPair(t)
    const refused: [string, () => Promise<unknown>][] = [
      ['delete in use', () => t.call('connections.delete', { id: source.id })],
      ['delete unknown', () => t.call('connections.delete', { id: 'conn_nope' })],
      ['update unknown', () => t.call('connections.update', { id: 'conn_nope', displayName: 'x' })],
      [
        'create duplicate',
        () =>
          t.call('connections.create', {
            displayName: 'Dup',
            pieceName: SLACK,
            type: 'SECRET_TEXT',
            externalId: 'ext_source',
            value: secretText(SECRET),
          }),
      ],
      [
        'create invalid',
        () => t.call('connections.upsert', { displayName: '', pieceName: SLACK, type: 'SECRET_TEXT' }),
      ],
      [
        'replace with itself',
        () =>
          t.call('connections.replace', {
            sourceAppConnectionId: source.id,
            targetAppConnectionId: source.id,
          }),
      ],
      ['reveal unknown', () => t.call('connections.reveal', { id: 'conn_nope' })],
      [
        'copy unknown field',
        () => t.call('clipboard.copySecret', { connectionId: source.id, field: 'password' }),
      ],
      ['settings invalid', () => t.call('settings.set', { autoLockMinutes: -5 })],
      [
        'weak new password',
        () => t.call('vault.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'abc123' }),
      ],
    ]
    for (const [what, work] of refused) {
      const result = await appendedBy(t, work)
      expect(result.error, what).toBeDefined()
      expect(result.entries, what).toEqual([])
    }
    expect(await verify(t)).toMatchObject({ ok: true })
  })
})

describe('the entry commits in the same transaction as the change', () => {
  /** Makes the next audit insert of `action` fail inside SQLite, as a full disk or a crash would. */
  function refuseAudit(t: ConnectionsHarness, action: string): void {
    t.core.vault.requireDatabase().exec(
      `CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.action = '${action}'
         BEGIN SELECT RAISE(ABORT, 'audit refused'); END`,
    )
  }
  const allowAudit = (t: ConnectionsHarness) =>
    t.core.vault.requireDatabase().exec('DROP TRIGGER temp.refuse_audit')

  async function expectInternal(work: Promise<unknown>) {
    await expect(work).rejects.toMatchObject({ code: 'INTERNAL' })
  }

  it('a connection create, update, delete or replace whose entry cannot be written does not happen', async () => {
    const t = await harness()
    const source = await t.upsert({ externalId: 'ext_source', value: secretText(SECRET) })
    const target = await t.upsert({ externalId: 'ext_target' })
    await t.call('flows.link', { flowId: 'flow_1', connectionId: source.id })
    const countConnections = () =>
      (t.core.vault.requireDatabase().prepare('SELECT count(*) AS n FROM connections').get() as { n: number })
        .n

    refuseAudit(t, 'connection.create')
    await expectInternal(t.upsert({ externalId: 'ext_new', value: secretText('never-stored') }))
    expect(countConnections()).toBe(2)
    allowAudit(t)

    refuseAudit(t, 'connection.update')
    await expectInternal(t.upsert({ externalId: 'ext_source', value: secretText('never-rotated') }))
    await expectInternal(t.call('connections.update', { id: source.id, displayName: 'Never renamed' }))
    expect((await t.call<AppConnection>('connections.get', { id: source.id })).displayName).toBe(
      source.displayName,
    )
    allowAudit(t)
    expect(await t.call('connections.reveal', { id: source.id })).toMatchObject({ value: secretText(SECRET) })

    refuseAudit(t, 'connection.replace')
    await expectInternal(
      t.call('connections.replace', { sourceAppConnectionId: source.id, targetAppConnectionId: target.id }),
    )
    expect((await t.call<AppConnection>('connections.get', { id: source.id })).flowIds).toEqual(['flow_1'])
    allowAudit(t)

    refuseAudit(t, 'connection.delete')
    await expectInternal(t.call('connections.delete', { id: target.id }))
    await expectInternal(t.call('connections.delete', { id: source.id, force: true }))
    expect(countConnections()).toBe(2)
    expect((await t.call<AppConnection>('connections.get', { id: source.id })).status).toBe('ACTIVE')
    allowAudit(t)
    expect(await verify(t)).toMatchObject({ ok: true })
  })

  it('a reveal or copy whose entry cannot be written discloses nothing', async () => {
    const t = await harness()
    const connection = await t.upsert({ value: secretText(SECRET) })
    refuseAudit(t, 'connection.reveal')
    const revealed = await t.errorOf('connections.reveal', { id: connection.id })
    expect(revealed.code).toBe('INTERNAL')
    expect(JSON.stringify(revealed)).not.toContain(SECRET)
    allowAudit(t)
    refuseAudit(t, 'connection.copy')
    const copied = await t.errorOf('clipboard.copySecret', { connectionId: connection.id })
    expect(copied.code).toBe('INTERNAL')
    expect(JSON.stringify(copied)).not.toContain(SECRET)
    allowAudit(t)
    const delivered = await t.call<CopyDelivery>('clipboard.copySecret', { connectionId: connection.id })
    expect(delivered).toMatchObject({ delivery: 'renderer', text: SECRET })
  })

  it('an unlock or password change whose entry cannot be written does not happen', async () => {
    const t = await harness()
    refuseAudit(t, 'vault.password_change')
    await expectInternal(
      t.call('vault.changePassword', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }),
    )
    allowAudit(t)
    await t.call('vault.lock')
    refuseAudit(t, 'vault.unlock')
    await expectInternal(t.call('vault.unlock', { password: TEST_PASSWORD }))
    expect((await t.call<VaultStatus>('vault.status')).state).toBe('locked')
    allowAudit(t)
    // the old password still opens the vault: the re-wrap was rolled back with its entry
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    expect(rows(t).filter((row) => row.action === 'vault.password_change')).toEqual([])
  })

  it('a settings change whose entry cannot be written does not happen', async () => {
    const t = await harness()
    refuseAudit(t, 'settings.change')
    await expectInternal(t.call('settings.set', { autoLockMinutes: 1 }))
    allowAudit(t)
    expect(await t.call('settings.get')).toMatchObject({ autoLockMinutes: 15 })
  })

  it('an entry whose change fails later in the transaction (its outbox write) is rolled back with it', async () => {
    const t = await harness()
    insertRemote(t.session, 'remote_1')
    const connection = await t.upsert({ remoteId: 'remote_1', value: secretText(SECRET) })
    t.core.vault.requireDatabase().exec(
      `CREATE TEMP TRIGGER refuse_outbox BEFORE INSERT ON sync_outbox
         BEGIN SELECT RAISE(ABORT, 'outbox refused'); END`,
    )
    const failed = await appendedBy(t, () =>
      t.call('connections.update', { id: connection.id, displayName: 'Not renamed' }),
    )
    expect(failed.error).toMatchObject({ code: 'INTERNAL' })
    expect(failed.entries).toEqual([])
    const deleted = await appendedBy(t, () => t.call('connections.delete', { id: connection.id }))
    expect(deleted.error).toMatchObject({ code: 'INTERNAL' })
    expect(deleted.entries).toEqual([])
    expect((await t.call<AppConnection>('connections.get', { id: connection.id })).displayName).toBe(
      connection.displayName,
    )
  })
})

describe('no secret in the audit log', () => {
  it('holds no connection value, remote key or password in any entry, after every kind of action', async () => {
    const t = await harness()
    const secrets = {
      secretText: `${SECRET}-text`,
      basicPassword: 'basic-pass-7d1e0b55aa',
      accessToken: 'ya29.access-3c8e11f07b',
      refreshToken: '1//refresh-5b2d9c4e88',
      clientSecret: 'client-secret-0e6f2a91',
      customProp: 'custom-prop-value-4a7b3e',
      rotated: 'rotated-secret-81c6d0f2',
      remoteKey: 'sk-remote-key',
      password: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      wrongPassword: 'wrong-password-attempt-2f9b',
    }
    insertRemote(t.session, 'remote_1')
    const text = await t.upsert({ value: secretText(secrets.secretText), remoteId: 'remote_1' })
    const basic = await t.upsert({
      type: 'BASIC_AUTH',
      value: { type: 'BASIC_AUTH', username: 'alice', password: secrets.basicPassword },
    })
    const oauth = await t.upsert({
      type: 'OAUTH2',
      value: {
        type: 'OAUTH2',
        access_token: secrets.accessToken,
        refresh_token: secrets.refreshToken,
        client_secret: secrets.clientSecret,
        client_id: 'client-id',
        token_url: 'https://auth.example.com/token',
      },
    })
    const custom = await t.upsert({
      type: 'CUSTOM_AUTH',
      value: { type: 'CUSTOM_AUTH', props: { apiKey: secrets.customProp } },
    })
    await t.upsert({ externalId: text.externalId, remoteId: 'remote_1', value: secretText(secrets.rotated) })
    for (const connection of [text, basic, oauth, custom]) {
      await t.call('connections.reveal', { id: connection.id })
      await t.call('clipboard.copySecret', { connectionId: connection.id })
    }
    await t.call('clipboard.copySecret', { connectionId: oauth.id, field: 'refresh_token' })
    await t.call('clipboard.copySecret', { connectionId: custom.id, field: 'apiKey' })
    await t.call('connections.update', { id: basic.id, displayName: 'Basic renamed', metadata: { a: 1 } })
    await t.call('flows.link', { flowId: 'flow_1', connectionId: basic.id })
    await t.call('connections.delete', { id: basic.id, force: true })
    await t.call('connections.delete', { id: custom.id })
    await t.call('vault.changePassword', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
    await t.call('vault.lock')
    await t.call('vault.unlock', { password: secrets.wrongPassword }).catch(() => undefined)
    await t.call('vault.unlock', { password: NEW_PASSWORD })

    const stored = rows(t)
    expect(stored.length).toBeGreaterThan(15)
    const everything = JSON.stringify(stored)
    const listed: AuditEntry[] = (await t.call<AuditPage>('audit.list', { limit: 100 })).data
    for (const [name, secret] of Object.entries(secrets)) {
      expect(everything.includes(secret), name).toBe(false)
      expect(JSON.stringify(listed).includes(secret), name).toBe(false)
    }
  })
})
