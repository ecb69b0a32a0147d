// The `latchkey` command line beside KeePassXC's own (`keepassxc-cli`), whole processes, same machine,
// same run, the same 10,000 entries: a KDBX whose Argon2 is tuned (KeePassXC's own --decryption-time)
// to Latchkey's measured unlock cost, and a Latchkey vault with the product's KDF (Argon2id). Each pair runs
// interleaved A B A B, so a slow minute of the shared machine lands on both. Cases:
//   (a) latchkey opening the vault itself (LATCHKEY_PASSWORD): search by name, show one secret;
//   (b) latchkey through an approved browser-mode session (no KDF): the same two;
//   (c) `latchkey list --json --all` over all 10,000, beside `keepassxc-cli ls -R -f`.
// The "floor" column of each measure is keepassxc-cli's median; ratio = keepassxc ÷ latchkey.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { startBrowserMode, type BrowserModeProcess } from '../test/support/browser-mode'
import {
  BENCH_PASSWORD,
  createBenchCore,
  interleave,
  makeTempDir,
  measure,
  ratioTarget,
  removeDir,
  round,
  spread,
  type BenchRun,
} from './support/harness'

const ENTRIES = 10_000
const ROUNDS = 7
const root = join(__dirname, '..')
// What `npx latchkey` ends up running: the bin, which runs the bundle with its V8 code cache.
const BIN = join(root, 'bin', 'latchkey.cjs')
const BUNDLE = join(root, 'out', 'cli', 'latchkey.cjs')

const titleOf = (index: number) => `Service ${String(index).padStart(5, '0')}`
const secretOf = (index: number) => `sk-bench-${index}-${'x'.repeat(40)}`

/** keepassxc-cli from Debian's keepassxc, installed when missing (the bench runs as root on CI). */
function ensureKeepassxc(): string {
  const found = spawnSync('sh', ['-c', 'command -v keepassxc-cli'], { encoding: 'utf8' }).stdout.trim()
  if (found) return found
  console.log('Installing keepassxc (apt-get)…')
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'keepassxc'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  return 'keepassxc-cli'
}

/** The Latchkey vault: the product's KDF, 10,000 secret-text connections; answers the unlock cost. */
async function createLatchkeyVault(dataDir: string): Promise<{ unlockMs: number; ids: string[] }> {
  const bench = createBenchCore({ dataDir })
  try {
    await bench.call('vault.create', { password: BENCH_PASSWORD })
    const ids: string[] = []
    for (let start = 0; start < ENTRIES; start += 500) {
      const items = Array.from({ length: Math.min(500, ENTRIES - start) }, (_, offset) => {
        const index = start + offset
        return {
          displayName: titleOf(index),
          pieceName: 'bench',
          pieceVersion: '1.0.0',
          type: 'SECRET_TEXT',
          externalId: `service-${index}`,
          value: { type: 'SECRET_TEXT', secret_text: secretOf(index) },
        }
      })
      const { results } = await bench.call<{ results: { connection: { id: string } }[] }>(
        'connections.upsertBatch',
        { items },
      )
      ids.push(...results.map((result) => result.connection.id))
    }
    // What an unlock costs Latchkey here and now (Argon2id, m=128 MiB, t=3, p=4): the KDBX's KDF is tuned to it.
    const unlocks: number[] = []
    for (let i = 0; i < 3; i += 1) {
      await bench.call('vault.lock')
      const start = performance.now()
      await bench.call('vault.unlock', { password: BENCH_PASSWORD })
      unlocks.push(performance.now() - start)
    }
    return { unlockMs: spread(unlocks).median, ids }
  } finally {
    await bench.close()
  }
}

const xmlText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const uuid = (index: number) => {
  const bytes = Buffer.alloc(16)
  bytes.writeUInt32BE(index + 1, 12)
  return bytes.toString('base64')
}

