// `npm run bench`: runs every bench/*.bench.ts in turn. Each prints a table and writes
// bench/results/<name>.json. Benchmarks measure; they never fail on a number.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const only = process.argv.slice(2)
const files = readdirSync(__dirname)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.startsWith(wanted)))
  .sort()

async function main(): Promise<void> {
  if (files.length === 0) console.log('No benchmarks yet.')
  for (const file of files) {
    console.log(`\n## ${file}`)
    const module = (await import(pathToFileURL(join(__dirname, file)).href)) as { run?: () => Promise<void> }
    if (typeof module.run === 'function') await module.run()
  }
}

void main()
