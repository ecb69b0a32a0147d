#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- the bin is CommonJS, like the bundle it runs */
// The `latchkey` bin. `npm install` builds the bundle (the "prepare" script); a clone whose bundle is
// missing (installed with --ignore-scripts, or `out/` wiped) builds it once here, with esbuild from
// devDependencies, before running it.
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const { pathToFileURL } = require('node:url')

const bundle = join(__dirname, '..', 'out', 'cli', 'latchkey.cjs')
if (existsSync(bundle)) {
  require(bundle)
} else {
  process.stderr.write('latchkey: building the command line once (out/cli/latchkey.cjs)…\n')
  import(pathToFileURL(join(__dirname, '..', 'scripts', 'build-cli.mjs')).href)
    .then(({ buildCli }) => buildCli())
    .then(() => require(bundle))
    .catch((error) => {
      process.stderr.write(`latchkey: INTERNAL: could not build the command line (${error.message})\n`)
      process.exit(1)
    })
}
