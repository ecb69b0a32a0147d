// connections.list / slice / upsert / replace on a vault of 100k connections over 300 pieces,
// every call through the router (core.router.dispatch) as a host makes it.
// Targets (reported, never enforced): every list/search query p95 ≤ 5 ms; upsert ≥ 5,000/s.
import type { AppConnection, ConnectionFilter, Page } from '../src/shared/contract'
import { randomBytes } from 'node:crypto'
import { createConnectionsService } from '../src/main/connections/service'
import {
  COMMON_WORD,
  RARE_WORD,
  createGenerator,
  parseUpsert,
  pieceName,
  projectId,
} from '../test/support/dataset'
import {
  BENCH_PASSWORD,
  machineInfo,
  round,
  sample,
  stats,
  writeResults,
  type LatencyStats,
} from './support/harness'
import { copyOf, sharedVault } from './support/shared-vault'

const LIST_TARGET_P95_MS = 5
const UPSERT_TARGET_PER_S = 5000
const CALLS = 200
const PAGE_LIMIT = 50
const DEEP_PAGES = 50
const SLICE_LIMIT = 100
/** Fewer than the list's: slice is extra (the renderer's path) and some cells take ~100 ms a call. */
const SLICE_CALLS = 50
const UPSERT_CALLS = 2000
const FLOW_REFERENCES = 1000
const REPLACE_CALLS = 50
const SORTS = ['updated', 'created', 'displayName', 'expiry'] as const

type Filter = Omit<ConnectionFilter, 'sort'>

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')

