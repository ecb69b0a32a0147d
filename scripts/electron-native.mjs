// Builds better-sqlite3 for the installed Electron's ABI, apart from node_modules.
//
// node_modules/better-sqlite3 stays built for plain Node: the tests and browser mode load it, and
// they must never depend on an Electron build. The desktop app instead loads the copy this script
// writes to .cache/electron-native/<electron version>/better_sqlite3.node (passed to better-sqlite3
// as `nativeBinding`). It first asks prebuild-install for a published Electron binary, then falls
// back to compiling against Electron's headers with node-gyp. Both need the network the first time;
// afterwards the file is reused until Electron's version changes.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync, copyFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))
const electronVersion = require('electron/package.json').version
const cacheDir = join(root, '.cache', 'electron-native', electronVersion)
const target = join(cacheDir, 'better_sqlite3.node')
const packagedCopy = join(root, '.cache', 'electron-native', 'current', 'better_sqlite3.node')

function publish() {
  mkdirSync(dirname(packagedCopy), { recursive: true })
  copyFileSync(target, packagedCopy)
}

if (existsSync(target)) {
  publish()
  process.exit(0)
}

const sourceDir = dirname(require.resolve('better-sqlite3/package.json'))
const workDir = join(cacheDir, 'better-sqlite3')
rmSync(workDir, { recursive: true, force: true })
cpSync(sourceDir, workDir, {
  recursive: true,
  filter: (path) => !path.includes(`${join(sourceDir, 'build')}`),
})

// This machine's npm config may point node-gyp at Node's own headers; Electron needs its own.
const env = { ...process.env }
for (const key of Object.keys(env))
  if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete env[key]

function run(command, args) {
  process.stderr.write(`> ${[command, ...args].join(' ')}\n`)
  return (
    spawnSync(command, args, { cwd: workDir, env, stdio: ['ignore', process.stderr, process.stderr] })
      .status === 0
  )
}

const prebuildInstall = join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js')
const built =
  run(process.execPath, [
    prebuildInstall,
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
  ]) ||
  run(process.execPath, [
    process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js'),
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
  ])

const output = join(workDir, 'build', 'Release', 'better_sqlite3.node')
if (!built || !existsSync(output)) {
  process.stderr.write(
    `Could not build better-sqlite3 for Electron ${electronVersion}. This needs the network once ` +
      '(a prebuilt binary from GitHub or Electron headers). Tests and browser mode do not need it.\n',
  )
  process.exit(1)
}
copyFileSync(output, target)
rmSync(workDir, { recursive: true, force: true })
publish()
process.stderr.write(`better-sqlite3 for Electron ${electronVersion}: ${target}\n`)
