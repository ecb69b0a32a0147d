// Sync against the test server on loopback (Activepieces, in a process of its own so its CPU time
// can be told apart from Latchkey's):
// - push: 10,000 connections waiting in the outbox, sent by sync.run (a pull of the empty remote
//   first, then one upsert per connection, PUSH_CONCURRENCY in flight, each cleared from the outbox
//   with the remote's id in its own commit). Floor: the same 10,000 upserts with node:http (a
//   keep-alive agent, the same number in flight), each value read from better-sqlite3 and opened
//   with AES-256-GCM, and a state row committed per answer.
// - pull: 100,000 connections made on the server, read page by page into a fresh vault; peak RSS
//   growth while pulling, and how long until the first pulled row is visible in connections.list.
//   Floor: the same pages (the same gap-free pager over the server's second-precision cursor)
//   fetched with node:http and parsed, each page inserted into a better-sqlite3 table in one transaction.
// "Own time" is wall time minus the server's CPU time over the same span: what Latchkey (or the
// floor) spends itself, which is what the targets are about.
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import type { Remote, SyncRunSummary } from '../src/shared/contract'
import { pagesWithoutGaps } from '../src/main/sync/dialects/activepieces-pages'
import { toRemoteConnection } from '../src/main/sync/dialects/activepieces-records'
import { PUSH_CONCURRENCY } from '../src/main/sync/push'
import type { RemoteTarget } from '../src/main/sync/dialects/remote-client'
import { TEST_KDF } from '../test/support/vault'
import {
  BENCH_PASSWORD,
  atMostMs,
  createBenchCore,
  makeTempDir,
  measure,
  removeDir,
  round,
  type BenchRun,
} from './support/harness'

const PUSH = Number(process.env.SYNC_BENCH_PUSH ?? 10_000)
const PULL = Number(process.env.SYNC_BENCH_PULL ?? 100_000)
const BATCH = 500
const PUSH_TARGET_MS = 10_000
const PULL_TARGET_MS = 5_000
const PATH = '/api/v1/app-connections'

interface ServerChild {
  target: RemoteTarget
  ask<T>(command: string): Promise<T>
  close(): Promise<void>
}

async function startServerChild(): Promise<ServerChild> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'support', 'sync-server-child.ts')],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async <T>(): Promise<T> => JSON.parse((await lines.next()).value as string) as T
  const { target } = await next<{ target: RemoteTarget }>()
  return {
    target,
    async ask<T>(command: string) {
      child.stdin.write(`${command}\n`)
      return next<T>()
    },
    async close() {
      child.stdin.write('close\n')
      await new Promise((resolve) => child.on('exit', resolve))
    },
  }
}

async function withServer<T>(work: (server: ServerChild) => Promise<T>): Promise<T> {
  const server = await startServerChild()
  try {
    return await work(server)
  } finally {
    await server.close()
  }
}

/** Wall time and the server's CPU time over `work`; own = wall − server. */
async function timed<T>(
  server: ServerChild,
  work: () => Promise<T>,
): Promise<{ value: T; wallMs: number; serverMs: number; ownMs: number }> {
  const cpuBefore = (await server.ask<{ cpuMs: number }>('cpu')).cpuMs
  const start = performance.now()
  const value = await work()
  const wallMs = performance.now() - start
  const serverMs = (await server.ask<{ cpuMs: number }>('cpu')).cpuMs - cpuBefore
  return { value, wallMs, serverMs, ownMs: Math.max(0, wallMs - serverMs) }
}

/** node:http with a keep-alive agent: the least an HTTP client does for one JSON call. */
function call(agent: Agent, url: string, apiKey: string, method: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const outgoing = request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
        response.on('error', reject)
      },
    )
    outgoing.on('error', reject)
    outgoing.end(payload)
  })
}

const postJson = (agent: Agent, url: string, apiKey: string, body: unknown) =>
  call(agent, url, apiKey, 'POST', body)
const getJson = (agent: Agent, url: string, apiKey: string) => call(agent, url, apiKey, 'GET')

function floorDb(dir: string): Database.Database {
  const db = new Database(join(dir, 'floor.sqlite'))
  // The vault's own pragmas (store.ts): the same durability per commit.
  db.pragma('locking_mode = EXCLUSIVE')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('temp_store = MEMORY')
  db.exec(`CREATE TABLE items (id TEXT PRIMARY KEY, external_id TEXT NOT NULL, display_name TEXT NOT NULL,
    piece_name TEXT NOT NULL, envelope BLOB, remote_id TEXT, remote_updated TEXT) WITHOUT ROWID`)
  return db
}

function seal(key: Buffer, id: string, plaintext: string): Buffer {
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(id))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([nonce, cipher.getAuthTag(), body])
}

function open(key: Buffer, id: string, envelope: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, envelope.subarray(0, 12)).setAAD(Buffer.from(id))
  decipher.setAuthTag(envelope.subarray(12, 28))
  return Buffer.concat([decipher.update(envelope.subarray(28)), decipher.final()]).toString('utf8')
}

