import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { VAULT_FILE_NAME } from '../../../src/main/vault/vault-manager'
import type { AppConnection, AuditVerification } from '../../../src/shared/contract'
import type { ErrorObject } from '../../../src/shared/errors'
import { createUnlockedTestCore, openUnlockedVault, type UnlockedTestCore } from '../../support/vault'

/**
 * The adversarial round swapped displayName and externalId between two rows in the file, and
 * policies.resolve then handed out the other connection, secret included. Each row's identity and
 * list columns now carry a MAC under a vault subkey (vault/row-mac.ts), checked where a row's
 * identity decides what is handed out.
 */

const PIECE = '@activepieces/piece-slack'
const dirs: string[] = []
const cores: UnlockedTestCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function upsert(t: UnlockedTestCore, n: number, projectIds: string[] = []): Promise<AppConnection> {
  const { connection } = await t.call<{ connection: AppConnection }>('connections.upsert', {
    displayName: `Team ${n}`,
    pieceName: PIECE,
    pieceVersion: '0.10.0',
    type: 'SECRET_TEXT',
    externalId: `ext_${n}`,
    projectIds,
    value: { type: 'SECRET_TEXT', secret_text: `xoxb-secret-${n}` },
  })
  return connection
}

/** Two connections, a third left alone, and a policy that resolves by externalId. */
async function vaultWithRows(): Promise<{ dataDir: string; ids: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-row-integrity-'))
  dirs.push(dataDir)
  const t = await createUnlockedTestCore({ dataDir })
  const ids = [(await upsert(t, 1)).id, (await upsert(t, 2)).id, (await upsert(t, 3, ['proj_1'])).id]
  await t.call('policies.set', {
    pieceName: PIECE,
    projectId: 'proj_1',
    type: 'ENFORCED_PROJECT',
    connectionId: ids[2],
  })
  await t.core.close()
  return { dataDir, ids }
}

/** The attacker edits the closed file with SQLite; no key, so no MAC can follow. */
function editFile(dataDir: string, work: (db: Database.Database) => void): void {
  const db = new Database(join(dataDir, VAULT_FILE_NAME))
  try {
    db.transaction(() => work(db))()
  } finally {
    db.close()
  }
}