export async function run(): Promise<void> {
  const template = await sharedVault()
  const { spec } = template
  const copy = copyOf(template, 'connections')
  const { bench, clock } = copy
  const call = bench.call
  try {
    await call('vault.unlock', { password: BENCH_PASSWORD })

    const single: [string, Filter][] = [
      ['none', {}],
      ['pieceName (most common)', { pieceName: pieceName(0) }],
      ['pieceName (rare)', { pieceName: pieceName(spec.pieces - 1) }],
      [`displayName "${COMMON_WORD}" (common)`, { displayName: COMMON_WORD }],
      [`displayName "${RARE_WORD}" (rare)`, { displayName: RARE_WORD }],
      ['status ERROR', { status: ['ERROR'] }],
      ['status MISSING (rare)', { status: ['MISSING'] }],
      ['scope PLATFORM', { scope: 'PLATFORM' }],
      ['projectId (largest)', { projectId: projectId(0) }],
      ['projectId (small)', { projectId: projectId(150) }],
      ['remoteId (15%)', { remoteId: 'remote-main' }],
      ['remoteId (rare)', { remoteId: 'remote-rare' }],
      ['remoteId null (local)', { remoteId: null }],
    ]
    const combined: [string, Filter][] = [
      // Under 3 characters FTS5 trigram cannot help: every row's name is tested.
      ['displayName "Qu" (2 chars, rare)', { displayName: 'Qu' }],
      [
        'piece(common)+status ACTIVE+scope PROJECT',
        { pieceName: pieceName(0), status: ['ACTIVE'], scope: 'PROJECT' },
      ],
      [
        'project(largest)+remote(15%)+status ERROR',
        { projectId: projectId(0), remoteId: 'remote-main', status: ['ERROR'] },
      ],
      [
        `name "${COMMON_WORD}"+piece(common)+scope PLATFORM`,
        { displayName: COMMON_WORD, pieceName: pieceName(0), scope: 'PLATFORM' },
      ],
      [`name "${RARE_WORD}"+status ACTIVE`, { displayName: RARE_WORD, status: ['ACTIVE'] }],
      ['piece(rare)+remote(15%)', { pieceName: pieceName(spec.pieces - 1), remoteId: 'remote-main' }],
      ['status ERROR+remote(rare)', { status: ['ERROR'], remoteId: 'remote-rare' }],
      [`project(small)+name "${COMMON_WORD}"`, { projectId: projectId(150), displayName: COMMON_WORD }],
      [
        'status ERROR,MISSING+scope PLATFORM+local',
        { status: ['ERROR', 'MISSING'], scope: 'PLATFORM', remoteId: null },
      ],
    ]

    // ---- connections.list: first page and a deep page, per filter and sort ----
    const listRows: ListRow[] = []
    const cases: [string, string, Filter, (typeof SORTS)[number]][] = []
    for (const [name, filter] of single) for (const sort of SORTS) cases.push(['single', name, filter, sort])
    for (const [name, filter] of combined)
      for (const sort of ['updated', 'displayName'] as const) cases.push(['combined', name, filter, sort])
    const listStart = performance.now()
    for (const [group, name, filter, sort] of cases) {
      listRows.push(await measureList(call, group, name, { ...filter, sort }))
    }
    const listSeconds = round((performance.now() - listStart) / 1000, 1)

    // ---- connections.slice: what the renderer's virtualized table calls (count + rows) ----
    const sliceRows: SliceRow[] = []
    const sliceCases: [string, (typeof SORTS)[number]][] = [
      ['none', 'updated'],
      ['none', 'displayName'],
      [`displayName "${COMMON_WORD}" (common)`, 'updated'],
      ['status ERROR', 'displayName'],
      ['projectId (largest)', 'updated'],
      ['remoteId (15%)', 'displayName'],
    ]
    for (const [name, sort] of sliceCases) {
      const filter = single.find(([candidate]) => candidate === name)![1]
      sliceRows.push(await measureSlice(call, name, { ...filter, sort }))
    }

    // ---- connections.upsert ----
    const generate = createGenerator({ ...spec, seed: spec.seed + 1 })
    let next = spec.connections
    const nextInput = () => {
      const { raw } = generate(next)
      next += 1
      return { ...raw, externalId: `bench_new_${next}` }
    }
    const tick = () => clock.set(clock.now() + 1)
    const upsertNew = await throughput(UPSERT_CALLS, async () => {
      tick()
      await call('connections.upsert', nextInput())
    })
    const existing = await call<Page<AppConnection>>('connections.list', { limit: 100, remoteId: null })
    const updateTargets = existing.data.map((connection) => connection)
    let updateIndex = 0
    const upsertUpdate = await throughput(UPSERT_CALLS / 2, async () => {
      tick()
      const target = updateTargets[updateIndex++ % updateTargets.length]!
      const { raw } = generate(updateIndex)
      await call('connections.upsert', {
        ...raw,
        pieceName: target.pieceName,
        externalId: target.externalId,
        remoteId: null,
      })
    })
    // No batch procedure exists; this is what one would get: the same router calls inside one
    // outer vault transaction (each call's own transaction becomes a savepoint, one fsync in all).
    const db = bench.core.vault.requireSession().db
    const upsertBatched = await throughput(UPSERT_CALLS, async (index) => {
      if (index === 0) db.exec('BEGIN IMMEDIATE')
      tick()
      await call('connections.upsert', nextInput())
      if (index === UPSERT_CALLS - 1) db.exec('COMMIT')
    })

    // The service's own seam: save() calls inside one session.transaction (no router, no zod).
    const session = bench.core.vault.requireSession()
    const service = createConnectionsService({ session: () => session, clock, random: randomBytes })
    const serviceInputs = Array.from({ length: UPSERT_CALLS }, () => parseUpsert(nextInput()))
    const serviceStart = performance.now()
    session.transaction(() => {
      for (const input of serviceInputs) {
        tick()
        service.save(input, 'upsert', 'bench')
      }
    })
    const serviceSeconds = (performance.now() - serviceStart) / 1000
    const upsertService: Throughput = {
      calls: UPSERT_CALLS,
      seconds: round(serviceSeconds, 2),
      callsPerSecond: round(UPSERT_CALLS / serviceSeconds, 0),
      // One synchronous transaction: no per-call latency to report.
      p50Ms: null,
      p95Ms: null,
    }

    // ---- connections.replace with 1,000 flow references ----
    const piece = pieceName(1)
    const made = async (label: string) =>
      (
        await call<{ connection: AppConnection }>('connections.upsert', {
          displayName: `Replace ${label}`,
          pieceName: piece,
          pieceVersion: '1.0.0',
          type: 'SECRET_TEXT',
          externalId: `replace_${label}`,
          value: { type: 'SECRET_TEXT', secret_text: `secret-${label}` },
        })
      ).connection.id
    const source = await made('source')
    const target = await made('target')
    const linkStart = performance.now()
    db.exec('BEGIN IMMEDIATE')
    for (let i = 0; i < FLOW_REFERENCES; i += 1) {
      await call('flows.link', {
        flowId: `flow_${i}`,
        connectionId: source,
        flowName: `Flow ${i}`,
        projectId: projectId(i % 10),
        active: i % 4 !== 0,
      })
    }
    db.exec('COMMIT')
    const linkMs = performance.now() - linkStart
    let from = source
    let to = target
    const moved: number[] = []
    const replaceSamples = await sample(
      REPLACE_CALLS,
      async () => {
        const result = await call<{ movedFlowReferences: number }>('connections.replace', {
          sourceAppConnectionId: from,
          targetAppConnectionId: to,
        })
        moved.push(result.movedFlowReferences)
        ;[from, to] = [to, from]
      },
      2,
    )
    const replace = stats(replaceSamples)
    const allMoved = moved.every((count) => count === FLOW_REFERENCES)

    // ---- report ----
    const info = machineInfo()
    console.log(
      `\n${info.cpuModel} × ${info.cores}, Node ${info.node}; ${spec.connections.toLocaleString('en')} connections, ` +
        `${spec.pieces} pieces, ${spec.projects} projects; list limit ${PAGE_LIMIT}, deep page = after ${DEEP_PAGES} pages; ` +
        `${CALLS} calls per cell (${listSeconds} s for the list matrix).`,
    )
    console.log(`\nconnections.list — p50/p95 ms (target p95 ≤ ${LIST_TARGET_P95_MS} ms)`)
    console.table(
      listRows.map((row) => ({
        filter: row.name,
        sort: row.sort,
        matches: row.matches,
        'first p50': row.first.p50Ms,
        'first p95': row.first.p95Ms,
        'deep p50': row.deep?.p50Ms ?? '-',
        'deep p95': row.deep?.p95Ms ?? '-',
        'deep page#': row.deepPage,
        target: verdict(row.pass),
      })),
    )
    console.log(
      `\nconnections.slice (the renderer's table: count + ${SLICE_LIMIT} rows; ${SLICE_CALLS} calls per cell) — ms`,
    )
    console.table(
      sliceRows.map((row) => ({
        filter: row.name,
        sort: row.sort,
        total: row.total,
        'offset 0 p50': row.first.p50Ms,
        'offset 0 p95': row.first.p95Ms,
        'middle p50': row.middle.p50Ms,
        'middle p95': row.middle.p95Ms,
        target: verdict(row.pass),
      })),
    )
    const upsertTable = [
      { path: 'router, new connection, one transaction per call', ...upsertNew },
      { path: 'router, existing connection, one transaction per call', ...upsertUpdate },
      { path: 'router calls inside one outer transaction (no batch API)', ...upsertBatched },
      { path: 'service.save inside one session.transaction (seam)', ...upsertService },
    ].map((row) => ({ ...row, target: verdict(row.callsPerSecond >= UPSERT_TARGET_PER_S) }))
    console.log(
      `\nconnections.upsert — calls/s (target ≥ ${UPSERT_TARGET_PER_S}/s). No batch procedure in the router, no ` +
        'batch method in the service: the only batching is nesting calls in one vault transaction.',
    )
    console.table(upsertTable)
    console.log(
      `\nconnections.replace with ${FLOW_REFERENCES} flow references (linked in ${round(linkMs)} ms)`,
    )
    console.table([{ ...replace, movedEachTime: allMoved ? FLOW_REFERENCES : moved.join(',') }])

    const misses = listRows.filter((row) => !row.pass)
    console.log(
      `\nlist target: ${listRows.length - misses.length}/${listRows.length} PASS` +
        (misses.length > 0 ? `; MISS: ${misses.map((row) => `${row.name} [${row.sort}]`).join('; ')}` : ''),
    )
    const file = writeResults('connections', {
      parameters: {
        connections: spec.connections,
        pieces: spec.pieces,
        projects: spec.projects,
        remotes: spec.remotes,
        errorShare: spec.errorShare,
        missingShare: spec.missingShare,
        pageLimit: PAGE_LIMIT,
        deepPages: DEEP_PAGES,
        callsPerCell: CALLS,
        sliceLimit: SLICE_LIMIT,
        sliceCallsPerCell: SLICE_CALLS,
        upsertCalls: UPSERT_CALLS,
        flowReferences: FLOW_REFERENCES,
        replaceCalls: REPLACE_CALLS,
        targets: { listP95Ms: LIST_TARGET_P95_MS, upsertPerSecond: UPSERT_TARGET_PER_S },
      },
      machine: info,
      seed: {
        rows: template.seed.rows,
        insertMs: round(template.seed.insertMs),
        rowsPerSecond: round(template.seed.rowsPerSecond, 0),
      },
      list: listRows,
      slice: sliceRows,
      upsert: { batchPathExists: false, results: upsertTable },
      replace: { ...replace, flowReferences: FLOW_REFERENCES, allMoved },
    })
    console.log(`Wrote ${file}`)
  } finally {
    await copy.dispose()
  }
}

