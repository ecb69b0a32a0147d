import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Dialect, RemoteTarget } from '../../../src/main/sync/dialects/remote-client'
import { ACTIVEPIECES_BASE, handleActivepieces } from './activepieces-routes'
import type { ServerContext } from './context'
import { createFaults, type FaultRule } from './faults'
import { encodeReply, json, readRequest, routeNotFound, writeReply, type Reply } from './http'
import { createOAuthStub } from './oauth-stub'
import { apId, openStore, weavzId, type ServerDialect, type StoredConnection, type StoredFlow } from './store'
import { WEAVZ_BASE, handleWeavz } from './weavz-routes'

export type { FaultRule } from './faults'
export type { StoredConnection, StoredFlow, WriteRecord } from './store'

export interface SyncServerOptions {
  /** Which dialect `target` points at; the server speaks both either way. Default activepieces. */
  dialect?: Dialect
  /** Keep the server's SQLite here (a restarted server sees the same rows); a temp file otherwise. */
  dbFile?: string
  /** The server's clock for `created`/`updated`; tests freeze it to pile rows into one second. */
  now?: () => number
  /** Weavz answers in its document's shapes (default) or the live API's the SDK shows. */
  weavzShape?: 'document' | 'sdk'
  /** The dialects it serves (both by default); the other's paths answer 404, as a one-dialect server would. */
  serves?: ServerDialect[]
}

export interface SeedConnection {
  externalId: string
  pieceName?: string
  displayName?: string
  type?: string
  status?: string
  createdMs?: number
  metadata?: Record<string, unknown> | null
  value?: Record<string, unknown>
}

export interface SyncServer {
  /** http://127.0.0.1:port — the base URL for either dialect. */
  url: string
  origin: string
  apiKey: string
  /** A valid key without permission: the server answers 403. */
  forbiddenApiKey: string
  projectId: string
  orgId: string
  /** A RemoteTarget for the dialect the server was started for. */
  target: RemoteTarget
  targetFor(dialect: Dialect): RemoteTarget
  /** The stub provider's token endpoint, where Activepieces upserts claim OAuth2 codes by default. */
  tokenUrl: string
  faults: {
    add(rule: FaultRule): void
    clear(): void
    /** Stops listening and cuts every open socket: the remote is unreachable. */
    offline(): Promise<void>
    /** Listens again on the same port. */
    online(): Promise<void>
  }
  setNow(now: () => number): void
  /** The connections the server holds (value included), oldest first. */
  rows(dialect?: ServerDialect): StoredConnection[]
  /** Every write the server applied, in order (create, update, metadata, delete, replace). */
  writes(): ReturnType<ReturnType<typeof openStore>['writes']>
  /** Requests that reached a route, in order (faulted ones included). */
  requests(): { method: string; path: string; query: string }[]
  seed(dialect: ServerDialect, connections: SeedConnection[]): StoredConnection[]
  addFlow(flow: { id?: string; draftRefs: string[]; publishedRefs?: string[] | null }): StoredFlow
  flows(): StoredFlow[]
  /** A code the stub provider accepts once, with this verifier, client and redirect. */
  issueAuthorizationCode(pending: {
    clientId: string
    redirectUrl: string
    codeVerifier: string
    scope?: string
  }): string
  /** How many token requests the stub provider has answered. */
  tokenClaims(): number
  /** Claims this piece's codes at another token URL (a real provider in a test). */
  setTokenUrl(pieceName: string, url: string): void
  close(): Promise<void>
}

/**
 * A real HTTP server on 127.0.0.1 that speaks Activepieces (`/api/v1/app-connections`, as the real
 * server behaves) and Weavz (`/api/v1/connections`, from its document), persisting in SQLite, with
 * faults a test switches on and a log of every write for "nothing duplicated" asserts.
 */