function swap(db: Database.Database, a: string, b: string, columns: string[]): void {
  const read = db.prepare(`SELECT ${columns.join(', ')} FROM connections WHERE id = ?`)
  const rowA = read.get(a) as Record<string, unknown>
  const rowB = read.get(b) as Record<string, unknown>
  const write = db.prepare(
    `UPDATE connections SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
  )
  // Through a placeholder: external_id is part of a UNIQUE key.
  write.run({ ...rowA, external_id: 'swap-in-progress', id: b })
  write.run({ ...rowB, id: a })
  write.run({ ...rowA, id: b })
}

async function owner(dataDir: string): Promise<UnlockedTestCore> {
  const t = await openUnlockedVault(dataDir)
  cores.push(t)
  return t
}

const errorOf = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('expected a refusal')
    },
    (error: unknown) => error as ErrorObject,
  )

const integrity = (id: string) => ({
  statusCode: 500,
  code: 'INTEGRITY',
  params: { entityType: 'app_connection', entityId: id, message: expect.stringContaining(id) },
})

describe('row metadata is authenticated', () => {
  it('refuses reveal, copy and resolve of two rows whose displayName and externalId were swapped in the file', async () => {
    const { dataDir, ids } = await vaultWithRows()
    const [a, b, c] = ids as [string, string, string]
    editFile(dataDir, (db) => swap(db, a, b, ['display_name', 'external_id']))
    const t = await owner(dataDir)
    const before = t.session.db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number

    for (const id of [a, b]) {
      expect(await errorOf(t.call('connections.reveal', { id }))).toMatchObject(integrity(id))
      expect(await errorOf(t.call('clipboard.copySecret', { connectionId: id }))).toMatchObject(integrity(id))
    }
    // resolve picks the user's connection by externalId: ext_1 now names row b, which must not be handed out
    expect(
      await errorOf(
        t.call('policies.resolve', { pieceName: PIECE, projectId: 'proj_2', externalId: 'ext_1' }),
      ),
    ).toMatchObject(integrity(b))
    // a refusal writes nothing, and the untouched row still opens
    expect(t.session.db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(before)
    expect(await t.call('connections.reveal', { id: c })).toMatchObject({
      value: { secret_text: 'xoxb-secret-3' },
    })
    // a list still shows every row, as it is in the file: verify on use, not on list
    const list = await t.call<{ data: AppConnection[] }>('connections.list', {})
    expect(list.data.map((row) => row.id).sort()).toEqual([...ids].sort())
  })

  it('refuses a row whose projects, status, scope or piece were edited in the file', async () => {
    for (const edit of [
      'project_ids = \'["proj_evil"]\'',
      "status = 'ERROR'",
      "scope = 'PLATFORM'",
      "piece_name = '@activepieces/piece-github'",
      "remote_key = 'remote_x'",
    ]) {
      const { dataDir, ids } = await vaultWithRows()
      editFile(dataDir, (db) => {
        db.pragma('foreign_keys = OFF')
        db.prepare(`UPDATE connections SET ${edit} WHERE id = ?`).run(ids[2])
      })
      const t = await owner(dataDir)
      expect(await errorOf(t.call('connections.reveal', { id: ids[2] }))).toMatchObject(integrity(ids[2]!))
      // the policy names that connection: resolving it refuses rather than hand out an altered row
      expect(
        await errorOf(t.call('policies.resolve', { pieceName: PIECE, projectId: 'proj_1' })),
      ).toMatchObject(integrity(ids[2]!))
    }
  })

  it('never vouches for a tampered row on a later write: the update is refused and nothing changes', async () => {
    const { dataDir, ids } = await vaultWithRows()
    editFile(dataDir, (db) => swap(db, ids[0]!, ids[1]!, ['display_name', 'external_id']))
    const t = await owner(dataDir)
    const macBefore = t.session.db.prepare('SELECT row_mac FROM connections WHERE id = ?').pluck().get(ids[0])
    expect(
      await errorOf(t.call('connections.update', { id: ids[0], displayName: 'Laundered' })),
    ).toMatchObject(integrity(ids[0]!))
    expect(t.session.db.prepare('SELECT row_mac FROM connections WHERE id = ?').pluck().get(ids[0])).toEqual(
      macBefore,
    )
    expect(await errorOf(t.call('connections.reveal', { id: ids[0] }))).toMatchObject(integrity(ids[0]!))
  })

  it('never vouches for a tampered row through an upsert or a batch, which bind their own MAC: refused, nothing written', async () => {
    const { dataDir, ids } = await vaultWithRows()
    editFile(dataDir, (db) => swap(db, ids[0]!, ids[1]!, ['display_name', 'external_id']))
    const t = await owner(dataDir)
    const macs = t.session.db.prepare('SELECT id, row_mac FROM connections ORDER BY id')
    const before = macs.all()
    const audited = () => t.session.db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number
    const entries = audited()
    // ext_1 now names row b in the file: a new name and value for it must not re-MAC row b
    const renamed = t.call('connections.upsert', {
      displayName: 'Team 1, renamed',
      pieceName: PIECE,
      pieceVersion: '0.10.0',
      type: 'SECRET_TEXT',
      externalId: 'ext_1',
      projectIds: [],
      value: { type: 'SECRET_TEXT', secret_text: 'laundered' },
    })
    expect(await errorOf(renamed)).toMatchObject(integrity(ids[1]!))
    // a batch is one transaction: its untouched ext_3 is not written either
    const batch = t.call('connections.upsertBatch', {
      items: [3, 2].map((n) => ({
        displayName: `Renamed ${n}`,
        pieceName: PIECE,
        pieceVersion: '0.10.0',
        type: 'SECRET_TEXT',
        externalId: `ext_${n}`,
        projectIds: [],
        value: { type: 'SECRET_TEXT', secret_text: `new-${n}` },
      })),
    })
    expect(await errorOf(batch)).toMatchObject({
      code: 'INTEGRITY',
      params: { entityType: 'app_connection', entityId: ids[0] },
    })
    expect(macs.all()).toEqual(before)
    expect(audited()).toBe(entries)
    // A new value under the name the row already shows changes no MACed column: it is written, as
    // a rotation is, but vouches for nothing, so the row still refuses to be used.
    await upsert(t, 1)
    expect(macs.all()).toEqual(before)
    for (const id of [ids[0]!, ids[1]!])
      expect(await errorOf(t.call('connections.reveal', { id }))).toMatchObject(integrity(id))
  })

  it('keeps every legitimate write authentic: renames, rotations, moved projects, a status change by SQL in the app', async () => {
    const { dataDir, ids } = await vaultWithRows()
    const t = await owner(dataDir)
    await t.call('connections.update', { id: ids[0], displayName: 'Renamed' })
    await t.call('connections.rotate', { id: ids[1], value: { type: 'SECRET_TEXT', secret_text: 'rotated' } })
    await upsert(t, 3, ['proj_2'])
    // what the refresher does: a status change on the app's own handle
    t.session.transaction(() =>
      t.session.db.prepare("UPDATE connections SET status = 'ERROR' WHERE id = ?").run(ids[0]),
    )
    for (const id of ids) await t.call('connections.reveal', { id })
    await t.call('vault.lock')
    await t.core.close()
    const reopened = await owner(dataDir)
    for (const id of ids) await reopened.call('connections.reveal', { id })
    expect(await reopened.call<AuditVerification>('audit.verify')).toMatchObject({ ok: true })
  })

  it('gives a vault from before schema 8 its row MACs at the first unlock, then checks them', async () => {
    const { dataDir, ids } = await vaultWithRows()
    editFile(dataDir, (db) => {
      // What migration 008 leaves behind for the rows of an older vault.
      db.exec('DROP TRIGGER audit_log_no_update')
      db.prepare('UPDATE connections SET row_mac = NULL').run()
      db.prepare('UPDATE audit_log SET mac = NULL').run()
      db.prepare('DELETE FROM audit_head').run()
    })
    const t = await owner(dataDir)
    expect(t.session.db.prepare('SELECT count(*) FROM connections WHERE row_mac IS NULL').pluck().get()).toBe(
      0,
    )
    for (const id of ids) await t.call('connections.reveal', { id })
    await t.core.close()
    editFile(dataDir, (db) => db.prepare('UPDATE connections SET row_mac = NULL WHERE id = ?').run(ids[1]))
    const again = await owner(dataDir)
    expect(await errorOf(again.call('connections.reveal', { id: ids[1] }))).toMatchObject(integrity(ids[1]!))
  })
})
