#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- the bin is CommonJS, like the bundles it runs */
// The `latchkey` bin. `npm install` builds the bundles (the "prepare" script); a clone whose bundles
// are missing (installed with --ignore-scripts, or `out/` wiped) builds them once here, with esbuild
// from devDependencies, before running them.
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs')
const Module = require('node:module')
const { join } = require('node:path')
const { pathToFileURL } = require('node:url')
const vm = require('node:vm')

const outDir = join(__dirname, '..', 'out', 'cli')
// The program; it requires the bundles beside it (scripts/build-cli.mjs) as `./NAME.cjs`.
const PROGRAM = 'latchkey.cjs'
const SIBLING = /^\.\/[\w-]+\.cjs$/
const loaded = new Map()

/**
 * Runs one bundle with V8's code cache beside it: compiling JavaScript is most of a command's
 * start-up after Node's own, and Node 20 has no module.enableCompileCache. V8 checks the cache
 * against the source and its own version and rejects a stale one; the cache is then rewritten at
 * exit, after the run compiled what it used. Each bundle has its own cache, so a command the app
 * serves neither reads nor compiles the core's bundle.
 */
function load(name) {
  const cached = loaded.get(name)
  if (cached) return cached.exports
  const filename = join(outDir, name)
  const cachePath = `${filename}.v8-cache`
  const source = readFileSync(filename, 'utf8')
  let cachedData
  try {
    cachedData = readFileSync(cachePath)
  } catch {
    cachedData = undefined
  }
  const script = new vm.Script(Module.wrap(source), { filename, cachedData })
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        writeFileSync(`${cachePath}.${process.pid}`, script.createCachedData())
        renameSync(`${cachePath}.${process.pid}`, cachePath)
      } catch {
        // A read-only checkout runs without a cache; nothing else changes.
      }
    })
  }
  const module = new Module(filename, null)
  module.filename = filename
  module.paths = Module._nodeModulePaths(outDir)
  loaded.set(name, module)
  const nodeRequire = Module.createRequire(filename)
  const require = Object.assign((id) => (SIBLING.test(id) ? load(id.slice(2)) : nodeRequire(id)), nodeRequire)
  script.runInThisContext()(module.exports, require, module, filename, outDir)
  module.loaded = true
  return module.exports
}

// The program is built last, so its presence means its siblings are there too.
if (existsSync(join(outDir, PROGRAM))) {
  load(PROGRAM)
} else {
  process.stderr.write('latchkey: building the command line once (out/cli/)…\n')
  import(pathToFileURL(join(__dirname, '..', 'scripts', 'build-cli.mjs')).href)
    .then(({ buildCli }) => buildCli({ outDir }))
    .then(() => load(PROGRAM))
    .catch((error) => {
      process.stderr.write(`latchkey: INTERNAL: could not build the command line (${error.message})\n`)
      process.exit(1)
    })
}