async function addRemote(
  call: <T>(name: string, input?: unknown) => Promise<T>,
  target: RemoteTarget,
): Promise<Remote> {
  return call<Remote>('remotes.add', {
    name: 'Bench',
    dialect: 'activepieces',
    baseUrl: target.baseUrl,
    projectId: target.projectId,
    apiKey: target.apiKey,
  })
}

async function pushLatchkey(server: ServerChild, dir: string) {
  const bench = createBenchCore({ dataDir: join(dir, 'push'), kdf: TEST_KDF })
  try {
    await bench.call('vault.create', { password: BENCH_PASSWORD })
    const remote = await addRemote(bench.call, server.target)
    for (let from = 0; from < PUSH; from += BATCH) {
      const items = Array.from({ length: BATCH }, (_, k) => ({
        displayName: `Push ${from + k}`,
        pieceName: `@bench/piece-${(from + k) % 50}`,
        pieceVersion: '1.0.0',
        type: 'SECRET_TEXT',
        externalId: `p${from + k}`,
        projectIds: [server.target.projectId],
        remoteId: remote.id,
        value: { type: 'SECRET_TEXT', secret_text: `local-secret-${from + k}` },
      }))
      await bench.call('connections.upsertBatch', { items })
    }
    const result = await timed(server, () =>
      bench.call<SyncRunSummary[]>('sync.run', { remoteId: remote.id }),
    )
    const summary = result.value[0]!
    if (summary.pushed !== PUSH || summary.error)
      throw new Error(`push incomplete: ${JSON.stringify(summary)}`)
    return result
  } finally {
    await bench.close()
  }
}

async function pushFloor(server: ServerChild, dir: string) {
  const db = floorDb(join(dir, 'push-floor'))
  const key = randomBytes(32)
  const insert = db.prepare(
    'INSERT INTO items (id, external_id, display_name, piece_name, envelope) VALUES (?, ?, ?, ?, ?)',
  )
  db.transaction(() => {
    for (let i = 0; i < PUSH; i += 1) {
      insert.run(
        `f${i}`,
        `f${i}`,
        `Floor ${i}`,
        `@bench/piece-${i % 50}`,
        seal(key, `f${i}`, JSON.stringify({ type: 'SECRET_TEXT', secret_text: `floor-secret-${i}` })),
      )
    }
  })()
  const rows = db
    .prepare<[], { id: string; external_id: string; display_name: string; piece_name: string }>(
      'SELECT id, external_id, display_name, piece_name FROM items',
    )
    .all()
  const envelopeOf = db.prepare<[string], Buffer>('SELECT envelope FROM items WHERE id = ?').pluck()
  const record = db.prepare('UPDATE items SET remote_id = ?, remote_updated = ? WHERE id = ?')
  const { baseUrl, apiKey, projectId } = server.target
  const agent = new Agent({ keepAlive: true })
  try {
    return await timed(server, async () => {
      // The same number of requests in flight as the engine (PUSH_CONCURRENCY).
      let next = 0
      await Promise.all(
        Array.from({ length: PUSH_CONCURRENCY }, async () => {
          while (next < rows.length) {
            const row = rows[next++]!
            const value = JSON.parse(open(key, row.id, envelopeOf.get(row.id)!)) as Record<string, unknown>
            const body = (await postJson(agent, `${baseUrl}${PATH}`, apiKey, {
              externalId: row.external_id,
              displayName: row.display_name,
              pieceName: row.piece_name,
              projectId,
              type: 'SECRET_TEXT',
              value,
            })) as { id: string; updated: string }
            db.transaction(() => record.run(body.id, body.updated, row.id))()
          }
        }),
      )
    })
  } finally {
    db.close()
  }
}

async function pullLatchkey(server: ServerChild, dir: string) {
  const bench = createBenchCore({ dataDir: join(dir, 'pull'), kdf: TEST_KDF })
  try {
    await bench.call('vault.create', { password: BENCH_PASSWORD })
    // The list in memory is read once the vault opens (empty here): the pull's rows reach it as notes.
    await bench.call('connections.list', { limit: 1 })
    await bench.listReady()
    let remoteId = ''
    let firstVisibleMs: number | null = null
    let start = 0
    let firstCheck: Promise<void> | null = null
    const unsubscribe = bench.core.events.subscribe((name, payload) => {
      if (name !== 'connections.changed' || firstCheck !== null) return
      if ((payload as { kind: string }).kind !== 'created') return
      // What a window does on the event: ask for the first page.
      firstCheck = bench
        .call<{ data: unknown[] }>('connections.list', { limit: 10, remoteId })
        .then((page) => {
          if (page.data.length > 0) firstVisibleMs = performance.now() - start
        })
    })
    const baseline = process.memoryUsage().rss
    let peak = baseline
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const remote = await bench.call<Remote>('remotes.add', {
      name: 'Bench',
      dialect: 'activepieces',
      baseUrl: server.target.baseUrl,
      projectId: server.target.projectId,
      apiKey: server.target.apiKey,
    })
    remoteId = remote.id
    start = performance.now()
    const result = await timed(server, () => bench.call<SyncRunSummary[]>('sync.run', { remoteId }))
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    unsubscribe()
    await firstCheck
    const summary = result.value[0]!
    if (summary.pulled !== PULL || summary.error)
      throw new Error(`pull incomplete: ${JSON.stringify(summary)}`)
    const { total } = await bench.call<{ total: number }>('connections.slice', { offset: 0, limit: 1 })
    return { ...result, peakGrowthMiB: (peak - baseline) / 2 ** 20, firstVisibleMs, total }
  } finally {
    await bench.close()
  }
}

