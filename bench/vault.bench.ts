// The vault on 100k connections: open + migrate (no KDF), unlock with the product's scrypt
// parameters, encrypt+insert throughput in one transaction, and single-secret decrypt latency.
import Database from 'better-sqlite3'
import { copyFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createConnectionsRepository } from '../src/main/connections/repository'
import { createConnectionsService } from '../src/main/connections/service'
import {
  deriveKeyFromPassword,
  newKdfDescriptor,
  PRODUCT_SCRYPT_PARAMS,
  scryptMemory,
} from '../src/main/vault/kdf'
import { LATEST_SCHEMA_VERSION, migrate, migrations } from '../src/main/vault/migrations'
import { inspectVaultFile, openVaultDatabase } from '../src/main/vault/store'
import { PRODUCT_KDF_POLICY, VAULT_FILE_NAME } from '../src/main/vault/vault-manager'
import { createGenerator, parseUpsert } from '../test/support/dataset'
import {
  BENCH_PASSWORD,
  createBenchCore,
  createRandom,
  machineInfo,
  makeTempDir,
  removeDir,
  round,
  sample,
  stats,
  writeResults,
  type LatencyStats,
} from './support/harness'
import { copyOf, sharedVault } from './support/shared-vault'

const OPEN_REPEATS = 5
const MIGRATE_REPEATS = 3
const UNLOCK_REPEATS = 5
const EXTRA_ROWS = 10_000
const REVEALS = 300

export async function run(): Promise<void> {
  const template = await sharedVault()
  const { spec } = template
  const fileBytes = statSync(template.file).size
  const scratch = makeTempDir('vault')
  const path = join(scratch, VAULT_FILE_NAME)
  try {
    // ---- open + migrate, no KDF: the store's open (inspect, WAL, migrate) on an existing file ----
    copyFileSync(template.file, path)
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
    const openLatest = stats(await sample(OPEN_REPEATS, () => openVaultDatabase({ path }).close(), 1))
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
    try {
      const { bench } = copy
      await bench.call('vault.status')
      const unlockSamples: number[] = []
      for (let i = 0; i < UNLOCK_REPEATS; i += 1) {
        const start = performance.now()
        await bench.call('vault.unlock', { password: BENCH_PASSWORD })
        unlockSamples.push(performance.now() - start)
        if (i < UNLOCK_REPEATS - 1) await bench.call('vault.lock')
      }
      unlock = stats(unlockSamples)
      const descriptor = newKdfDescriptor(PRODUCT_SCRYPT_PARAMS, randomBytes)
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
      let start = performance.now()
      session.transaction(() => {
        for (const input of inputs) {
          copy.clock.set(copy.clock.now() + 1)
          service.save(input, 'upsert', 'bench')
        }
      })
      let ms = performance.now() - start
      encrypt = { rows: EXTRA_ROWS, ms: round(ms), rowsPerSecond: round(EXTRA_ROWS / (ms / 1000), 0) }
      // The AES-GCM part alone, on the same plaintexts.
      const plaintexts = inputs.map((input) => JSON.stringify(input.value))
      start = performance.now()
      plaintexts.forEach((plaintext, i) => session.seal('connection-value', `conn_seal_${i}`, plaintext))
      ms = performance.now() - start
      sealOnly = { rows: EXTRA_ROWS, ms: round(ms), rowsPerSecond: round(EXTRA_ROWS / (ms / 1000), 0) }

      // ---- single decrypt latency ----
      const random = createRandom(99)
      const ids = Array.from(
        { length: REVEALS },
        () => template.seed.ids[Math.floor(random() * template.seed.ids.length)]!,
      )
      let index = 0
      reveal = stats(
        await sample(REVEALS, () => bench.call('connections.reveal', { id: ids[index++ % ids.length] })),
      )
      const repository = createConnectionsRepository(session.db)
      const envelopes = ids.map((id) => ({ id, envelope: repository.readValue(id)! }))
      index = 0
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
    const kdf = {
      algorithm: 'scrypt',
      ...PRODUCT_KDF_POLICY.params,
      memoryMiB: scryptMemory(PRODUCT_SCRYPT_PARAMS) / 2 ** 20,
    }
    console.log(
      `\n${info.cpuModel} × ${info.cores}, Node ${info.node}; vault of ${spec.connections.toLocaleString('en')} ` +
        `connections, ${round(fileBytes / 2 ** 20, 1)} MiB; KDF scrypt N=${kdf.N} r=${kdf.r} p=${kdf.p} (${kdf.memoryMiB} MiB). ` +
        'Files are hot in the OS page cache (copies made just before).',
    )
    const table = [
      { measure: 'inspectVaultFile (read-only checks)', ...inspect },
      { measure: '  of which PRAGMA quick_check(1)', ...quickCheck },
      { measure: 'openVaultDatabase, schema up to date', ...openLatest },
      { measure: '  migrate() alone when up to date', ...migrateNoop },
      { measure: `openVaultDatabase from schema v${previous}`, ...stats(fromPrevious) },
      { measure: `  migrate() alone from v${previous}`, ...stats(migrateOnlyFromPrevious) },
      { measure: 'startup: vault.status (lock file + open), router', ...stats(startup) },
      { measure: 'vault.unlock via router (KDF included)', ...unlock },
      { measure: '  scrypt derivation alone', ...kdfOnly },
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
      { measure: '  session.seal alone (AES-256-GCM)', ...sealOnly },
    ])
    const file = writeResults('vault', {
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
      machine: info,
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
      unlock: { viaRouter: unlock, scryptOnly: kdfOnly },
      encryptInsert: { seed: seedRate, intoFullVault: encrypt, sealOnly },
      decrypt: { revealViaRouter: reveal, sessionOpenOnly: openOnly },
    })
    console.log(`Wrote ${file}`)
  } finally {
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
  db.transaction(() => {
    const wantedNames = new Set(wanted.map((object) => object.name))
    for (const object of objects(db)) {
      if (!wantedNames.has(object.name) && object.type === 'index') db.exec(`DROP INDEX ${object.name}`)
    }
    const have = new Map(objects(db).map((object) => [object.name, object]))
    for (const object of wanted) {
      if (object.sql === null || isShadow(object.name)) continue
      const existing = have.get(object.name)
      if (existing?.sql === object.sql) continue
      if (existing && object.type === 'table') {
        db.exec(`ALTER TABLE ${object.name} RENAME TO reshape_old`)
        db.exec(object.sql)
        db.exec(`INSERT INTO ${object.name} SELECT * FROM reshape_old`)
        db.exec('DROP TABLE reshape_old')
      } else if (!existing) {
        db.exec(object.sql)
        if (virtualTables.includes(object))
          db.exec(`INSERT INTO ${object.name} (${object.name}) VALUES ('rebuild')`)
      }
    }
    db.pragma(`user_version = ${version}`)
  })()
}
