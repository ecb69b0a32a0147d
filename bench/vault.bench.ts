// The vault on 100k connections: open + migrate (no KDF), unlock with the product's KDF (Argon2id)
// parameters, encrypt+insert throughput in one transaction, and single-secret decrypt latency.
// Beside each, interleaved, its floor (support/floor.ts): the same work with the raw parts.
import Database from 'better-sqlite3'
import { copyFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createDecipheriv, randomBytes } from 'node:crypto'
import { createConnectionsRepository } from '../src/main/connections/repository'
import { createConnectionsService } from '../src/main/connections/service'
import {
  deriveKeyFromPassword,
  describeKdf,
  newKdfDescriptor,
  PRODUCT_KDF_CHOICE,
} from '../src/main/vault/kdf'
import { LATEST_SCHEMA_VERSION, migrate, migrations } from '../src/main/vault/migrations'
import { inspectVaultFile, openVaultDatabase } from '../src/main/vault/store'
import { PRODUCT_KDF_POLICY, VAULT_FILE_NAME } from '../src/main/vault/vault-manager'
import { createGenerator, parseUpsert } from '../test/support/dataset'
import { createFloor, type FloorItem } from './support/floor'
import {
  BENCH_PASSWORD,
  createBenchCore,
  createRandom,
  interleave,
  measure,
  type BenchRun,
  makeTempDir,
  removeDir,
  round,
  sample,
  stats,
  machineInfo,
  type LatencyStats,
} from './support/harness'
import { copyOf, sharedVault } from './support/shared-vault'

const OPEN_REPEATS = 5
const MIGRATE_REPEATS = 3
const UNLOCK_REPEATS = 5
const EXTRA_ROWS = 10_000
const REVEALS = 300

const FLOOR_ROUNDS = 5

