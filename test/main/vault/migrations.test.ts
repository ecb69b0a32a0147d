import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  LATEST_SCHEMA_VERSION,
  migrate,
  migrations,
  schemaVersion,
  type Migration,
} from '../../../src/main/vault/migrations'
import { hasMacColumn } from '../../../src/main/audit/audit-log'
import { createUnavailableKeeper } from '../../../src/main/platform/unavailable-keeper'
import type { VaultSession } from '../../../src/main/vault/session'
import { createVaultManager, VAULT_FILE_NAME, type VaultManager } from '../../../src/main/vault/vault-manager'
import type {
  AppConnection,
  AuditVerification,
  ConnectionPolicy,
  Page,
  Settings,
  VaultStatus,
} from '../../../src/shared/contract'
import { createManualClock } from '../../support/manual-clock'
import { createVaultTestCore, TEST_KDF, TEST_PASSWORD, type VaultTestCore } from '../../support/vault'
import { insertConnection, readSecret } from './fixtures'

const T0 = Date.UTC(2026, 0, 1)
const HOUR = 3_600_000

const dirs: string[] = []
const cores: VaultTestCore[] = []
const managers: VaultManager[] = []
afterEach(async () => {
  for (const manager of managers.splice(0)) manager.close()
  for (const core of cores.splice(0)) await core.dispose()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-migrate-'))
  dirs.push(dir)
  return dir
}

/** The vault manager of a build that knew only `steps`: what an older Latchkey was. */
function olderBuild(dataDir: string, steps: readonly Migration[]): VaultManager {
  const manager = createVaultManager({
    dataDir,
    clock: createManualClock(T0),
    random: randomBytes,
    keeper: createUnavailableKeeper('Tests run without a keychain.'),
    kdf: TEST_KDF,
    migrations: steps,
  })
  managers.push(manager)
  return manager
}

function closeBuild(manager: VaultManager): void {
  manager.close()
  managers.splice(managers.indexOf(manager), 1)
}

const SECRETS = {
  alpha: 'sk-alpha-migrated-secret',
  beta: 'beta-basic-password',
  gamma: 'ya29.gamma-access-token',
  remote: 'ap-remote-api-key-v1',
}

/**
 * Real rows in every table schema version 1 has, written as a v1 build wrote them: plaintext
 * metadata in columns, secrets sealed, each change audited in its own transaction.
 */
function seedVersion1(session: VaultSession): void {
  const db = session.db
  session.transaction(() => {
    db.prepare(
      `INSERT INTO remotes (id, name, dialect, base_url, project_id, api_key_envelope, key_version, created_ms, updated_ms)
       VALUES ('remote_1', 'Cloud', 'activepieces', 'https://cloud.example.com', 'proj_1', ?, ?, ?, ?)`,
    ).run(session.seal('remote-api-key', 'remote_1', SECRETS.remote), session.keyVersion, T0, T0)
    session.audit({ action: 'settings.change', origin: 'test', entityType: 'remote', entityId: 'remote_1' })
  })
  insertConnection(session, 'conn_alpha', SECRETS.alpha, T0)
  const insert = db.prepare(
    `INSERT INTO connections (id, remote_key, external_id, display_name, type, piece_name, piece_version, scope,
       status, status_reason, owner_id, owner_email, owner_first_name, owner_last_name, metadata, pre_select,
       sync_state, created_ms, updated_ms, token_expires_ms)
     VALUES (@id, @remote, @external, @name, @type, @piece, '0.1.0', @scope, @status, @reason, 'user_1',
       'ann@example.com', 'Ann', 'Lee', @metadata, @preSelect, @sync, @at, @at, @expires)`,
  )
  const value = db.prepare(
    'INSERT INTO connection_values (connection_id, key_version, envelope) VALUES (?, ?, ?)',
  )
  const seal = (id: string, plaintext: object) =>
    value.run(id, session.keyVersion, session.seal('connection-value', id, JSON.stringify(plaintext)))
  session.transaction(() => {
    insert.run({
      id: 'conn_beta',
      remote: '',
      external: 'ext-beta',
      name: 'Beta Mailer',
      type: 'BASIC_AUTH',
      piece: '@activepieces/piece-gmail',
      scope: 'PLATFORM',
      status: 'ERROR',
      reason: 'invalid_grant',
      metadata: '{"team":"ops"}',
      preSelect: 1,
      sync: 'LOCAL',
      at: T0 + 1,
      expires: T0 + HOUR,
    })
    seal('conn_beta', { type: 'BASIC_AUTH', username: 'beta', password: SECRETS.beta })
    insert.run({
      id: 'conn_gamma',
      remote: 'remote_1',
      external: 'ext-gamma',
      name: 'Gamma Sheets',
      type: 'OAUTH2',
      piece: '@activepieces/piece-google-sheets',
      scope: 'PROJECT',
      status: 'ACTIVE',
      reason: null,
      metadata: null,
      preSelect: 0,
      sync: 'SYNCED',
      at: T0 + 2,
      expires: T0 + 10 * 60_000,
    })
    seal('conn_gamma', {
      type: 'OAUTH2',
      access_token: SECRETS.gamma,
      token_url: 'https://oauth2.example.com',
    })
    insert.run({
      id: 'conn_delta',
      remote: '',
      external: 'ext-delta',
      name: 'Delta Placeholder',
      type: 'SECRET_TEXT',
      piece: '@activepieces/piece-openai',
      scope: 'PROJECT',
      status: 'MISSING',
      reason: 'Deleted while 1 flow referenced it.',
      metadata: null,
      preSelect: 0,
      sync: 'LOCAL',
      at: T0 + 3,
      expires: null,
    })
    const project = db.prepare('INSERT INTO connection_projects (connection_id, project_id) VALUES (?, ?)')
    project.run('conn_alpha', 'proj_1')
    project.run('conn_beta', 'proj_1')
    project.run('conn_beta', 'proj_2')
    project.run('conn_gamma', 'proj_1')
    const flow = db.prepare(
      'INSERT INTO flow_references (flow_id, connection_id, flow_name, project_id, active) VALUES (?, ?, ?, ?, ?)',
    )
    flow.run('flow_1', 'conn_alpha', 'Nightly sync', 'proj_1', 1)
    flow.run('flow_2', 'conn_delta', 'Old flow', 'proj_1', 0)
    db.prepare(
      `INSERT INTO connection_policies (piece_name, project_id, type, connection_id, updated_ms)
       VALUES ('@activepieces/piece-openai', 'proj_1', 'ENFORCED_PROJECT', 'conn_alpha', ?)`,
    ).run(T0)
    db.prepare(
      `INSERT INTO sync_outbox (remote_id, connection_id, operation, payload, created_ms)
       VALUES ('remote_1', 'conn_gamma', 'upsert', '{"externalId":"ext-gamma"}', ?)`,
    ).run(T0)
    for (const id of ['conn_beta', 'conn_gamma', 'conn_delta']) {
      session.audit({
        action: 'connection.create',
        origin: 'test',
        entityType: 'app_connection',
        entityId: id,
      })
    }
  })
}

/**
 * A vault at `version` with real data: created by a v1 build and seeded, then opened (and migrated
 * step by step) by each older build up to `version`, each of which unlocked it and wrote to it.
 */
async function vaultAtVersion(version: number): Promise<string> {
  const dataDir = tempDir()
  const first = olderBuild(dataDir, migrations.slice(0, 1))
  await first.create({ password: TEST_PASSWORD, useKeychain: false }, 'test')
  seedVersion1(first.requireSession())
  first.setSettings({ autoLockMinutes: 7, lockOnSuspend: false, clipboardClearSeconds: 45 }, 'test')
  closeBuild(first)
  for (let known = 2; known <= version; known += 1) {
    const build = olderBuild(dataDir, migrations.slice(0, known))
    expect((await build.status()).state).toBe('locked')
    await build.unlock(TEST_PASSWORD, 'test')
    insertConnection(build.requireSession(), `conn_v${known}`, `secret-written-by-v${known}`, T0 + known)
    closeBuild(build)
  }
  expect(fileVersion(dataDir)).toBe(version)
  return dataDir
}

function fileVersion(dataDir: string): number {
  const db = new Database(join(dataDir, VAULT_FILE_NAME), { readonly: true })
  try {
    return schemaVersion(db)
  } finally {
    db.close()
  }
}

function schemaOf(db: Database.Database): unknown[] {
  return db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .all()
}

async function freshSchema(): Promise<unknown[]> {
  const t = createVaultTestCore({ dataDir: tempDir() })
  cores.push(t)
  await t.call('vault.create', { password: TEST_PASSWORD })
  return schemaOf(t.core.vault.requireDatabase())
}

/** Opens the data dir with this build (every migration) and checks every seeded row survived. */
async function expectDataSurvives(dataDir: string, fromVersion: number): Promise<VaultTestCore> {
  const before = new Database(join(dataDir, VAULT_FILE_NAME), { readonly: true })
  const auditCount = (before.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
  // Written before schema 8 (and not unlocked since): its log and rows get their MACs at this unlock.
  const legacy = !hasMacColumn(before) || before.prepare('SELECT 1 FROM audit_head').get() === undefined
  before.close()

  const t = createVaultTestCore({ dataDir })
  cores.push(t)
  // Migrated at open, before any unlock: the schema is plaintext.
  expect((await t.call<VaultStatus>('vault.status')).state).toBe('locked')
  expect(schemaVersion(t.core.vault.requireDatabase())).toBe(LATEST_SCHEMA_VERSION)
  expect(await t.call<Settings>('settings.get')).toMatchObject({
    autoLockMinutes: 7,
    lockOnSuspend: false,
    clipboardClearSeconds: 45,
  })
  await t.call('vault.unlock', { password: TEST_PASSWORD })
  const session = t.core.vault.requireSession()

  // the chain written before the migration still verifies, MACed at this first unlock (recorded as
  // such) and then the unlock appended after it
  expect(await t.call<AuditVerification>('audit.verify')).toEqual({
    ok: true,
    checked: auditCount + (legacy ? 2 : 1),
  })
  const remac = session.db
    .prepare("SELECT details FROM audit_log WHERE action = 'audit.remac' AND seq > ?")
    .all(auditCount) as { details: string }[]
  expect(remac.map((row) => JSON.parse(row.details) as unknown)).toEqual(
    legacy ? [{ entries: auditCount, connections: expect.any(Number) }] : [],
  )

  expect(readSecret(session, 'conn_alpha')).toBe(SECRETS.alpha)
  for (let known = 2; known <= fromVersion; known += 1) {
    expect(readSecret(session, `conn_v${known}`)).toBe(`secret-written-by-v${known}`)
  }
  expect(await t.call('connections.reveal', { id: 'conn_beta' })).toEqual({
    id: 'conn_beta',
    value: { type: 'BASIC_AUTH', username: 'beta', password: SECRETS.beta },
  })
  expect(await t.call('connections.reveal', { id: 'conn_gamma' })).toMatchObject({
    value: { type: 'OAUTH2', access_token: SECRETS.gamma },
  })
  const remote = session.db.prepare('SELECT api_key_envelope FROM remotes WHERE id = ?').get('remote_1') as {
    api_key_envelope: Buffer
  }
  expect(session.open('remote-api-key', 'remote_1', remote.api_key_envelope)).toBe(SECRETS.remote)

  const list = (input: Record<string, unknown>) =>
    t.call<Page<AppConnection>>('connections.list', { limit: 100, ...input })
  const all = await list({})
  expect(all.data).toHaveLength(4 + Math.max(0, fromVersion - 1))
  const beta = all.data.find((connection) => connection.id === 'conn_beta')!
  expect(beta).toMatchObject({
    displayName: 'Beta Mailer',
    scope: 'PLATFORM',
    status: 'ERROR',
    statusReason: 'invalid_grant',
    projectIds: ['proj_1', 'proj_2'],
    metadata: { team: 'ops' },
    preSelectForNewProjects: true,
    owner: { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' },
    hasValue: true,
    health: { tokenExpiresAt: new Date(T0 + HOUR).toISOString() },
  })
  expect(all.data.find((connection) => connection.id === 'conn_gamma')).toMatchObject({
    remoteId: 'remote_1',
    syncState: 'SYNCED',
  })
  expect(all.data.find((connection) => connection.id === 'conn_delta')).toMatchObject({
    status: 'MISSING',
    hasValue: false,
    flowIds: ['flow_2'],
  })
  expect((await t.call<AppConnection>('connections.get', { id: 'conn_alpha' })).flowIds).toEqual(['flow_1'])
  // the indexes and the full-text table answer the list's filters and sorts on migrated rows
  const byExpiry = (await list({ sort: 'expiry' })).data.map((connection) => connection.id)
  expect(byExpiry.slice(0, 2)).toEqual(['conn_gamma', 'conn_beta'])
  expect((await list({ displayName: 'sheet' })).data.map((connection) => connection.id)).toEqual([
    'conn_gamma',
  ])
  expect((await list({ projectId: 'proj_2' })).data.map((connection) => connection.id)).toEqual(['conn_beta'])
  expect((await list({ status: ['ERROR'] })).data.map((connection) => connection.id)).toEqual(['conn_beta'])
  expect(await t.call<ConnectionPolicy[]>('policies.list', {})).toEqual([
    expect.objectContaining({
      pieceName: '@activepieces/piece-openai',
      type: 'ENFORCED_PROJECT',
      connectionId: 'conn_alpha',
    }),
  ])
  expect(session.db.prepare('SELECT connection_id, operation FROM sync_outbox').all()).toEqual([
    { connection_id: 'conn_gamma', operation: 'upsert' },
  ])
  return t
}

describe('schema migrations', () => {
  it('has one migration per schema version, and a new vault is created at the latest', async () => {
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length)
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2)
    const dataDir = tempDir()
    const t = createVaultTestCore({ dataDir })
    cores.push(t)
    await t.call('vault.create', { password: TEST_PASSWORD })
    expect(schemaVersion(t.core.vault.requireDatabase())).toBe(LATEST_SCHEMA_VERSION)
  })

  it('migration 001 builds the version 1 schema on an empty file, and the v1 build stores and reads real data', async () => {
    const dataDir = tempDir()
    const v1 = olderBuild(dataDir, migrations.slice(0, 1))
    await v1.create({ password: TEST_PASSWORD, useKeychain: false }, 'test')
    expect(schemaVersion(v1.requireDatabase())).toBe(1)
    seedVersion1(v1.requireSession())
    expect(readSecret(v1.requireSession(), 'conn_alpha')).toBe(SECRETS.alpha)
    closeBuild(v1)
    expect(fileVersion(dataDir)).toBe(1)
  })

  // Every earlier version, so a new migration is tested from the version before it without a new test.
  it.each(Array.from({ length: LATEST_SCHEMA_VERSION - 1 }, (_v, i) => i + 1))(
    'opens a version %i vault with real data, migrates it to the latest, and every row survives',
    async (fromVersion) => {
      const dataDir = await vaultAtVersion(fromVersion)
      const t = await expectDataSurvives(dataDir, fromVersion)
      // the migrated schema is exactly the schema of a vault created by this build
      expect(schemaOf(t.core.vault.requireDatabase())).toEqual(await freshSchema())
      // and the vault keeps working: a new connection, and a chain that still verifies
      await t.call('connections.upsert', {
        displayName: 'After migration',
        pieceName: '@activepieces/piece-slack',
        pieceVersion: '0.1.0',
        type: 'SECRET_TEXT',
        value: { type: 'SECRET_TEXT', secret_text: 'written-after-migration' },
      })
      expect(await t.call<AuditVerification>('audit.verify')).toMatchObject({ ok: true })
      await t.core.close()
      expect(fileVersion(dataDir)).toBe(LATEST_SCHEMA_VERSION)
    },
  )

  // Migration 005 moves each sealed value into its connection's row: the same bytes, the same key
  // version, from any earlier version, and none for a connection that had none.
  it.each([1, 2, 3, 4])(
    'migration 005 moves every value from a version %i vault into its row, byte for byte',
    async (fromVersion) => {
      const dataDir = await vaultAtVersion(fromVersion)
      const file = join(dataDir, VAULT_FILE_NAME)
      const read = (sql: string) => {
        const db = new Database(file, { readonly: true })
        try {
          return db.prepare(sql).all() as { id: string; key_version: number; envelope: Buffer }[]
        } finally {
          db.close()
        }
      }
      const before = read(
        'SELECT connection_id AS id, key_version, envelope FROM connection_values ORDER BY connection_id',
      )
      expect(before.length).toBe(2 + fromVersion)
      const build = olderBuild(dataDir, migrations.slice(0, 5))
      expect((await build.status()).state).toBe('locked')
      closeBuild(build)
      expect(fileVersion(dataDir)).toBe(5)
      const after = read(
        `SELECT id, value_key_version AS key_version, value_envelope AS envelope FROM connections
         WHERE value_envelope IS NOT NULL ORDER BY id`,
      )
      expect(after).toEqual(before)
      expect(after.every((row, i) => Buffer.compare(row.envelope, before[i]!.envelope) === 0)).toBe(true)
      expect(read('SELECT id FROM connections WHERE value_envelope IS NULL')).toEqual([{ id: 'conn_delta' }])
      expect(
        read("SELECT name AS id FROM sqlite_master WHERE name = 'connection_values'").map((row) => row.id),
      ).toEqual(['connection_values'])
      await expectDataSurvives(dataDir, fromVersion)
    },
  )

  it('migration 009 links every entity’s history, a deleted connection’s too, as the old index found it', async () => {
    const dataDir = await vaultAtVersion(8)
    const v8 = olderBuild(dataDir, migrations.slice(0, 8))
    await v8.unlock(TEST_PASSWORD, 'test')
    const old = v8.requireSession()
    for (const id of ['conn_alpha', 'conn_beta', 'conn_alpha', 'remote_1', 'conn_gone', 'conn_alpha'])
      old.transaction(() => old.audit({ action: 'settings.change', origin: 'test', entityId: id }))
    old.transaction(() => old.db.prepare("DELETE FROM connections WHERE id = 'conn_beta'").run())
    const byIndex = (entityId: string) =>
      (
        old.db.prepare('SELECT seq FROM audit_log WHERE entity_id = ? ORDER BY seq DESC').all(entityId) as {
          seq: number
        }[]
      ).map((row) => row.seq)
    const entities = ['conn_alpha', 'conn_beta', 'conn_gamma', 'remote_1', 'conn_gone', 'conn_v8']
    const expected = new Map(entities.map((id) => [id, byIndex(id)]))
    closeBuild(v8)

    const t = createVaultTestCore({ dataDir })
    cores.push(t)
    await t.call('vault.unlock', { password: TEST_PASSWORD })
    for (const [entityId, seqs] of expected) {
      expect(seqs.length).toBeGreaterThan(0)
      const page = await t.call<{ data: { seq: number }[] }>('audit.list', { entityId, limit: 100 })
      expect(page.data.map((entry) => entry.seq)).toEqual(seqs)
    }
    expect(
      t.core.vault
        .requireDatabase()
        .prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_log_by_entity'")
        .get(),
    ).toBeUndefined()
    expect(await t.call<AuditVerification>('audit.verify')).toMatchObject({ ok: true })
  })

  it('after migration 005, SQL against connection_values still reads and writes the values in the rows', async () => {
    const dataDir = await vaultAtVersion(LATEST_SCHEMA_VERSION)
    const t = await expectDataSurvives(dataDir, LATEST_SCHEMA_VERSION)
    const session = t.core.vault.requireSession()
    const db = session.db
    const envelopeOf = (id: string) =>
      (
        db.prepare('SELECT value_envelope FROM connections WHERE id = ?').get(id) as {
          value_envelope: Buffer | null
        }
      ).value_envelope
    // an insert through the view fills the row's columns, and the value opens
    const sealed = session.seal(
      'connection-value',
      'conn_delta',
      JSON.stringify({ type: 'SECRET_TEXT', secret_text: 'placed' }),
    )
    db.prepare('INSERT INTO connection_values (connection_id, key_version, envelope) VALUES (?, ?, ?)').run(
      'conn_delta',
      session.keyVersion,
      sealed,
    )
    expect(envelopeOf('conn_delta')).toEqual(sealed)
    expect(readSecret(session, 'conn_delta')).toBe('placed')
    // a second value for the same connection, or one for no connection, is refused as the table refused it
    expect(() =>
      db
        .prepare('INSERT INTO connection_values (connection_id, key_version, envelope) VALUES (?, ?, ?)')
        .run('conn_delta', session.keyVersion, sealed),
    ).toThrow(/UNIQUE/)
    expect(() =>
      db
        .prepare('INSERT INTO connection_values (connection_id, key_version, envelope) VALUES (?, ?, ?)')
        .run('conn_nobody', session.keyVersion, sealed),
    ).toThrow(/FOREIGN KEY/)
    // an update and a delete through the view land in the row
    db.prepare('UPDATE connection_values SET envelope = ? WHERE connection_id = ?').run(
      Buffer.from('x'),
      'conn_delta',
    )
    expect(envelopeOf('conn_delta')).toEqual(Buffer.from('x'))
    db.prepare('DELETE FROM connection_values WHERE connection_id = ?').run('conn_delta')
    expect(envelopeOf('conn_delta')).toBeNull()
    expect((await t.call<AppConnection>('connections.get', { id: 'conn_delta' })).hasValue).toBe(false)
  })

  it('after migration 006, SQL against connection_projects still reads and writes the links in the rows', async () => {
    const dataDir = await vaultAtVersion(LATEST_SCHEMA_VERSION)
    const t = await expectDataSurvives(dataDir, LATEST_SCHEMA_VERSION)
    const db = t.core.vault.requireSession().db
    const column = (id: string) =>
      db.prepare('SELECT project_ids FROM connections WHERE id = ?').pluck().get(id) as string
    const linked = (id: string) =>
      db
        .prepare('SELECT project_id FROM connection_projects WHERE connection_id = ? ORDER BY project_id')
        .pluck()
        .all(id)
    const projectsOf = async (id: string) =>
      (await t.call<AppConnection>('connections.get', { id })).projectIds
    // the migration moved the links into the row, in byte order
    expect(JSON.parse(column('conn_beta'))).toEqual(['proj_1', 'proj_2'])
    expect(linked('conn_beta')).toEqual(['proj_1', 'proj_2'])
    // an insert through the view lands in the row, in order, once; the service and a list see it
    const insert = db.prepare('INSERT INTO connection_projects (connection_id, project_id) VALUES (?, ?)')
    insert.run('conn_beta', 'proj_0')
    insert.run('conn_beta', 'proj_0')
    expect(JSON.parse(column('conn_beta'))).toEqual(['proj_0', 'proj_1', 'proj_2'])
    expect(await projectsOf('conn_beta')).toEqual(['proj_0', 'proj_1', 'proj_2'])
    const inProject = await t.call<Page<AppConnection>>('connections.list', { projectId: 'proj_0' })
    expect(inProject.data.map((c) => c.id)).toEqual(['conn_beta'])
    // a link for no connection is refused as the table's foreign key refused it
    expect(() => insert.run('conn_nobody', 'proj_1')).toThrow(/FOREIGN KEY/)
    // an update and a delete through the view land in the row
    db.prepare(
      `UPDATE connection_projects SET project_id = 'proj_9' WHERE connection_id = 'conn_beta' AND project_id = 'proj_1'`,
    ).run()
    expect(linked('conn_beta')).toEqual(['proj_0', 'proj_2', 'proj_9'])
    db.prepare(`DELETE FROM connection_projects WHERE connection_id = 'conn_beta'`).run()
    expect(column('conn_beta')).toBe('[]')
    expect(await projectsOf('conn_beta')).toEqual([])
    // the service's own write keeps them in the same order the view does
    const written = await t.call<AppConnection>('connections.update', {
      id: 'conn_alpha',
      displayName: 'Alpha',
    })
    expect(written.projectIds).toEqual(linked('conn_alpha'))
  })

  it('opens a vault already at the latest version as it is, every row intact', async () => {
    const dataDir = await vaultAtVersion(LATEST_SCHEMA_VERSION)
    const t = await expectDataSurvives(dataDir, LATEST_SCHEMA_VERSION)
    expect(schemaOf(t.core.vault.requireDatabase())).toEqual(await freshSchema())
  })

  it('a failing migration leaves the vault at the version before it, with its data, and still openable', async () => {
    const dataDir = await vaultAtVersion(LATEST_SCHEMA_VERSION)
    const broken = olderBuild(dataDir, [
      ...migrations,
      'CREATE TABLE half_done (id INTEGER); INSERT INTO connections (id) VALUES (NULL);',
    ])
    await expect(broken.status()).rejects.toThrow()
    closeBuild(broken)
    expect(fileVersion(dataDir)).toBe(LATEST_SCHEMA_VERSION)
    const t = await expectDataSurvives(dataDir, LATEST_SCHEMA_VERSION)
    expect(
      t.core.vault.requireDatabase().prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get(),
    ).toBeUndefined()
  })

  it('a data migration sees the real rows, and one that throws part-way writes nothing', async () => {
    const dataDir = await vaultAtVersion(LATEST_SCHEMA_VERSION)
    const seen: string[] = []
    const failing: Migration = (db) => {
      db.prepare("UPDATE connections SET display_name = display_name || ' (moved)'").run()
      throw new Error('failed part-way')
    }
    const broken = olderBuild(dataDir, [...migrations, failing])
    await expect(broken.status()).rejects.toThrow(/part-way/)
    closeBuild(broken)
    expect(fileVersion(dataDir)).toBe(LATEST_SCHEMA_VERSION)

    const moving: Migration = (db) => {
      for (const row of db.prepare('SELECT id FROM connections ORDER BY id').all() as { id: string }[]) {
        seen.push(row.id)
      }
      db.exec('CREATE TABLE connection_notes (connection_id TEXT PRIMARY KEY, note TEXT)')
      db.prepare("INSERT INTO connection_notes SELECT id, 'migrated' FROM connections").run()
    }
    const next = olderBuild(dataDir, [...migrations, moving])
    expect((await next.status()).state).toBe('locked')
    expect(seen).toEqual(expect.arrayContaining(['conn_alpha', 'conn_beta', 'conn_gamma', 'conn_delta']))
    expect(schemaVersion(next.requireDatabase())).toBe(LATEST_SCHEMA_VERSION + 1)
    await next.unlock(TEST_PASSWORD, 'test')
    expect(readSecret(next.requireSession(), 'conn_alpha')).toBe(SECRETS.alpha)
    const names = next.requireDatabase().prepare('SELECT display_name FROM connections').all() as {
      display_name: string
    }[]
    expect(names.some((row) => row.display_name.includes('(moved)'))).toBe(false)
  })

  it('migrate() commits each step with its own version number', () => {
    const dataDir = tempDir()
    const db = new Database(join(dataDir, 'steps.sqlite'))
    try {
      const versions: number[] = []
      const steps: Migration[] = migrations.map((step) => (inner: Database.Database) => {
        versions.push(schemaVersion(inner))
        if (typeof step === 'string') inner.exec(step)
        else step(inner)
      })
      expect(migrate(db, steps)).toBe(LATEST_SCHEMA_VERSION)
      expect(versions).toEqual(migrations.map((_step, index) => index))
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
      // run again: nothing to do
      expect(migrate(db, steps)).toBe(LATEST_SCHEMA_VERSION)
      expect(versions).toHaveLength(LATEST_SCHEMA_VERSION)
    } finally {
      db.close()
    }
  })
})
