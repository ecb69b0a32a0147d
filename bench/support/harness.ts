// Shared plumbing for the benchmarks: a real core on a temp data dir, a clock the seed can move,
// timing and percentiles, and the results file. Nothing here measures anything by itself.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, platform, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createListIndexes, type ListIndexes } from '../../src/main/connections/list-index-source'
import { createCore, type LatchkeyCore } from '../../src/main/core'
import type { Clock } from '../../src/main/adapters/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { createUnavailableKeeper } from '../../src/main/platform/unavailable-keeper'
import { PRODUCT_KDF_POLICY, type VaultKdfPolicy } from '../../src/main/vault/vault-manager'

// The seed's clock, password and PRNG are shared with the end-to-end tests, which seed the same vault.
export { createRandom } from '../../test/support/dataset'
export {
  createSettableClock,
  SEED_PASSWORD as BENCH_PASSWORD,
  type SettableClock,
} from '../../test/support/seed-core'
export const BENCH_CONTEXT = { origin: 'bench' }

export interface BenchCore {
  core: LatchkeyCore
  /** The core's in-memory connections list, read in the background after the first list call. */
  listIndexes: ListIndexes
  /** Waits (letting the event loop turn, as a host's IPC does) until that list is read; ms waited. */
  listReady(): Promise<number>
  dataDir: string
  /** Through the router, as a host would call it; throws the contract's error object. */
  call<T = unknown>(name: string, input?: unknown): Promise<T>
  close(): Promise<void>
}

/** A real core as a host builds it, with no keychain and the product's KDF unless told otherwise. */
export function createBenchCore(options: {
  dataDir: string
  clock?: Clock
  kdf?: VaultKdfPolicy
}): BenchCore {
  const listIndexes = createListIndexes()
  const core = createCore({
    listIndexes,
    identity: { name: 'Latchkey', version: '0.0.0-bench', host: 'browser' },
    dataDir: options.dataDir,
    logger: silentLogger,
    clock: options.clock,
    vaultKdf: options.kdf ?? PRODUCT_KDF_POLICY,
    secretKeeper: createUnavailableKeeper('Benchmarks run without a keychain.'),
    detectSuspendByClock: false,
  })
  return {
    core,
    listIndexes,
    async listReady() {
      const start = performance.now()
      while (!listIndexes.stats().ready) await new Promise((resolve) => setImmediate(resolve))
      return performance.now() - start
    },
    dataDir: options.dataDir,
    async call<T>(name: string, input: unknown = {}) {
      const result = await core.router.dispatch(name, input, BENCH_CONTEXT)
      if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
      return result.value as T
    },
    close: () => core.close(),
  }
}

export function makeTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `latchkey-bench-${label}-`))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

export function now(): number {
  return performance.now()
}

export interface LatencyStats {
  n: number
  p50Ms: number
  p95Ms: number
  maxMs: number
  meanMs: number
}

/** Nearest-rank percentile of already-sorted samples. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

export function stats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b)
  const sum = sorted.reduce((total, value) => total + value, 0)
  return {
    n: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.at(-1) ?? NaN),
    meanMs: round(sum / Math.max(1, sorted.length)),
  }
}

/** Runs `work` `warmup` times unmeasured, then `n` times measured one by one. */
export async function sample(
  n: number,
  work: () => Promise<unknown> | unknown,
  warmup = 5,
): Promise<number[]> {
  for (let i = 0; i < warmup; i += 1) await work()
  const samples: number[] = []
  for (let i = 0; i < n; i += 1) {
    const start = performance.now()
    await work()
    samples.push(performance.now() - start)
  }
  return samples
}

export function round(value: number, digits = 3): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

export function machineInfo() {
  const cpuList = cpus()
  return {
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    totalMemoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${platform()} ${release()}`,
    arch: process.arch,
    tmpdir: tmpdir(),
  }
}

/** Writes bench/results/<name>.json (the folder is created when missing). */
export function writeResults(name: string, data: Record<string, unknown>): string {
  const dir = join(__dirname, '..', 'results')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.json`)
  writeFileSync(file, `${JSON.stringify({ generatedAt: new Date().toISOString(), ...data }, null, 2)}\n`)
  return file
}
