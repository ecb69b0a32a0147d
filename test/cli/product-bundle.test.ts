import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { procedures } from '../../src/shared/contract'
import type { CliSessionRequest } from '../../src/shared/contract/cli'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'
import { TEST_PASSWORD } from '../support/vault'
import type { CliResult } from './support/latchkey-process'

// The product's own bin and bundles, as `npx latchkey` runs them: a copy of bin/latchkey.cjs in a
// fresh folder with no bundles yet (a fresh clone), so its first run builds them with
// scripts/build-cli.mjs. The program bundle must serve the app's session without the core or zod,
// and load the local-vault bundle (sharing one AppError with it) only when no app holds the vault.
const root = join(__dirname, '..', '..')
const SECRET = 'line one\nline two\n  indented\n'
let checkout = ''
let dataDir = ''
let app: BrowserModeProcess | null = null
let approver: NodeJS.Timeout | undefined
let connectionId = ''

function latchkey(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('LATCHKEY_')),
    )
    const child = spawn(
      process.execPath,
      [join(checkout, 'bin', 'latchkey.cjs'), '--data-dir', dataDir, ...args],
      {
        env: { ...clean, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const stdout: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => {
      const bytes = Buffer.concat(stdout)
      resolve({ code: code ?? -1, stdout: bytes, stderr, text: bytes.toString('utf8') })
    })
  })
}

async function rpc<T>(name: string, input: unknown = {}): Promise<T> {
  const response = await fetch(`${app!.origin}/api/rpc/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${app!.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  })
  const body = (await response.json()) as T
  if (!response.ok) throw new Error(`${name}: ${JSON.stringify(body)}`)
  return body
}

const outDir = () => join(checkout, 'out', 'cli')

beforeAll(async () => {
  // Inside the repository (.cache is ignored), so the bundles find node_modules as out/cli's do.
  const folder = join(root, '.cache', 'cli-product')
  mkdirSync(folder, { recursive: true })
  checkout = mkdtempSync(join(folder, 'checkout-'))
  mkdirSync(join(checkout, 'bin'))
  mkdirSync(join(checkout, 'scripts'))
  copyFileSync(join(root, 'bin', 'latchkey.cjs'), join(checkout, 'bin', 'latchkey.cjs'))
  // A link, so the build script finds the sources where they are and writes where the bin asks.
  symlinkSync(join(root, 'scripts', 'build-cli.mjs'), join(checkout, 'scripts', 'build-cli.mjs'))
  dataDir = mkdtempSync(join(tmpdir(), 'latchkey-cli-product-'))
  app = await startBrowserMode({
    dataDir,
    command: [process.execPath, '--import', 'tsx', join(root, 'src/main/hosts/browser/entry.ts')],
  })
  await rpc('vault.create', { password: TEST_PASSWORD })
  const { results } = await rpc<{ results: { connection: { id: string } }[] }>('connections.upsertBatch', {
    items: [
      {
        displayName: 'Multi-line key',
        pieceName: 'github',
        pieceVersion: '1.0.0',
        type: 'SECRET_TEXT',
        externalId: 'multi-line-key',
        value: { type: 'SECRET_TEXT', secret_text: SECRET },
      },
    ],
  })
  connectionId = results[0]!.connection.id
  approver = setInterval(() => {
    void rpc<CliSessionRequest[]>('cli.requests').then(
      (requests) =>
        Promise.all(
          requests.map((request) => rpc('cli.answer', { requestId: request.requestId, approve: true })),
        ),
      () => {},
    )
  }, 50)
}, 120_000)

afterAll(async () => {
  clearInterval(approver)
  await app?.stop()
  if (checkout) rmSync(checkout, { recursive: true, force: true })
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('the latchkey bin and its bundles', () => {
  it('builds the bundles on its first run, then serves the app’s session from the program alone', async () => {
    const first = await latchkey(['status', '--json'])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toContain('building the command line once')
    expect(JSON.parse(first.text)).toMatchObject({ state: 'unlocked', heldBy: { kind: 'app' } })
    for (const name of ['latchkey.cjs', 'local-vault.cjs', 'kdf.cjs', 'errors.cjs'])
      expect(existsSync(join(outDir(), name))).toBe(true)

    const reveal = await latchkey(['reveal', connectionId])
    expect(reveal.code, reveal.stderr).toBe(0)
    expect(reveal.stderr).toBe('')
    expect(reveal.stdout.equals(Buffer.from(SECRET))).toBe(true)
    const list = await latchkey(['list', '--name', 'Multi-line key', '--json'])
    expect(list.code, list.stderr).toBe(0)
    expect(list.text).toContain(connectionId)
    // The app's session compiled the program and the shared errors, never the core's bundle.
    expect(existsSync(join(outDir(), 'latchkey.cjs.v8-cache'))).toBe(true)
    expect(existsSync(join(outDir(), 'local-vault.cjs.v8-cache'))).toBe(false)
  }, 120_000)

  it('keeps the contract’s schemas and the core out of the program bundle', () => {
    const program = readFileSync(join(outDir(), 'latchkey.cjs'), 'utf8')
    expect(program).not.toMatch(/^\/\/ node_modules\/zod\//m)
    expect(program).not.toMatch(/^\/\/ src\/main\/core\.ts$/m)
    expect(program).not.toMatch(/^\/\/ src\/shared\/errors\.ts$/m)
    // The procedure names the program checks (sync, export, import) are the contract's own, as literals.
    const names = /^var PROCEDURE_NAMES = (\[.*\]);$/m.exec(program)?.[1]
    expect(JSON.parse(names ?? 'null')).toEqual(Object.keys(procedures))
    const local = readFileSync(join(outDir(), 'local-vault.cjs'), 'utf8')
    expect(local).toMatch(/^\/\/ src\/main\/core\.ts$/m)
    expect(local).not.toMatch(/^\/\/ src\/shared\/errors\.ts$/m)
  })

  it('opens the vault itself with the local-vault bundle once no app holds it, with one AppError for both', async () => {
    await app!.stop()
    app = null
    const status = await latchkey(['status', '--json'])
    expect(status.code, status.stderr).toBe(0)
    expect(JSON.parse(status.text)).toMatchObject({ state: 'locked', heldBy: { kind: 'self' } })
    // Thrown in the local-vault bundle, recognised by the program's isAppError: exit 3, not INTERNAL.
    const wrong = await latchkey(['reveal', connectionId], { LATCHKEY_PASSWORD: 'not the password' })
    expect(wrong.code).toBe(3)
    expect(wrong.stderr).toMatch(/^latchkey: AUTHENTICATION: [^\n]+\n$/)
    const reveal = await latchkey(['reveal', connectionId], { LATCHKEY_PASSWORD: TEST_PASSWORD })
    expect(reveal.code, reveal.stderr).toBe(0)
    expect(reveal.stdout.equals(Buffer.from(SECRET))).toBe(true)
    expect(existsSync(join(outDir(), 'local-vault.cjs.v8-cache'))).toBe(true)
  }, 120_000)
})
