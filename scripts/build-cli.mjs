// Bundles the `latchkey` command line (src/main/cli/entry.ts) into one CommonJS file for plain Node.
// Dependencies stay in node_modules (better-sqlite3 and the keyring are native; the rest load faster
// from there than re-bundled), so the bundle is only Latchkey's own code.
import { build } from 'esbuild'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const CLI_BUNDLE = join(root, 'out', 'cli', 'latchkey.cjs')

export async function buildCli() {
  await build({
    entryPoints: [join(root, 'src', 'main', 'cli', 'entry.ts')],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli()
