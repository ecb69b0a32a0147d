// `npm run bench [-- --runs N] [names…]`: runs every bench/*.bench.ts (or those whose names start
// with one of `names`) N times in turn (default 1). Each run answers Latchkey's figures beside
// their floors; after the last run this prints every measure's spread over the runs (min, median,
// max) and how many runs met its target, and writes bench/results/<name>.json. Benchmarks
// measure; they never fail on a number.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  machineInfo,
  measureFsync,
  printSummary,
  summarize,
  writeResults,
  type BenchRun,
} from './support/harness'

function parseArguments(argv: readonly string[]): { runs: number; only: string[] } {
  let runs = 1
  const only: string[] = []
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i]!
    if (argument === '--runs' || argument.startsWith('--runs=')) {
      const value = argument.includes('=') ? argument.split('=')[1] : argv[(i += 1)]
      runs = Number(value)
      if (!Number.isInteger(runs) || runs < 1)
        throw new Error(`--runs wants a whole number ≥ 1, not ${value}`)
    } else only.push(argument)
  }
  return { runs, only }
}

const { runs, only } = parseArguments(process.argv.slice(2))
const files = readdirSync(__dirname)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.startsWith(wanted)))
  .sort()

async function main(): Promise<void> {
  if (files.length === 0) console.log('No benchmarks yet.')
  // Once, before any bench writes: what every commit on this disk costs at the moment.
  const fsync = measureFsync()
  const machine = { ...machineInfo(), fsyncMs: fsync }
  console.log(
    `${machine.cpuModel} × ${machine.cores}; fsync of 4 KiB in ${machine.tmpdir}: p50 ${fsync.p50Ms} ms, p95 ${fsync.p95Ms} ms`,
  )
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '')
    const module = (await import(pathToFileURL(join(__dirname, file)).href)) as {
      run?: () => Promise<BenchRun | void>
    }
    if (typeof module.run !== 'function') continue
    const results: BenchRun[] = []
    for (let index = 0; index < runs; index += 1) {
      console.log(`\n## ${file}, run ${index + 1} of ${runs}`)
      const result = await module.run()
      if (result) results.push(result)
    }
    if (results.length === 0) continue
    const summary = summarize(results)
    console.log(`\n## ${file}: ${runs} run${runs === 1 ? '' : 's'}, spread over runs`)
    printSummary(summary)
    const written = writeResults(name, {
      machine,
      runs,
      note: 'ratio = Latchkey speed / floor speed (per s: Latchkey ÷ floor; ms: floor ÷ Latchkey).',
      summary,
      perRun: results.map((result) => ({ measures: result.measures, ...result.details })),
    })
    console.log(`Wrote ${written}`)
  }
}

void main()
