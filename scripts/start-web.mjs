// `npm run start:web -- [--data-dir DIR] [--port N] [--no-open]`
// Builds the app when the build is missing or older than its sources, then runs browser mode.
// Build output goes to stderr so that stdout carries exactly one line: the URL.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'out', 'main', 'browser-mode.js')
const outputs = [entry, join(root, 'out', 'renderer', 'index.html'), join(root, 'out', 'preload', 'index.js')]
const inputs = ['src', 'electron.vite.config.ts', 'package.json', 'tsconfig.base.json']

function newestMtime(path) {
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

function buildIsStale() {
  if (!outputs.every((file) => existsSync(file))) return true
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs))
  return inputs.some((input) => existsSync(join(root, input)) && newestMtime(join(root, input)) > built)
}

if (buildIsStale()) {
  process.stderr.write('Building Latchkey…\n')
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', process.stderr, process.stderr],
    },
  )
  if (build.status !== 0) {
    process.stderr.write('The build failed; see above.\n')
    process.exit(build.status ?? 1)
  }
}

await import(entry)
