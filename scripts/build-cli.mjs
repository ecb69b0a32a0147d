// Bundles the `latchkey` command line (src/main/cli/entry.ts) into one CommonJS file for plain Node.
// Pure-JS dependencies go in: loaded from node_modules, zod alone reads and compiles ~100 files
// (every locale) on each start, about half of a command's own start-up. The native modules
// (better-sqlite3, the keyring) stay in node_modules, loaded only when this process opens the vault.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const CLI_BUNDLE = join(root, 'out', 'cli', 'latchkey.cjs')

export async function buildCli() {
  // Imported here, so a missing esbuild (an install without devDependencies) is reported, not thrown at load.
  const { build } = await import('esbuild')
  await build({
    entryPoints: [join(root, 'src', 'main', 'cli', 'entry.ts')],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3', '@napi-rs/keyring', 'argon2'],
    sourcemap: false,
    logLevel: 'warning',
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
