/**
 * The seam between the dialect clients (H3) and the sync engine (H4). Change it only with a note
 * here and a small commit of its own.
 *
 * Changes:
 * - RemoteErrorKind has 'cancelled' (the caller's AbortSignal fired), so a cancel is never retried.
 * - RemoteClientDeps.pageSize (optional): rows per list request (Activepieces) or per yielded chunk (Weavz).
 * - ensure-created.ts: ensureCreated() and recreate() — creates that are safe to repeat after a lost
 *   answer or a crash (Weavz rotation = delete + create).
 *
 * Tests: start the sync test server (test/support/sync-server) with
 *   const server = await startSyncServer({ dialect: 'activepieces' })   // or 'weavz'; dbFile to persist
 *   const client = createRemoteClient(server.target, { fetch, clock })
 * `server.target` is a ready RemoteTarget for that dialect (`targetFor(d)` for the other; the server
 * speaks both unless `serves` narrows it). `server.faults.add({ kind, match?, times? })` switches on
 * latency | status | rate-limit | reset | lost-response | hang; `faults.offline()/online()` close and
 * reopen the port. `server.writes()` lists every applied write (create/update/metadata/delete/
 * replace) for "no duplicate creation"; `server.rows(d)` the rows it holds, values included;
 * `seed(d, rows)` inserts with chosen `createdMs` (pile hundreds into one second); `setNow(fn)` sets
 * its clock; `addFlow({ draftRefs, publishedRefs })` makes flows that reference externalIds;
 * `issueAuthorizationCode({ clientId, redirectUrl, codeVerifier })` makes a code an Activepieces
 * upsert can claim. `await server.close()`.
 */
import type { ConnectionValue } from '../../../shared/contract/connections'
import type { Clock } from '../../adapters/clock'
import type { Fetch } from '../../adapters/fetch'

export type Dialect = 'activepieces' | 'weavz'

export interface RemoteTarget {
  dialect: Dialect
  /** The server's origin plus any prefix, e.g. https://cloud.activepieces.com (the client adds /api/v1/…). */
  baseUrl: string
  apiKey: string
  /** Activepieces: required on list, owners and replace. Weavz: optional project scope. */
  projectId?: string
  /** Weavz organisation, when the server wants it named; the API key usually implies it. */
  orgId?: string
}

/** What a pull yields for one remote connection; unknown extra fields are tolerated and dropped. */
export interface RemoteConnection {
  /** The remote's own id (Activepieces apId, Weavz conn_…): never invented locally. */
  remoteId: string
  externalId: string
  displayName: string
  pieceName: string
  type: string
  status: string
  projectIds: string[]
  flowIds: string[]
  scope?: string
  owner?: { id: string; email?: string } | null
  metadata?: Record<string, unknown> | null
  /** ISO, as the server gave them. */
  created: string
  updated: string
}

/** OAuth2 on Activepieces: the remote claims the code itself, so the secret is then held remotely. */
export interface OAuthCodeClaim {
  code: string
  codeVerifier: string
  redirectUrl: string
  clientId: string
  clientSecret?: string
  tokenUrl?: string
  scope?: string
}

export interface RemoteUpsert {
  externalId: string
  displayName: string
  pieceName: string
  type: string
  projectIds: string[]
  metadata?: Record<string, unknown> | null
  /** The secret: sent only in this call, never logged. Ignored for an OAuth2 code claim. */
  value: ConnectionValue
  oauthCodeClaim?: OAuthCodeClaim
}

export interface ReplaceInput {
  sourceRemoteId: string
  targetRemoteId: string
  deleteSourceConnection: boolean
  applyToPublishedVersions: boolean
}

export interface RemoteOwner {
  id: string
  email?: string
  name?: string
}

export interface RemoteSupports {
  updateMetadata: boolean
  replace: boolean
  owners: boolean
  tokenUpload: boolean
  codeClaim: boolean
}

export interface RemoteClient {
  readonly dialect: Dialect
  readonly supports: RemoteSupports
  /** Every remote row exactly once, a page at a time (bounded memory), oldest first where the server orders. */
  listPages(signal: AbortSignal): AsyncIterable<RemoteConnection[]>
  findByExternalId(
    pieceName: string,
    externalId: string,
    signal: AbortSignal,
  ): Promise<RemoteConnection | null>
  /** Activepieces: idempotent by externalId. Weavz: create, a RemoteError (409, CONFLICT) if it exists. */
  upsert(input: RemoteUpsert, signal: AbortSignal): Promise<RemoteConnection>
  /** Unsupported on Weavz (RemoteError kind 'unsupported'). */
  updateMetadata(
    remote: RemoteConnection,
    patch: { displayName?: string; metadata?: Record<string, unknown> | null },
    signal: AbortSignal,
  ): Promise<RemoteConnection>
  /** A connection already gone counts as deleted (404 is success). */
  delete(remote: RemoteConnection, signal: AbortSignal): Promise<void>
  /** Unsupported on Weavz. */
  replace(input: ReplaceInput, signal: AbortSignal): Promise<void>
  /** Unsupported on Weavz. */
  owners(signal: AbortSignal): Promise<RemoteOwner[]>
}

export interface RemoteClientDeps {
  fetch: Fetch
  clock: Clock
  /** Per request, body included; default 15 s. */
  timeoutMs?: number
  /** Rows per list request (Activepieces, default 500, grown when one second holds more) or per yielded chunk (Weavz, default 200). */
  pageSize?: number
}

export { createRemoteClient } from './create-remote-client'