export async function startSyncServer(options: SyncServerOptions = {}): Promise<SyncServer> {
  const tempDir = options.dbFile ? null : mkdtempSync(join(tmpdir(), 'latchkey-sync-server-'))
  const store = openStore(options.dbFile ?? join(tempDir!, 'server.sqlite'))
  const faults = createFaults()
  const stub = createOAuthStub()
  const tokenUrls = new Map<string, string>()
  const requestLog: { method: string; path: string; query: string }[] = []
  const sockets = new Set<Socket>()
  let now = options.now ?? Date.now
  const serves = new Set<ServerDialect>(options.serves ?? ['activepieces', 'weavz'])
  let origin = ''

  const owner = {
    id: store.identity('ownerId', apId),
    email: 'owner@team.test',
    firstName: 'Olive',
    lastName: 'Owner',
  }
  const context: ServerContext = {
    store,
    now: () => now(),
    apiKey: store.identity('apiKey', () => `sk-${apId()}`),
    forbiddenApiKey: store.identity('forbiddenApiKey', () => `sk-${apId()}`),
    projectId: store.identity('projectId', apId),
    platformId: store.identity('platformId', apId),
    orgId: store.identity('orgId', () => `org_${apId()}`),
    owner,
    tokenUrlFor: (pieceName) => tokenUrls.get(pieceName) ?? `${origin}/stub-oauth/token`,
    weavzShape: options.weavzShape ?? 'document',
  }

  async function route(path: string, request: Awaited<ReturnType<typeof readRequest>>): Promise<Reply> {
    if (
      serves.has('activepieces') &&
      (path === ACTIVEPIECES_BASE || path.startsWith(`${ACTIVEPIECES_BASE}/`))
    ) {
      return handleActivepieces(request, context)
    }
    if (serves.has('weavz') && (path === WEAVZ_BASE || path.startsWith(`${WEAVZ_BASE}/`))) {
      return handleWeavz(request, context)
    }
    return routeNotFound(request.method, path)
  }

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const request = await readRequest(incoming)
    if (request.path === '/stub-oauth/token' && request.method === 'POST') {
      writeReply(response, stub.handleToken(new URLSearchParams(request.text)))
      return
    }
    requestLog.push({ method: request.method, path: request.path, query: request.query.toString() })
    const dialect = request.path.startsWith(ACTIVEPIECES_BASE)
      ? 'activepieces'
      : request.path.startsWith(WEAVZ_BASE)
        ? 'weavz'
        : null
    const plan = faults.plan({ method: request.method, path: request.path, dialect })
    if (plan.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.latencyMs))
    if (plan.outcome === 'hang') return
    if (plan.outcome === 'status') {
      const status = plan.rule?.status ?? 500
      writeReply(
        response,
        json(status, { statusCode: status, error: 'Internal Server Error', message: 'Injected fault' }),
      )
      return
    }
    if (plan.outcome === 'rate-limit') {
      const seconds = plan.rule?.retryAfterSeconds ?? 1
      writeReply(
        response,
        json(
          429,
          { statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded' },
          { 'retry-after': String(seconds) },
        ),
      )
      return
    }
    let reply: Reply
    try {
      reply = await route(request.path, request)
    } catch {
      reply = json(500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' })
    }
    if (plan.outcome === 'lost-response') {
      incoming.socket.destroy()
      return
    }
    if (plan.outcome === 'reset') {
      const { head, payload } = encodeReply(reply)
      response.writeHead(reply.status, head)
      response.flushHeaders()
      response.write(payload.subarray(0, Math.floor(payload.length / 2)), () => incoming.socket.destroy())
      return
    }
    writeReply(response, reply)
  }

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => incoming.socket.destroy())
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  origin = `http://127.0.0.1:${port}`
  let listening = true

  async function stopListening(): Promise<void> {
    if (!listening) return
    listening = false
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const socket of sockets) socket.destroy()
    server.closeAllConnections()
    await closed
    // Lets a client in this process see its keep-alive sockets close, so its next request meets
    // the closed port (refused) rather than a dead pooled socket (reset).
    await new Promise((resolve) => setTimeout(resolve, 25))
  }

  const targetFor = (dialect: Dialect): RemoteTarget =>
    dialect === 'activepieces'
      ? { dialect, baseUrl: origin, apiKey: context.apiKey, projectId: context.projectId }
      : { dialect, baseUrl: origin, apiKey: context.apiKey, orgId: context.orgId }

  return {
    url: origin,
    origin,
    apiKey: context.apiKey,
    forbiddenApiKey: context.forbiddenApiKey,
    projectId: context.projectId,
    orgId: context.orgId,
    target: targetFor(options.dialect ?? 'activepieces'),
    targetFor,
    tokenUrl: `${origin}/stub-oauth/token`,
    faults: {
      add: (rule) => faults.add(rule),
      clear: () => faults.clear(),
      offline: stopListening,
      async online() {
        if (listening) return
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          server.listen(port, '127.0.0.1', () => resolve())
        })
        listening = true
      },
    },
    setNow(next) {
      now = next
    },
    rows: (dialect) => store.all(dialect),
    writes: () => store.writes(),
    requests: () => [...requestLog],
    seed(dialect, connections) {
      const at = now()
      const rows = connections.map((seed): StoredConnection => ({
        id: dialect === 'activepieces' ? apId() : weavzId(),
        dialect,
        externalId: seed.externalId,
        pieceName: seed.pieceName ?? '@activepieces/piece-slack',
        displayName: seed.displayName ?? seed.externalId,
        type: seed.type ?? 'SECRET_TEXT',
        status: seed.status ?? 'ACTIVE',
        projectIds: [context.projectId],
        scope: 'PROJECT',
        ownerId: owner.id,
        metadata: seed.metadata ?? null,
        value: seed.value ?? { type: seed.type ?? 'SECRET_TEXT', secret_text: `seeded-${seed.externalId}` },
        createdMs: seed.createdMs ?? at,
        updatedMs: seed.createdMs ?? at,
      }))
      store.insertMany(rows)
      return rows
    },
    addFlow(flow) {
      const stored: StoredFlow = {
        id: flow.id ?? apId(),
        projectId: context.projectId,
        draftRefs: flow.draftRefs,
        publishedRefs: flow.publishedRefs ?? null,
      }
      store.saveFlow(stored)
      return stored
    },
    flows: () => store.flows(),
    issueAuthorizationCode: (pending) => stub.issueCode(pending),
    tokenClaims: () => stub.claims(),
    setTokenUrl(pieceName, url) {
      tokenUrls.set(pieceName, url)
    },
    async close() {
      await stopListening()
      store.close()
      if (tempDir) rmSync(tempDir, { recursive: true, force: true })
    },
  }
}
