// Builds better-sqlite3 for the installed Electron's ABI, apart from node_modules.
//
// node_modules/better-sqlite3 stays built for plain Node: the tests and browser mode load it, and
// they must never depend on an Electron build. The desktop app instead loads the copy this script
// writes to .cache/electron-native/<electron version>/better_sqlite3.node (passed to better-sqlite3
// as `nativeBinding`). @electron/rebuild does the work (a published prebuilt binary first, else a
// compile against Electron's headers); both need the network the first time. It runs on a copy of
// the package inside .cache, so Node's resolution still finds the root node_modules' build tools
// and nothing in node_modules is rebuilt in place.
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))
const electronVersion = require('electron/package.json').version
const sqlite = require('better-sqlite3/package.json')
const cacheDir = join(root, '.cache', 'electron-native', electronVersion)
const target = join(cacheDir, 'better_sqlite3.node')
// electron-builder.yml packages this path (extraResources), whichever Electron version made it.
const packagedCopy = join(root, '.cache', 'electron-native', 'current', 'better_sqlite3.node')

function publish() {
  mkdirSync(dirname(packagedCopy), { recursive: true })
  copyFileSync(target, packagedCopy)
}

if (existsSync(target)) {
  publish()
  process.exit(0)
}

// @electron/rebuild 4 (and its node-abi 4) declare Node 22.12+; say so rather than fail obscurely.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `Building better-sqlite3 for Electron uses @electron/rebuild, which needs Node 22.12 or newer; this is Node ${process.versions.node}.\n`,
  )
  process.exit(1)
}
const { rebuild } = await import('@electron/rebuild')

const workDir = join(cacheDir, 'work')
const moduleDir = join(workDir, 'node_modules', 'better-sqlite3')
const sourceDir = dirname(require.resolve('better-sqlite3/package.json'))
rmSync(workDir, { recursive: true, force: true })
cpSync(sourceDir, moduleDir, {
  recursive: true,
  filter: (path) => !path.startsWith(join(sourceDir, 'build')),
})
writeFileSync(
  join(workDir, 'package.json'),
  JSON.stringify({
    name: 'latchkey-electron-native',
    private: true,
    dependencies: { 'better-sqlite3': sqlite.version },
  }),
)

// This machine's npm config may point node-gyp at Node's own headers; Electron needs its own.
for (const key of Object.keys(process.env))
  if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete process.env[key]

try {
  await rebuild({
    buildPath: workDir,
    electronVersion,
    arch: process.arch,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
  })
} catch (error) {
  process.stderr.write(
    `Could not build better-sqlite3 for Electron ${electronVersion}; this needs the network once ` +
      `(a prebuilt binary or Electron's headers). Tests and browser mode do not need it.\n` +
      `${String(error?.message ?? error).split('\n')[0]}\n`,
  )
  process.exit(1)
}

const output = join(moduleDir, 'build', 'Release', 'better_sqlite3.node')
if (!existsSync(output)) {
  process.stderr.write(`@electron/rebuild finished but wrote no ${output}.\n`)
  process.exit(1)
}
copyFileSync(output, target)
rmSync(workDir, { recursive: true, force: true })
publish()
process.stderr.write(`better-sqlite3 for Electron ${electronVersion}: ${target}\n`)
