// Shared plumbing for the benchmarks: a real core on a temp data dir, a clock the seed can move,
// timing and percentiles, and the results file. Nothing here measures anything by itself.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
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
    openExternal: () => Promise.reject(new Error('Benchmarks open no browser.')),
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

/**
 * The disk's fsync latency, measured where the benchmarks keep their vaults (the OS temp folder):
 * a 4 KiB write and an fsync, repeated. Every commit pays one or two of these, so a slow disk moves
 * every write figure; the floor pays them too.
 */
export function measureFsync(rounds = 100): LatencyStats {
  const dir = makeTempDir('fsync')
  const fd = openSync(join(dir, 'probe'), 'w')
  const block = Buffer.alloc(4096, 1)
  const samples: number[] = []
  try {
    for (let i = 0; i < rounds; i += 1) {
      const start = performance.now()
      writeSync(fd, block, 0, block.length, (i % 16) * block.length)
      fsyncSync(fd)
      samples.push(performance.now() - start)
    }
  } finally {
    closeSync(fd)
    removeDir(dir)
  }
  return stats(samples)
}

/**
 * Latchkey and its floor in turns (A B A B …), each call timed: a slow minute of a shared machine
 * lands on both, so their ratio holds when the absolute figures move.
 */
export async function interleave(
  rounds: number,
  latchkey: (round: number) => unknown,
  floor: (round: number) => unknown,
): Promise<{ latchkey: number[]; floor: number[] }> {
  const times = { latchkey: [] as number[], floor: [] as number[] }
  for (let round = 0; round < rounds; round += 1) {
    let start = performance.now()
    await latchkey(round)
    times.latchkey.push(performance.now() - start)
    start = performance.now()
    await floor(round)
    times.floor.push(performance.now() - start)
  }
  return times
}

export type Target = { kind: 'ratio at least'; value: number } | { kind: 'at most ms'; value: number }

/** One figure of a run: Latchkey's, the floor's beside it, and their ratio. */
export interface Measure {
  measure: string
  unit: 'per s' | 'ms'
  latchkey: number
  floor: number | null
  /** Latchkey's speed as a fraction of the floor's: per s, latchkey / floor; ms, floor / latchkey. */
  ratio: number | null
  target: Target | null
  met: boolean | null
}

export function measure(
  name: string,
  unit: Measure['unit'],
  latchkey: number,
  floor: number | null,
  target: Target | null = null,
): Measure {
  const ratio =
    floor === null ? null : round(unit === 'per s' ? latchkey / floor : floor / Math.max(latchkey, 1e-6), 3)
  const met =
    target === null
      ? null
      : target.kind === 'ratio at least'
        ? ratio !== null && ratio >= target.value
        : latchkey <= target.value
  return {
    measure: name,
    unit,
    latchkey: round(latchkey),
    floor: floor === null ? null : round(floor),
    ratio,
    target,
    met,
  }
}

export const ratioTarget = (value: number): Target => ({ kind: 'ratio at least', value })
/** A latency a person feels: absolute, whatever the floor. */
export const atMostMs = (value: number): Target => ({ kind: 'at most ms', value })

/** What a bench file's run() answers: its figures, and everything else it measured. */
export interface BenchRun {
  measures: Measure[]
  details: Record<string, unknown>
}

export interface Spread {
  min: number
  median: number
  max: number
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  const median =
    sorted.length % 2 === 1
      ? sorted[(sorted.length - 1) / 2]!
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
  return { min: round(sorted[0] ?? NaN), median: round(median), max: round(sorted.at(-1) ?? NaN) }
}

export interface MeasureSummary {
  measure: string
  unit: Measure['unit']
  latchkey: Spread
  floor: Spread | null
  ratio: Spread | null
  target: Target | null
  /** Runs that met the target, of `runs`. */
  met: number | null
  runs: number
}

/** Every measure across runs: min, median and max of each side and of the ratio. */
export function summarize(runs: readonly BenchRun[]): MeasureSummary[] {
  const names = [...new Set(runs.flatMap((run) => run.measures.map((entry) => entry.measure)))]
  return names.map((name) => {
    const entries = runs.flatMap((run) => run.measures.filter((entry) => entry.measure === name))
    const floors = entries.flatMap((entry) => (entry.floor === null ? [] : [entry.floor]))
    const ratios = entries.flatMap((entry) => (entry.ratio === null ? [] : [entry.ratio]))
    const first = entries[0]!
    return {
      measure: name,
      unit: first.unit,
      latchkey: spread(entries.map((entry) => entry.latchkey)),
      floor: floors.length > 0 ? spread(floors) : null,
      ratio: ratios.length > 0 ? spread(ratios) : null,
      target: first.target,
      met: first.target === null ? null : entries.filter((entry) => entry.met).length,
      runs: entries.length,
    }
  })
}

export function describeTarget(target: Target | null): string {
  if (target === null) return '—'
  return target.kind === 'ratio at least' ? `≥ ${target.value}× floor` : `≤ ${target.value} ms`
}

/** The table the README shows: ratios first, then each side, the target and how often it held. */
export function printSummary(summary: readonly MeasureSummary[]): void {
  const range = (value: Spread | null) =>
    value === null
      ? '—'
      : value.min === value.max
        ? `${value.median}`
        : `${value.min}–${value.median}–${value.max}`
  console.table(
    summary.map((entry) => ({
      measure: entry.measure,
      'ratio min–median–max': range(entry.ratio),
      [`Latchkey (median)`]: `${entry.latchkey.median} ${entry.unit}`,
      'floor (median)': entry.floor === null ? '—' : `${entry.floor.median} ${entry.unit}`,
      target: describeTarget(entry.target),
      met: entry.met === null ? '—' : `${entry.met} of ${entry.runs}`,
    })),
  )
}
