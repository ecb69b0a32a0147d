// One seeded 100k-connection vault per `npm run bench`: seeding costs about a minute on 2 cores,
// so the first bench that asks seeds it and every bench works on its own copy of the file.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { VAULT_FILE_NAME } from '../../src/main/vault/vault-manager'
import { DEFAULT_DATASET, seedDataset, type DatasetSpec, type SeedResult } from '../../test/support/dataset'
import {
  BENCH_PASSWORD,
  createBenchCore,
  createSettableClock,
  makeTempDir,
  removeDir,
  round,
  type BenchCore,
  type SettableClock,
} from './harness'

export interface SeededVault {
  spec: DatasetSpec
  seed: SeedResult
  /** vault.create with the product's KDF (one Argon2id), ms. */
  createMs: number
  /** A closed vault file (no WAL): copy it, never open it in place. */
  file: string
}

let seeded: Promise<SeededVault> | null = null

/**
 * The template vault, seeded on first use and removed when the process exits. Set
 * LATCHKEY_BENCH_VAULT_CACHE to a folder to keep it between runs (handy while tuning queries): a
 * cached vault is reused only when it was seeded from the same dataset spec.
 */
export function sharedVault(): Promise<SeededVault> {
  seeded ??= cachedOrSeeded(DEFAULT_DATASET, process.env.LATCHKEY_BENCH_VAULT_CACHE)
  return seeded
}

async function cachedOrSeeded(spec: DatasetSpec, cacheDir: string | undefined): Promise<SeededVault> {
  if (!cacheDir) return seedTemplate(spec, null)
  const manifest = join(cacheDir, 'seed.json')
  if (existsSync(manifest) && existsSync(join(cacheDir, VAULT_FILE_NAME))) {
    const cached = JSON.parse(readFileSync(manifest, 'utf8')) as Omit<SeededVault, 'file'>
    if (JSON.stringify(cached.spec) === JSON.stringify(spec)) {
      console.log(`Using the cached seeded vault in ${cacheDir}.`)
      return { ...cached, file: join(cacheDir, VAULT_FILE_NAME) }
    }
  }
  const fresh = await seedTemplate(spec, cacheDir)
  const { file: _file, ...rest } = fresh
  writeFileSync(manifest, JSON.stringify(rest))
  return fresh
}

async function seedTemplate(spec: DatasetSpec, keepIn: string | null): Promise<SeededVault> {
  let dataDir: string
  if (keepIn) {
    mkdirSync(keepIn, { recursive: true })
    removeDir(join(keepIn, VAULT_FILE_NAME))
    dataDir = keepIn
  } else {
    const temporary = makeTempDir('template')
    process.on('exit', () => removeDir(temporary))
    dataDir = temporary
  }
  const clock = createSettableClock(Date.UTC(2025, 0, 1))
  const bench = createBenchCore({ dataDir, clock })
  try {
    const createStart = performance.now()
    await bench.call('vault.create', { password: BENCH_PASSWORD })
    const createMs = performance.now() - createStart
    console.log(`Seeding ${spec.connections.toLocaleString('en')} connections (one transaction)…`)
    const seed = seedDataset(bench.core.vault.requireSession(), clock, spec)
    console.log(
      `Seeded in ${round(seed.insertMs / 1000, 1)} s (${Math.round(seed.rowsPerSecond)} rows/s; ` +
        `input validation ${round(seed.validateMs / 1000, 1)} s, not included).`,
    )
    return { spec, seed, createMs, file: join(dataDir, VAULT_FILE_NAME) }
  } finally {
    await bench.close()
  }
}

export interface VaultCopy {
  bench: BenchCore
  clock: SettableClock
  dataDir: string
  dispose(): Promise<void>
}

/** A fresh copy of the template in its own temp dir, with a core on it (still locked). */
export function copyOf(template: SeededVault, label: string): VaultCopy {
  const dataDir = makeTempDir(label)
  copyFileSync(template.file, join(dataDir, VAULT_FILE_NAME))
  if (existsSync(`${template.file}-wal`)) throw new Error('The template vault was not closed cleanly.')
  // Later than every seeded row, so new writes sort first by update time.
  const clock = createSettableClock(template.seed.lastMs + 60_000)
  const bench = createBenchCore({ dataDir, clock })
  return {
    bench,
    clock,
    dataDir,
    async dispose() {
      await bench.close()
      removeDir(dataDir)
    },
  }
}
