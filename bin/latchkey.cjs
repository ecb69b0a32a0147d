#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- the bin is CommonJS, like the bundle it runs */
// The `latchkey` bin. `npm install` builds the bundle (the "prepare" script); a clone whose bundle is
// missing (installed with --ignore-scripts, or `out/` wiped) builds it once here, with esbuild from
// devDependencies, before running it.
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs')
const Module = require('node:module')
const { dirname, join } = require('node:path')
const { pathToFileURL } = require('node:url')
const vm = require('node:vm')

const bundle = join(__dirname, '..', 'out', 'cli', 'latchkey.cjs')
const cachePath = `${bundle}.v8-cache`

/**
 * Runs the bundle with V8's code cache beside it: compiling 1.5 MB of JavaScript is most of a
 * command's start-up after Node's own, and Node 20 has no module.enableCompileCache. V8 checks the
 * cache against the source and its own version and rejects a stale one; the cache is then rewritten
 * at exit, after the run compiled what it used.
 */
function runBundle() {
  const source = readFileSync(bundle, 'utf8')
  let cachedData
  try {
    cachedData = readFileSync(cachePath)
  } catch {
    cachedData = undefined
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData })
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
  const module = new Module(bundle, null)
  module.filename = bundle
  module.paths = Module._nodeModulePaths(dirname(bundle))
  script.runInThisContext()(module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle))
}

if (existsSync(bundle)) {
  runBundle()
} else {
  process.stderr.write('latchkey: building the command line once (out/cli/latchkey.cjs)…\n')
  import(pathToFileURL(join(__dirname, '..', 'scripts', 'build-cli.mjs')).href)
    .then(({ buildCli }) => buildCli())
    .then(runBundle)
    .catch((error) => {
      process.stderr.write(`latchkey: INTERNAL: could not build the command line (${error.message})\n`)
      process.exit(1)
    })
}
