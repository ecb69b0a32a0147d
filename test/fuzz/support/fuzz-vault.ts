import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { startBrowserServer, type RunningBrowserServer } from '../../../src/main/hosts/browser/server'
import { isErrorObject, type ErrorObject } from '../../../src/shared/errors'
import type { AppConnection, Page } from '../../../src/shared/contract'
import { createUnlockedTestCore, TEST_PASSWORD, type UnlockedTestCore } from '../../support/vault'
import type { Plausible } from './inputs'

/** One answer, from the router or over HTTP: the value, or the contract's error object. */
export type Answer = { ok: true; value: unknown } | { ok: false; error: ErrorObject }

/**
 * Tables a refusal may still write: the audit log records refused unlocks and password changes
 * (audit_head is its anchor), and vault_header keeps the unlock backoff's counters, which must
 * survive a restart. Every other table must be untouched by a refused call.
 */
const MAY_WRITE_WHEN_REFUSED = new Set(['audit_log', 'audit_head', 'vault_header'])
const WRITES = 'temp.fuzz_writes'

export interface FuzzVault {
  t: UnlockedTestCore
  server: RunningBrowserServer
  plausible: Plausible
  /** Through the router, as the desktop's IPC and the CLI call it. */
  viaRouter(name: string, input: unknown): Promise<Answer>
  /** Through browser mode's HTTP server, as its page calls it. */
  viaHttp(name: string, input: unknown): Promise<Answer & { status: number }>
  /** Tables written since the last call to this (rolled-back writes leave nothing here). */
  takeWrites(): string[]
  /** SHA-256 over every row of every table a refusal must not touch. */
  contentDigest(): string
  /** Main's log lines about unexpected failures since the last call to this. */
  takeInternalErrors(): string[]
  /** Unlocks again when a fuzzed call locked the vault (vault.lock, a short auto-lock setting). */
  ensureUnlocked(): Promise<void>
  dispose(): Promise<void>
}

export async function createFuzzVault(): Promise<FuzzVault> {
  // What main logs about an unexpected failure (never the input): named in the fuzz's report.
  const internal: string[] = []
  const logger = {
    info() {},
    error(message: string, fields?: unknown) {
      internal.push(`${message} ${JSON.stringify(fields)}`)
    },
  }
  const t = await createUnlockedTestCore({ dependencies: { logger } })
  const server = await startBrowserServer({ core: t.core, rendererDir: t.dataDir, port: 0 })
  const plausible = await seed(t)
  let watched: Database.Database | null = null

  const db = () => t.core.vault.requireSession().db
  const guarded = (handle: Database.Database) =>
    (
      handle
        .prepare(
          `SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
        )
        .pluck()
        .all() as string[]
    ).filter((name) => !MAY_WRITE_WHEN_REFUSED.has(name))

  /** TEMP triggers on this handle only (never in the file), re-armed when an unlock opens a new one. */
  function watch(): void {
    const handle = db()
    if (watched === handle) return
    handle.exec(`CREATE TEMP TABLE IF NOT EXISTS fuzz_writes (name TEXT NOT NULL)`)
    for (const table of guarded(handle)) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        handle.exec(`CREATE TEMP TRIGGER IF NOT EXISTS fuzz_${table}_${event.toLowerCase()}
          AFTER ${event} ON main."${table}" BEGIN INSERT INTO ${WRITES} (name) VALUES ('${table}'); END`)
      }
    }
    watched = handle
  }
  watch()

  return {
    t,
    server,
    plausible,
    async viaRouter(name, input) {
      return t.core.router.dispatch(name, input, { origin: 'fuzz' })
    },
    async viaHttp(name, input) {
      const body = jsonText(input === undefined ? {} : input)
      const response = await fetch(`http://127.0.0.1:${server.port}/api/rpc/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
        body,
      })
      const parsed = JSON.parse(await response.text()) as unknown
      if (response.status === 200) return { ok: true, value: parsed, status: 200 }
      if (!isErrorObject(parsed))
        throw new Error(`HTTP ${response.status} without the error object: ${String(parsed)}`)
      return { ok: false, error: parsed, status: response.status }
    },
    takeInternalErrors: () => internal.splice(0),
    takeWrites() {
      watch()
      const handle = db()
      const names = handle.prepare(`SELECT DISTINCT name FROM ${WRITES}`).pluck().all() as string[]
      handle.exec(`DELETE FROM ${WRITES}`)
      return names
    },
    contentDigest() {
      const handle = db()
      const hash = createHash('sha256')
      for (const table of guarded(handle)) {
        hash.update(`\u0000${table}\u0000`)
        for (const row of handle.prepare(`SELECT * FROM main."${table}" ORDER BY 1`).raw().iterate()) {
          hash.update(
            JSON.stringify(row, (_key, value: unknown) =>
              Buffer.isBuffer(value) ? value.toString('hex') : value,
            ),
          )
        }
      }
      return hash.digest('hex')
    },
    async ensureUnlocked() {
      if ((await t.core.vault.status()).state === 'unlocked') return
      await t.call('vault.unlock', { password: TEST_PASSWORD })
      watch()
    },
    async dispose() {
      await server.close()
      await t.dispose()
    },
  }
}