type Call = <T = unknown>(name: string, input?: unknown) => Promise<T>

interface ListRow {
  group: string
  name: string
  sort: string
  filter: ConnectionFilter
  matches: number
  first: LatencyStats
  deep: LatencyStats | null
  /** Which page the deep measurement fetched (1-based); fewer than DEEP_PAGES + 1 when the list is shorter. */
  deepPage: number
  pass: boolean
}

async function measureList(
  call: Call,
  group: string,
  name: string,
  filter: ConnectionFilter,
): Promise<ListRow> {
  const { total } = await call<{ total: number }>('connections.slice', { ...filter, offset: 0, limit: 1 })
  const input = { ...filter, limit: PAGE_LIMIT }
  const first = stats(await sample(CALLS, () => call('connections.list', input)))
  // Walk forward with `next`; the deep page is the one after DEEP_PAGES pages (or the last one).
  let cursor: string | null = null
  let page = 1
  let current = await call<Page<AppConnection>>('connections.list', input)
  while (current.next && page <= DEEP_PAGES) {
    cursor = current.next
    current = await call<Page<AppConnection>>('connections.list', { ...input, cursor })
    page += 1
  }
  const deepInput = cursor ? { ...input, cursor } : null
  const deep = deepInput ? stats(await sample(CALLS, () => call('connections.list', deepInput))) : null
  const pass = first.p95Ms <= LIST_TARGET_P95_MS && (deep === null || deep.p95Ms <= LIST_TARGET_P95_MS)
  return {
    group,
    name,
    sort: filter.sort ?? 'updated',
    filter,
    matches: total,
    first,
    deep,
    deepPage: page,
    pass,
  }
}