/** The same entries as KeePass 2 XML, imported by keepassxc-cli into a KDBX 4 with a tuned Argon2. */
function createKdbx(keepassxc: string, dir: string, decryptionMs: number): string {
  const entries = Array.from(
    { length: ENTRIES },
    (_, index) =>
      `<Entry><UUID>${uuid(index)}</UUID><String><Key>Title</Key><Value>${xmlText(titleOf(index))}</Value></String><String><Key>UserName</Key><Value>service-${index}</Value></String><String><Key>Password</Key><Value ProtectInMemory="True">${xmlText(secretOf(index))}</Value></String></Entry>`,
  ).join('\n')
  const xml = join(dir, 'entries.xml')
  writeFileSync(
    xml,
    `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<KeePassFile><Meta><Generator>latchkey-bench</Generator><DatabaseName>bench</DatabaseName></Meta><Root><Group><UUID>${uuid(ENTRIES + 1)}</UUID><Name>Root</Name>\n${entries}\n</Group></Root></KeePassFile>\n`,
  )
  const database = join(dir, 'bench.kdbx')
  execFileSync(keepassxc, ['import', '-q', '-p', '-t', String(Math.round(decryptionMs)), xml, database], {
    input: `${BENCH_PASSWORD}\n${BENCH_PASSWORD}\n`,
  })
  return database
}

interface Outcome {
  stdout: Buffer
  status: number | null
}

function runProcess(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv }) {
  const result = spawnSync(command, args, {
    input: options.input ?? '',
    env: options.env ?? process.env,
    maxBuffer: 256 * 1024 * 1024,
  })
  if (result.status !== 0) {
    throw new Error(`${command} ${args.slice(0, 4).join(' ')} exited ${result.status}: ${result.stderr}`)
  }
  return { stdout: result.stdout, status: result.status } satisfies Outcome
}

function runAsync(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
    const chunks: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.once('error', reject)
    child.once('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`exit ${code}`)),
    )
  })
}

