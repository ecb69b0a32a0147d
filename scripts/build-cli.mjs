// Bundles the `latchkey` command line for plain Node, as CommonJS files in out/cli/:
//   latchkey.cjs     the program (commander, the commands, the app's channel, output): every command
//                    loads it. It holds no zod schema and no core, so a command the app serves
//                    compiles ~190 KB instead of ~1.5 MB and builds no schema;
//   local-vault.cjs  the core (SQLite, the keychain), loaded only when no app serves the data folder
//                    and the command opens the vault itself;
//   kdf.cjs          the password KDF, which that path may start before the core has loaded;
//   errors.cjs       the contract's AppError.
// Each source file lives in one bundle only, so `instanceof` holds across them. Pure-JS
// dependencies go in (from node_modules, zod alone reads ~100 files per start); the native modules
// stay in node_modules.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = (...parts) => join(root, 'src', ...parts)
export const CLI_DIR = join(root, 'out', 'cli')
export const CLI_BUNDLE = join(CLI_DIR, 'latchkey.cjs')

const NATIVE = ['better-sqlite3', '@napi-rs/keyring', 'argon2']
const CONTRACT_VALUES = source('main', 'cli', 'contract-values.ts')
/**
 * The bundles beside the program, and the source files each serves: an import of one of them, in
 * the program or another sibling, becomes a require of its bundle. A file not in the tree (a change
 * that has not landed) is left out.
 */
const SIBLINGS = Object.entries({
  'errors.cjs': [source('shared', 'errors.ts')],
  'kdf.cjs': [
    source('main', 'vault', 'kdf.ts'),
    source('main', 'vault', 'kdf-head-start.ts'),
    source('main', 'vault', 'header.ts'),
    source('main', 'vault', 'vault-file-name.ts'),
  ],
  'local-vault.cjs': [
    source('main', 'cli', 'client', 'local-client.ts'),
    source('main', 'platform', 'keyring-keeper.ts'),
  ],
}).map(([bundle, files]) => [bundle, files.filter((file) => existsSync(file))])

/**
 * Imports of these source files become a require of the named sibling bundle, through a one-line
 * module: esbuild would keep a dynamic import() of an external file as a real ES import, which
 * bypasses the bin's loader (and its code cache) and loads the file a second way.
 */
function siblingBundles(files) {
  return {
    name: 'latchkey-sibling-bundles',
    setup(build) {
      build.onResolve({ filter: /^\.\/[\w-]+\.cjs$/, namespace: 'sibling' }, (args) => ({
        path: args.path,
        external: true,
      }))
      build.onResolve({ filter: /^\./ }, (args) => {
        const path = resolve(args.resolveDir, args.path)
        for (const [file, bundle] of files) {
          if (path === file || `${path}.ts` === file) return { path: bundle, namespace: 'sibling' }
        }
        return undefined
      })
      build.onLoad({ filter: /.*/, namespace: 'sibling' }, (args) => ({
        contents: `module.exports = require('./${args.path}')`,
        loader: 'js',
      }))
    },
  }
}

/**
 * Node built-ins the program needs only on some paths (`run` spawns; commander requires
 * child_process at load for executable subcommands, which latchkey has none of; a channel path too
 * long for a socket hashes): each costs a few ms to load, so the program gets stand-ins for the
 * functions it uses that require the real module on first call. Importing any other name from
 * them fails the build.
 */
function lazyBuiltins(functionsByModule) {
  const names = Object.keys(functionsByModule)
  const filter = new RegExp(`^(node:)?(${names.join('|')})$`)
  return {
    name: 'latchkey-lazy-builtins',
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.namespace === 'lazy-builtin'
          ? { path: args.path, external: true }
          : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
      )
      build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
        contents: [
          `let real`,
          `const load = () => (real ??= require('node:${args.path}'))`,
          ...functionsByModule[args.path].map(
            (name) => `export function ${name}(...args) { return load().${name}(...args) }`,
          ),
        ].join('\n'),
        loader: 'js',
      }))
    },
  }
}

/**
 * contract-values.ts re-exports the few contract constants the program needs (procedure names, the
 * list's enums, batch size). Importing it for real would build every zod schema of the contract
 * at each start; the program gets them as literals instead, computed here from the contract itself,
 * so the contract stays the single source of truth.
 */
function contractValuesAsLiterals(esbuild) {
  return {
    name: 'latchkey-contract-values',
    setup(build) {
      build.onLoad({ filter: /contract-values\.ts$/ }, async (args) => {
        if (args.path !== CONTRACT_VALUES) return undefined
        const { outputFiles } = await esbuild.build({
          entryPoints: [CONTRACT_VALUES],
          bundle: true,
          platform: 'node',
          format: 'cjs',
          write: false,
          logLevel: 'warning',
        })
        const module = { exports: {} }
        new Function('module', 'exports', 'require', outputFiles[0].text)(
          module,
          module.exports,
          createRequire(CONTRACT_VALUES),
        )
        const lines = Object.entries(module.exports).map(([name, value]) => {
          const literal = JSON.stringify(value)
          if (literal === undefined || !isDeepStrictEqual(JSON.parse(literal), value)) {
            throw new Error(`contract-values.ts: ${name} is not plain data, so it cannot be inlined.`)
          }
          return `export const ${name} = ${literal};`
        })
        return { contents: lines.join('\n'), loader: 'js' }
      })
    },
  }
}

export async function buildCli({ outDir = CLI_DIR } = {}) {
  // Imported here, so a missing esbuild (an install without devDependencies) is reported, not thrown at load.
  const esbuild = await import('esbuild')
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: NATIVE,
    sourcemap: false,
    logLevel: 'warning',
  }
  const servedBy = (except) =>
    SIBLINGS.filter(([bundle]) => bundle !== except).flatMap(([bundle, files]) =>
      files.map((file) => [file, bundle]),
    )
  await Promise.all(
    SIBLINGS.map(([bundle, files]) =>
      esbuild.build({
        ...common,
        stdin: {
          contents: files.map((file) => `export * from ${JSON.stringify(file)}`).join('\n'),
          resolveDir: root,
          sourcefile: bundle,
        },
        outfile: join(outDir, bundle),
        plugins: [siblingBundles(servedBy(bundle))],
      }),
    ),
  )
  // Last: the bin takes an existing program bundle to mean the build is complete.
  await esbuild.build({
    ...common,
    entryPoints: [source('main', 'cli', 'entry.ts')],
    outfile: join(outDir, 'latchkey.cjs'),
    plugins: [
      siblingBundles(servedBy(null)),
      contractValuesAsLiterals(esbuild),
      lazyBuiltins({ child_process: ['spawn'], crypto: ['createHash'] }),
    ],
  })
}

// As the "prepare" script it must never fail an install: the bin builds the bundle on first use anyway.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await buildCli()
  } catch (error) {
    process.stderr.write(
      `latchkey: the command line was not bundled (${error.message}); npx latchkey builds it on first use.\n`,
    )
  }
}