interface SliceRow {
  name: string
  sort: string
  total: number
  first: LatencyStats
  middle: LatencyStats
  pass: boolean
}

async function measureSlice(call: Call, name: string, filter: ConnectionFilter): Promise<SliceRow> {
  const { total } = await call<{ total: number }>('connections.slice', { ...filter, offset: 0, limit: 1 })
  const at = (offset: number) => ({ ...filter, offset, limit: SLICE_LIMIT })
  const first = stats(await sample(SLICE_CALLS, () => call('connections.slice', at(0)), 3))
  const middle = stats(
    await sample(SLICE_CALLS, () => call('connections.slice', at(Math.floor(total / 2))), 3),
  )
  const pass = first.p95Ms <= LIST_TARGET_P95_MS && middle.p95Ms <= LIST_TARGET_P95_MS
  return { name, sort: filter.sort ?? 'updated', total, first, middle, pass }
}

interface Throughput {
  calls: number
  seconds: number
  callsPerSecond: number
  p50Ms: number | null
  p95Ms: number | null
}

async function throughput(calls: number, work: (index: number) => Promise<void>): Promise<Throughput> {
  const samples: number[] = []
  const start = performance.now()
  for (let i = 0; i < calls; i += 1) {
    const begin = performance.now()
    await work(i)
    samples.push(performance.now() - begin)
  }
  const seconds = (performance.now() - start) / 1000
  const latency = stats(samples)
  return {
    calls,
    seconds: round(seconds, 2),
    callsPerSecond: round(calls / seconds, 0),
    p50Ms: latency.p50Ms,
    p95Ms: latency.p95Ms,
  }
}