/** A few real rows of every kind, so fuzzed ids, names and cursors can name something that exists. */
async function seed(t: UnlockedTestCore): Promise<Plausible> {
  const values = [
    { type: 'SECRET_TEXT', secret_text: 'fuzz-secret' },
    { type: 'BASIC_AUTH', username: 'u', password: 'p' },
    { type: 'CUSTOM_AUTH', props: { key: 'k', constructor: 'c' } },
    {
      type: 'OAUTH2',
      access_token: 'at',
      refresh_token: 'rt',
      token_url: 'http://127.0.0.1:9/token',
      expires_in: 3600,
    },
    { type: 'NO_AUTH' },
  ] as const
  const created: AppConnection[] = []
  for (let i = 0; i < 8; i += 1) {
    const value = values[i % values.length]!
    const { connection } = await t.call<{ connection: AppConnection }>('connections.upsert', {
      displayName: `Fuzz ${i} \u202Ertl`,
      pieceName: `@activepieces/piece-${['slack', 'gmail', 'github'][i % 3]}`,
      pieceVersion: '1.0.0',
      externalId: `fuzz_${i}`,
      type: value.type,
      ...(value.type === 'NO_AUTH' ? {} : { value }),
      projectIds: [`proj_${i % 2}`],
      metadata: { index: i },
    })
    created.push(connection)
  }
  await t.call('flows.link', { flowId: 'flow_1', connectionId: created[0]!.id, active: true })
  await t.call('policies.set', {
    pieceName: '@activepieces/piece-slack',
    projectId: 'proj_0',
    type: 'USER_REQUIRED',
  })
  const cursors: string[] = []
  const page = await t.call<Page<AppConnection>>('connections.list', { limit: 2 })
  if (page.next) cursors.push(page.next)
  const bySlack = await t.call<Page<AppConnection>>('connections.list', {
    limit: 1,
    pieceName: '@activepieces/piece-slack',
  })
  if (bySlack.next) cursors.push(bySlack.next)
  const audit = await t.call<{ next: string | null }>('audit.list', { limit: 2 })
  if (audit.next) cursors.push(audit.next)
  return {
    ids: [...created.map((c) => c.id), 'flow_1', 'proj_0', 'proj_1'],
    strings: ['@activepieces/piece-slack', 'fuzz_1', 'Fuzz', 'USER_REQUIRED', 'json', 'env'],
    cursors,
  }
}

/**
 * JSON text for a body, however deep: JSON.stringify recurses and overflows the stack on the
 * 5,000-level values the fuzz sends, so deep ones are written with an explicit stack (what
 * JSON.stringify would write: undefined members left out, non-finite numbers as null).
 */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null'
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
  }
  const out: string[] = []
  const stack: unknown[] = [value]
  const CLOSE = Symbol('close')
  while (stack.length > 0) {
    const item = stack.pop()
    if (typeof item === 'object' && item !== null && (item as { [CLOSE]?: string })[CLOSE]) {
      out.push((item as { [CLOSE]: string })[CLOSE])
      continue
    }
    if (typeof item === 'string') out.push(JSON.stringify(item))
    else if (typeof item === 'number') out.push(Number.isFinite(item) ? String(item) : 'null')
    else if (item === null || typeof item !== 'object')
      out.push(item === true ? 'true' : item === false ? 'false' : 'null')
    else {
      const array = Array.isArray(item)
      const entries = array
        ? item.map((v) => [null, v] as const)
        : Object.entries(item).filter(([, v]) => v !== undefined)
      out.push(array ? '[' : '{')
      stack.push({ [CLOSE]: array ? ']' : '}' })
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, member] = entries[i]!
        stack.push(member)
        const prefix = (i > 0 ? ',' : '') + (key === null ? '' : `${JSON.stringify(key)}:`)
        if (prefix !== '') stack.push({ [CLOSE]: prefix })
      }
    }
  }
  return out.join('')
}