export async function run(): Promise<BenchRun> {
  const template = await sharedVault()
  const { spec } = template
  const fileBytes = statSync(template.file).size
  const scratch = makeTempDir('vault')
  const path = join(scratch, VAULT_FILE_NAME)
  const floorDir = makeTempDir('vault-floor')
  const floor = createFloor(floorDir, spec)
  try {
    // ---- open + migrate, no KDF: the store's open (inspect, WAL, migrate) on an existing file ----
    copyFileSync(template.file, path)
    // Its floor: the same file opened raw with the vault's pragmas and the same quick_check.
    const openTimes = await interleave(
      OPEN_REPEATS,
      () => openVaultDatabase({ path }).close(),
      () => {
        const db = new Database(path)
        db.pragma('quick_check(1)')
        db.pragma('locking_mode = EXCLUSIVE')
        db.pragma('journal_mode = WAL')
        db.pragma('synchronous = FULL')
        db.close()
      },
    )
    const inspect = stats(await sample(OPEN_REPEATS, () => inspectVaultFile({ path }), 1))
    const quickCheck = stats(
      await sample(
        OPEN_REPEATS,
        () => {
          const db = new Database(path, { readonly: true })
          db.pragma('quick_check(1)')
          db.close()
        },
        1,
      ),
    )
    const openLatest = stats(openTimes.latchkey)
    const openFloor = stats(openTimes.floor)
    const migrateNoopSamples: number[] = []
    for (let i = 0; i < OPEN_REPEATS; i += 1) {
      const db = openVaultDatabase({ path })
      const start = performance.now()
      migrate(db)
      migrateNoopSamples.push(performance.now() - start)
      db.close()
    }
    const migrateNoop = stats(migrateNoopSamples)

    // From the previous schema: a copy of the 100k vault put back into that schema's shape (its
    // objects as that schema defined them, data kept), then the open that migrates it.
    const previous = LATEST_SCHEMA_VERSION - 1
    const fromPrevious: number[] = []
    const migrateOnlyFromPrevious: number[] = []
    for (let i = 0; i < MIGRATE_REPEATS; i += 1) {
      copyFileSync(template.file, path)
      const db = new Database(path)
      reshapeToSchema(db, previous)
      db.close()
      const start = performance.now()
      openVaultDatabase({ path }).close()
      fromPrevious.push(performance.now() - start)
      const again = new Database(path)
      reshapeToSchema(again, previous)
      const migrateStart = performance.now()
      migrate(again)
      migrateOnlyFromPrevious.push(performance.now() - migrateStart)
      again.close()
    }

    // The product's own path at startup: owner lock + inspect + open + migrate, via vault.status.
    const startup: number[] = []
    for (let i = 0; i < OPEN_REPEATS; i += 1) {
      copyFileSync(template.file, path)
      const bench = createBenchCore({ dataDir: scratch })
      const start = performance.now()
      const status = await bench.call<{ state: string }>('vault.status')
      startup.push(performance.now() - start)
      if (status.state !== 'locked') throw new Error(`expected a locked vault, got ${status.state}`)
      await bench.close()
    }

    // ---- unlock (KDF included), product parameters ----
    const copy = copyOf(template, 'vault-unlock')
    let unlock: LatencyStats
    let kdfOnly: LatencyStats
    let encrypt: { rows: number; ms: number; rowsPerSecond: number }
    let sealOnly: { rows: number; ms: number; rowsPerSecond: number }
    let reveal: LatencyStats
    let openOnly: LatencyStats
    let unlockFloor: LatencyStats
    let encryptFloor: { rows: number; ms: number; rowsPerSecond: number }
    let revealFloor: LatencyStats
    try {
      const { bench } = copy
      await bench.call('vault.status')
      // Its floor: the same KDF, then one AES-256-GCM open of a 32-byte wrapped key.
      const descriptor = newKdfDescriptor(PRODUCT_KDF_CHOICE, randomBytes)
      const unlockTimes = await interleave(
        UNLOCK_REPEATS,
        async (i) => {
          if (i > 0) await bench.call('vault.lock')
          await bench.call('vault.unlock', { password: BENCH_PASSWORD })
        },
        async () => {
          const key = await deriveKeyFromPassword(BENCH_PASSWORD, descriptor)
          const decipher = createDecipheriv('aes-256-gcm', key, Buffer.alloc(12))
          decipher.setAuthTag(Buffer.alloc(16))
          decipher.update(Buffer.alloc(32))
          try {
            decipher.final()
          } catch {
            // A made-up tag fails authentication; the work is done either way.
          }
        },
      )
      const unlockSamples = unlockTimes.latchkey
      unlock = stats(unlockSamples)
      unlockFloor = stats(unlockTimes.floor)
      kdfOnly = stats(await sample(3, () => deriveKeyFromPassword(BENCH_PASSWORD, descriptor), 0))

      // ---- encrypt + insert, one transaction, into the 100k vault ----
      const session = bench.core.vault.requireSession()
      const service = createConnectionsService({
        session: () => session,
        clock: copy.clock,
        random: randomBytes,
      })
      const generate = createGenerator({ ...spec, seed: spec.seed + 7 })
      const inputs = Array.from({ length: EXTRA_ROWS }, (_value, i) => {
        const { raw } = generate(i)
        return parseUpsert({ ...raw, externalId: `extra_${i}` })
      })
      // In FLOOR_ROUNDS transactions each, Latchkey's and the floor's in turns.
      const perRound = EXTRA_ROWS / FLOOR_ROUNDS
      const floorInputs: FloorItem[] = inputs.map((_input, i) =>
        floor.item(spec.connections + i, `extra_${i}`),
      )
      const insertTimes = await interleave(
        FLOOR_ROUNDS,
        (round) =>
          session.transaction(() => {
            for (const input of inputs.slice(round * perRound, (round + 1) * perRound)) {
              copy.clock.set(copy.clock.now() + 1)
              service.save(input, 'upsert', 'bench')
            }
          }),
        (round) => floor.upsertBatch(floorInputs.slice(round * perRound, (round + 1) * perRound)),
      )
      const total = (times: number[]) => times.reduce((sum, value) => sum + value, 0)
      let ms = total(insertTimes.latchkey)
      encrypt = { rows: EXTRA_ROWS, ms: round(ms), rowsPerSecond: round(EXTRA_ROWS / (ms / 1000), 0) }
      const floorMs = total(insertTimes.floor)
      encryptFloor = {
        rows: EXTRA_ROWS,
        ms: round(floorMs),
        rowsPerSecond: round(EXTRA_ROWS / (floorMs / 1000), 0),
      }
      // The AES-GCM part alone, on the same plaintexts.
      const plaintexts = inputs.map((input) => JSON.stringify(input.value))
      const start = performance.now()
      plaintexts.forEach((plaintext, i) => session.seal('connection-value', `conn_seal_${i}`, plaintext))
      ms = performance.now() - start
      sealOnly = { rows: EXTRA_ROWS, ms: round(ms), rowsPerSecond: round(EXTRA_ROWS / (ms / 1000), 0) }

      // ---- single decrypt latency ----
      const random = createRandom(99)
      const ids = Array.from(
        { length: REVEALS },
        () => template.seed.ids[Math.floor(random() * template.seed.ids.length)]!,
      )
      const floorIds = ids.map((_id, i) => floor.idOf(floor.seededKey((i * 7919) % spec.connections)))
      // Warm both, then in turns.
      for (let i = 0; i < 5; i += 1) {
        await bench.call('connections.reveal', { id: ids[i] })
        floor.reveal(floorIds[i]!)
      }
      const revealTimes = await interleave(
        REVEALS,
        (i) => bench.call('connections.reveal', { id: ids[i] }),
        (i) => floor.reveal(floorIds[i]!),
      )
      reveal = stats(revealTimes.latchkey)
      revealFloor = stats(revealTimes.floor)
      const repository = createConnectionsRepository(session.db)
      const envelopes = ids.map((id) => ({ id, envelope: repository.readValue(id)! }))
      let index = 0
      openOnly = stats(
        await sample(REVEALS, () => {
          const { id, envelope } = envelopes[index++ % envelopes.length]!
          session.open('connection-value', id, envelope)
        }),
      )
    } finally {
      await copy.dispose()
    }

    // ---- report ----
    const info = machineInfo()
    const kdf = PRODUCT_KDF_POLICY.params
    const kdfWords = describeKdf(kdf)
    console.log(
      `\n${info.cpuModel} × ${info.cores}, Node ${info.node}; vault of ${spec.connections.toLocaleString('en')} ` +
        `connections, ${round(fileBytes / 2 ** 20, 1)} MiB; KDF ${kdfWords}. ` +
        'Files are hot in the OS page cache (copies made just before).',
    )
    const table = [
      { measure: 'floor: raw open + same pragmas + quick_check(1)', ...openFloor },
      { measure: 'floor: the KDF + one AES-GCM open', ...unlockFloor },
      { measure: 'floor: reveal (raw read + AES-GCM open + audit commit)', ...revealFloor },
      { measure: 'inspectVaultFile (read-only checks)', ...inspect },
      { measure: '  of which PRAGMA quick_check(1)', ...quickCheck },
      { measure: 'openVaultDatabase, schema up to date', ...openLatest },
      { measure: '  migrate() alone when up to date', ...migrateNoop },
      { measure: `openVaultDatabase from schema v${previous}`, ...stats(fromPrevious) },
      { measure: `  migrate() alone from v${previous}`, ...stats(migrateOnlyFromPrevious) },
      { measure: 'startup: vault.status (lock file + open), router', ...stats(startup) },
      { measure: 'vault.unlock via router (KDF included)', ...unlock },
      { measure: '  KDF derivation alone', ...kdfOnly },
      { measure: 'connections.reveal via router (+ audit commit)', ...reveal },
      { measure: '  session.open alone (AES-256-GCM)', ...openOnly },
    ]
    console.log('\nLatency, ms')
    console.table(table)
    const seedRate = {
      rows: template.seed.rows,
      ms: round(template.seed.insertMs),
      rowsPerSecond: round(template.seed.rowsPerSecond, 0),
    }
    console.log('\nEncrypt + insert throughput (connections service, one transaction)')
    console.table([
      { measure: `seed: 0 → ${spec.connections.toLocaleString('en')} rows`, ...seedRate },
      { measure: `${EXTRA_ROWS.toLocaleString('en')} more rows into the 100k vault`, ...encrypt },
      { measure: '  floor: same rows, raw parts, interleaved', ...encryptFloor },
      { measure: '  session.seal alone (AES-256-GCM)', ...sealOnly },
    ])
    const details = {
      parameters: {
        connections: spec.connections,
        pieces: spec.pieces,
        vaultFileMiB: round(fileBytes / 2 ** 20, 1),
        kdf,
        openRepeats: OPEN_REPEATS,
        migrateRepeats: MIGRATE_REPEATS,
        unlockRepeats: UNLOCK_REPEATS,
        extraRows: EXTRA_ROWS,
        reveals: REVEALS,
        note: 'Vault files are hot in the OS page cache; cold-start opens will be slower.',
      },
      openMigrate: {
        inspectVaultFile: inspect,
        quickCheck,
        openVaultDatabaseUpToDate: openLatest,
        migrateNoop,
        migratedFromSchema: previous,
        openVaultDatabaseFromPrevious: stats(fromPrevious),
        migrateOnlyFromPrevious: stats(migrateOnlyFromPrevious),
        startupVaultStatus: stats(startup),
      },
      unlock: { viaRouter: unlock, kdfOnly },
      encryptInsert: { seed: seedRate, intoFullVault: encrypt, sealOnly },
      decrypt: { revealViaRouter: reveal, sessionOpenOnly: openOnly },
      floor: {
        seededRowsPerSecond: round(floor.seededRowsPerSecond, 0),
        open: openFloor,
        unlock: unlockFloor,
        encryptInsert: encryptFloor,
        reveal: revealFloor,
      },
    }
    const measures = [
      measure('vault open, schema up to date (p50)', 'ms', openLatest.p50Ms, openFloor.p50Ms),
      measure(`first open from schema v${previous} (migration, p50)`, 'ms', stats(fromPrevious).p50Ms, null),
      measure(`unlock, ${kdfWords} included (p50)`, 'ms', unlock.p50Ms, unlockFloor.p50Ms),
      measure('reveal: decrypt + audit commit (p50)', 'ms', reveal.p50Ms, revealFloor.p50Ms),
      measure(
        `encrypt + insert ${EXTRA_ROWS.toLocaleString('en')} rows into the 100k vault`,
        'per s',
        encrypt.rowsPerSecond,
        encryptFloor.rowsPerSecond,
      ),
    ]
    return { measures, details }
  } finally {
    floor.close()
    removeDir(floorDir)
    removeDir(scratch)
  }
}