async function pullFloor(server: ServerChild, dir: string) {
  const db = floorDb(join(dir, 'pull-floor'))
  const insert = db.prepare(
    'INSERT INTO items (id, external_id, display_name, piece_name, remote_id, remote_updated) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const { baseUrl, apiKey, projectId } = server.target
  const agent = new Agent({ keepAlive: true })
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  let count = 0
  try {
    const result = await timed(server, async () => {
      const signal = new AbortController().signal
      const fetchPage = async (query: { limit: number; cursor: string | undefined }) => {
        const url = new URL(`${baseUrl}${PATH}`)
        url.searchParams.set('projectId', projectId!)
        url.searchParams.set('limit', String(query.limit))
        if (query.cursor) url.searchParams.set('cursor', query.cursor)
        const body = (await getJson(agent, url.toString(), apiKey)) as {
          data: unknown[]
          next: string | null
        }
        return { data: body.data.map((item) => toRemoteConnection(item)!), next: body.next }
      }
      for await (const page of pagesWithoutGaps(fetchPage, 200, signal)) {
        db.transaction(() => {
          for (const row of page)
            insert.run(
              `l${count++}`,
              row.externalId,
              row.displayName,
              row.pieceName,
              row.remoteId,
              row.updated,
            )
        })()
      }
    })
    clearInterval(sampler)
    return {
      ...result,
      peakGrowthMiB: (Math.max(peak, process.memoryUsage().rss) - baseline) / 2 ** 20,
      count,
    }
  } finally {
    clearInterval(sampler)
    db.close()
  }
}

export async function run(): Promise<BenchRun> {
  const dir = makeTempDir('sync')
  const { mkdirSync } = await import('node:fs')
  for (const sub of ['push', 'push-floor', 'pull', 'pull-floor']) mkdirSync(join(dir, sub))
  // A server per side: a pull that starts Latchkey's push must not find the floor's rows.
  const push = await withServer((server) => pushLatchkey(server, dir))
  const pushFloorRun = await withServer((server) => pushFloor(server, dir))
  const pullServer = await startServerChild()
  let pull, pullFloorRun
  try {
    await pullServer.ask('seed 0 ' + PULL)
    pullFloorRun = await pullFloor(pullServer, dir)
    pull = await pullLatchkey(pullServer, dir)
  } finally {
    await pullServer.close()
    removeDir(dir)
  }
  const measures = [
    measure(
      `push ${PUSH} outbox entries (own time)`,
      'ms',
      push.ownMs,
      pushFloorRun.ownMs,
      atMostMs(PUSH_TARGET_MS),
    ),
    measure(
      `pull ${PULL} connections (own time)`,
      'ms',
      pull.ownMs,
      pullFloorRun.ownMs,
      atMostMs(PULL_TARGET_MS),
    ),
    measure(
      `peak RSS growth pulling ${PULL} (MiB)`,
      'ms',
      pull.peakGrowthMiB,
      pullFloorRun.peakGrowthMiB,
      atMostMs(100),
    ),
    measure('first pulled row visible in connections.list', 'ms', pull.firstVisibleMs ?? Number.NaN, null),
  ]
  const details = {
    push: { wallMs: round(push.wallMs), serverCpuMs: round(push.serverMs), ownMs: round(push.ownMs) },
    pushFloor: {
      wallMs: round(pushFloorRun.wallMs),
      serverCpuMs: round(pushFloorRun.serverMs),
      ownMs: round(pushFloorRun.ownMs),
    },
    pull: {
      wallMs: round(pull.wallMs),
      serverCpuMs: round(pull.serverMs),
      ownMs: round(pull.ownMs),
      peakRssGrowthMiB: round(pull.peakGrowthMiB),
      firstVisibleMs: pull.firstVisibleMs === null ? null : round(pull.firstVisibleMs),
      rowsInVault: pull.total,
    },
    pullFloor: {
      wallMs: round(pullFloorRun.wallMs),
      serverCpuMs: round(pullFloorRun.serverMs),
      ownMs: round(pullFloorRun.ownMs),
      peakRssGrowthMiB: round(pullFloorRun.peakGrowthMiB),
      rows: pullFloorRun.count,
    },
    note: 'own = wall − the server process CPU time over the same span; peak RSS growth is a memory figure reported in the ms column (MiB)',
  }
  console.log(JSON.stringify(details, null, 2))
  for (const m of measures)
    console.log(`${m.measure}: ${m.latchkey} (floor ${m.floor}, ratio ${m.ratio}, met ${m.met})`)
  return { measures, details }
}