async function approveOne(app: BrowserModeProcess): Promise<void> {
  for (;;) {
    const requests = await rpc<{ requestId: string }[]>(app, 'cli.requests')
    if (requests[0]) {
      await rpc(app, 'cli.answer', { requestId: requests[0].requestId, approve: true })
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function rpc<T>(app: BrowserModeProcess, name: string, input: unknown = {}): Promise<T> {
  const response = await fetch(`${app.origin}/api/rpc/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${app.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  })
  const body = (await response.json()) as T
  if (!response.ok) throw new Error(`${name}: ${JSON.stringify(body)}`)
  return body
}

export async function run(): Promise<BenchRun> {
  const keepassxc = ensureKeepassxc()
  const { buildCli } = (await import(pathToFileURL(join(root, 'scripts', 'build-cli.mjs')).href)) as {
    buildCli: () => Promise<void>
  }
  await buildCli()
  const dataDir = makeTempDir('cli-latchkey')
  const kdbxDir = makeTempDir('cli-kdbx')
  let app: BrowserModeProcess | null = null
  try {
    const { unlockMs, ids } = await createLatchkeyVault(dataDir)
    const kdbx = createKdbx(keepassxc, kdbxDir, unlockMs)
    const target = 4242
    const wanted = { title: titleOf(target), id: ids[target]!, secret: secretOf(target) }

    const latchkeyEnv = { ...process.env, LATCHKEY_PASSWORD: BENCH_PASSWORD }
    const latchkey = (args: string[], env: NodeJS.ProcessEnv = latchkeyEnv) =>
      runProcess(process.execPath, [BIN, '--data-dir', dataDir, ...args], { env })
    const keepass = (args: string[]) =>
      runProcess(keepassxc, [args[0]!, '-q', kdbx, ...args.slice(1)], { input: `${BENCH_PASSWORD}\n` })

    // Both must find the same thing, or the times compare nothing.
    const check = (what: string, output: Buffer, expected: string) => {
      if (!output.toString('utf8').includes(expected)) throw new Error(`${what} did not answer ${expected}`)
    }
    const latchkeySearch = ['list', '--name', wanted.title, '--json']
    const latchkeyShow = ['reveal', wanted.id]
    const keepassSearch = ['search', wanted.title]
    const keepassShow = ['show', '-s', '-a', 'Password', wanted.title]
    check('latchkey search', latchkey(latchkeySearch).stdout, wanted.id)
    check('latchkey reveal', latchkey(latchkeyShow).stdout, wanted.secret)
    check('keepassxc search', keepass(keepassSearch).stdout, wanted.title)
    check('keepassxc show', keepass(keepassShow).stdout, wanted.secret)

    const searchSelf = await interleave(
      ROUNDS,
      () => latchkey(latchkeySearch),
      () => keepass(keepassSearch),
    )
    const showSelf = await interleave(
      ROUNDS,
      () => latchkey(latchkeyShow),
      () => keepass(keepassShow),
    )
    const listSelf = await interleave(
      ROUNDS,
      () => latchkey(['list', '--all', '--json']),
      () => keepass(['ls', '-R', '-f']),
    )

    // (b) browser mode holds the vault; this process's terminal is approved once.
    app = await startBrowserMode({
      dataDir,
      command: [process.execPath, '--import', 'tsx', join(root, 'src/main/hosts/browser/entry.ts')],
    })
    await rpc(app, 'vault.unlock', { password: BENCH_PASSWORD })
    const viaApp = { ...process.env }
    delete viaApp.LATCHKEY_PASSWORD
    // The first command asks; spawned without blocking, so this process can answer as the person.
    const first = runAsync(process.execPath, [BIN, '--data-dir', dataDir, 'status', '--json'], viaApp)
    await approveOne(app)
    check('latchkey via app', await first, '"kind": "app"')
    check('latchkey search via app', latchkey(latchkeySearch, viaApp).stdout, wanted.id)
    const searchApp = await interleave(
      ROUNDS,
      () => latchkey(latchkeySearch, viaApp),
      () => keepass(keepassSearch),
    )
    const showApp = await interleave(
      ROUNDS,
      () => latchkey(latchkeyShow, viaApp),
      () => keepass(keepassShow),
    )
    const listApp = await interleave(
      ROUNDS,
      () => latchkey(['list', '--all', '--json'], viaApp),
      () => keepass(['ls', '-R', '-f']),
    )

    const pair = (name: string, times: { latchkey: number[]; floor: number[] }, target: number | null) =>
      measure(
        name,
        'ms',
        spread(times.latchkey).median,
        spread(times.floor).median,
        target === null ? null : ratioTarget(target),
      )
    const measures = [
      pair('(a) search by name, latchkey opens the vault (ms, vs keepassxc-cli search)', searchSelf, 2.5),
      pair('(a) show one secret, latchkey opens the vault (ms, vs keepassxc-cli show)', showSelf, 2.5),
      pair('(b) search by name, through an approved app session (ms)', searchApp, 10),
      pair('(b) show one secret, through an approved app session (ms)', showApp, 10),
      pair(
        '(c) list --json --all of 10,000, latchkey opens the vault (ms, vs keepassxc-cli ls -R -f)',
        listSelf,
        null,
      ),
      pair(
        '(c) list --json --all of 10,000, through the app session (ms, vs keepassxc-cli ls -R -f)',
        listApp,
        null,
      ),
    ]
    for (const m of measures) {
      console.log(`${m.measure}: latchkey ${m.latchkey} ms, keepassxc-cli ${m.floor} ms, ratio ${m.ratio}`)
    }
    const spreads = (times: { latchkey: number[]; floor: number[] }) => ({
      latchkey: spread(times.latchkey),
      keepassxc: spread(times.floor),
    })
    return {
      measures,
      details: {
        entries: ENTRIES,
        rounds: ROUNDS,
        latchkeyUnlockMs: round(unlockMs),
        kdbxDecryptionTimeMs: Math.round(unlockMs),
        keepassxcVersion: spawnSync(keepassxc, ['--version'], { encoding: 'utf8' }).stdout.trim(),
        spreads: {
          searchSelf: spreads(searchSelf),
          showSelf: spreads(showSelf),
          listSelf: spreads(listSelf),
          searchApp: spreads(searchApp),
          showApp: spreads(showApp),
          listApp: spreads(listApp),
        },
        bundleBuilt: existsSync(BUNDLE),
      },
    }
  } finally {
    await app?.stop()
    removeDir(dataDir)
    removeDir(kdbxDir)
  }
}