/** Schema objects that migrations after v1 add, found by applying v1 alone to an empty database. */
/**
 * Gives a vault at the latest schema the shape of schema `version`, keeping its data: every object
 * that schema has and the file lacks (or holds under other SQL) is created from that schema's own
 * SQL, tables rebuilt with their rows, and what the file has beyond it dropped. FTS5 tables are
 * filled from their content table. Only for timing a migration on a large vault.
 */
function reshapeToSchema(db: Database.Database, version: number): void {
  type SchemaObject = { type: string; name: string; tbl_name: string; sql: string | null }
  const objects = (target: Database.Database) =>
    target
      .prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY rowid",
      )
      .all() as SchemaObject[]
  const reference = new Database(':memory:')
  migrate(reference, migrations.slice(0, version))
  const wanted = objects(reference)
  reference.close()
  const virtualTables = wanted.filter((object) => object.sql?.startsWith('CREATE VIRTUAL TABLE'))
  const isShadow = (name: string) => virtualTables.some((table) => name.startsWith(`${table.name}_`))
  db.pragma('foreign_keys = OFF')
  // A table renamed aside and rebuilt must not drag views and triggers along (SQLite ≥ 3.26
  // rewrites their references to the renamed table, which is then dropped).
  db.pragma('legacy_alter_table = ON')
  db.transaction(() => {
    // Before schema 5 a value lived in its own table: take it out of the row again.
    const valuesView = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'connection_values'")
      .get()
    if (version < 5 && valuesView) {
      db.exec(`
        DROP VIEW connection_values;
        CREATE TABLE connection_values (connection_id TEXT PRIMARY KEY, key_version INTEGER NOT NULL,
          envelope BLOB NOT NULL) WITHOUT ROWID;
        INSERT INTO connection_values SELECT id, value_key_version, value_envelope FROM connections
          WHERE value_envelope IS NOT NULL;
        ALTER TABLE connections DROP COLUMN value_envelope;
        ALTER TABLE connections DROP COLUMN value_key_version;`)
    }
    const wantedNames = new Set(wanted.map((object) => object.name))
    for (const object of objects(db)) {
      if (!wantedNames.has(object.name) && object.type === 'index') db.exec(`DROP INDEX ${object.name}`)
    }
    // What later schemas added (views, triggers, then tables: sync state, the audit head…) goes too.
    for (const type of ['trigger', 'view', 'table']) {
      for (const object of objects(db)) {
        if (object.type !== type || wantedNames.has(object.name) || isShadow(object.name)) continue
        db.exec(`DROP ${type.toUpperCase()} IF EXISTS ${object.name}`)
      }
    }
    const have = new Map(objects(db).map((object) => [object.name, object]))
    for (const object of wanted) {
      if (object.sql === null || isShadow(object.name)) continue
      const existing = have.get(object.name)
      if (existing?.sql === object.sql) continue
      if (existing && object.type === 'table') {
        db.exec(`ALTER TABLE ${object.name} RENAME TO reshape_old`)
        db.exec(object.sql)
        // The older table may lack columns a later migration added (vault_header in schema 8):
        // copy the columns both have, by name.
        const columns = (table: string) =>
          (db.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name)
        const kept = new Set(columns('reshape_old'))
        const shared = columns(object.name)
          .filter((name) => kept.has(name))
          .join(', ')
        db.exec(`INSERT INTO ${object.name} (${shared}) SELECT ${shared} FROM reshape_old`)
        db.exec('DROP TABLE reshape_old')
      } else if (!existing) {
        db.exec(object.sql)
        if (virtualTables.includes(object))
          db.exec(`INSERT INTO ${object.name} (${object.name}) VALUES ('rebuild')`)
      }
    }
    // A rebuilt table took its indexes and triggers with it when the old copy was dropped.
    const present = new Set(objects(db).map((object) => object.name))
    for (const object of wanted) {
      if (object.sql === null || isShadow(object.name) || present.has(object.name)) continue
      if (object.type === 'index' || object.type === 'trigger') db.exec(object.sql)
    }
    db.pragma(`user_version = ${version}`)
  })()
}
