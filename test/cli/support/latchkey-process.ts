import { spawn, type SpawnOptions } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'

const root = join(__dirname, '..', '..', '..')

export interface CliResult {
  code: number
  stdout: Buffer
  stderr: string
  text: string
}

export interface RunOptions {
  input?: string | Buffer
  env?: NodeJS.ProcessEnv
}

/**
 * Bundles the tests' entry (the real program with the tests’ weak KDF) once per file, the way
 * scripts/build-cli.mjs bundles the product's, so each command is a real `node` child process that
 * starts in a fraction of a second instead of compiling TypeScript each time.
 */
export async function buildTestCli(): Promise<string> {
  // Inside the repository (.cache is ignored), so the bundle finds node_modules as out/cli's does.
  const folder = join(root, '.cache', 'cli-test')
  mkdirSync(folder, { recursive: true })
  const bundleDir = mkdtempSync(join(folder, 'bundle-'))
  const outfile = join(bundleDir, 'latchkey-test.cjs')
  await build({
    entryPoints: [join(root, 'test', 'cli', 'support', 'cli-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  })
  return outfile
}

/** Removes what buildTestCli made. */
export function removeTestCli(bundle: string): void {
  if (bundle) rmSync(dirname(bundle), { recursive: true, force: true })
}

/** Runs `latchkey ARGS` as a child process on a data folder and collects what it printed. */
export function runLatchkey(
  bundle: string,
  dataDir: string,
  args: string[],
  options: RunOptions = {},
  spawnOptions: SpawnOptions = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, '--data-dir', dataDir, ...args], {
      cwd: root,
      env: { ...withoutLatchkeyVariables(process.env), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...spawnOptions,
    })
    const stdout: Buffer[] = []
    let stderr = ''
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => {
      const bytes = Buffer.concat(stdout)
      resolve({ code: code ?? -1, stdout: bytes, stderr, text: bytes.toString('utf8') })
    })
    child.stdin!.end(options.input ?? '')
  })
}

/** A test's own environment must not leak a password or data folder into the command. */
function withoutLatchkeyVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('LATCHKEY_')))
}

/** The one stderr line every failure prints: the contract's code, then a sentence. */
export const ERROR_LINE = /^latchkey: [A-Z_]+: [^\n]+\n$/
