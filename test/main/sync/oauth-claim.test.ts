import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import type { AppConnection, Remote } from '../../../src/shared/contract'
import type { OAuthFlowStarted, OAuthStatus } from '../../../src/shared/contract/oauth'
import { browse } from '../../support/oauth-browser'
import {
  NATIVE_CLIENT_ID,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../support/oidc-provider'
import { startSyncServer, type SyncServer } from '../../support/sync-server'
import { createUnlockedTestCore, type UnlockedTestCore } from '../../support/vault'

const PIECE = '@activepieces/piece-example'
let core: UnlockedTestCore | null = null
let provider: AuthorizationServer | null = null
let server: SyncServer | null = null
afterEach(async () => {
  await core?.dispose()
  await provider?.close()
  await server?.close()
  core = provider = server = null
})

/**
 * The provider's token endpoint as a provider that ignores a client secret sent by a public PKCE
 * client (many do; oidc-provider refuses it): it forwards the claim without the secret.
 */
async function tokenEndpointIgnoringSecret(issuer: string): Promise<{ url: string; close(): Promise<void> }> {
  const relay = createServer((incoming, response) => {
    let body = ''
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()))
    incoming.on('end', () => {
      const form = new URLSearchParams(body)
      form.delete('client_secret')
      void fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
      }).then(async (answer) => {
        response.writeHead(answer.status, { 'content-type': 'application/json' })
        response.end(await answer.text())
      })
    })
  })
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}/token`,
    close: () => new Promise((resolve) => relay.close(() => resolve())),
  }
}

async function signIn(
  remoteId: string | null,
  clientSecret?: string,
): Promise<{ started: OAuthFlowStarted; status: OAuthStatus }> {
  const statuses: OAuthStatus[] = []
  core!.core.events.subscribe((name, payload) => {
    if (name === 'oauth.status') statuses.push(payload as OAuthStatus)
  })
  const started = await core!.call<OAuthFlowStarted>('oauth.start', {
    provider: {
      kind: 'issuer',
      issuer: provider!.issuer,
      clientId: NATIVE_CLIENT_ID,
      scopes: ['openid', 'api'],
      ...(clientSecret ? { clientSecret } : {}),
    },
    connection: {
      displayName: 'Signed in on the remote',
      pieceName: PIECE,
      externalId: 'example-oauth',
      projectIds: server ? [server.projectId] : [],
      remoteId,
    },
  })
  await browse(started.authorizationUrl)
  for (let i = 0; i < 300; i += 1) {
    const done = statuses.find(
      (status) => status.flowId === started.flowId && !['waiting', 'exchanging'].includes(status.state),
    )
    if (done) return { started, status: done }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('the sign-in did not finish')
}

it('an OAuth2 sign-in bound to an Activepieces remote hands the code to the remote, which claims it; the vault keeps it as secret held remotely', async () => {
  provider = await startAuthorizationServer()
  server = await startSyncServer({ dialect: 'activepieces' })
  // The remote claims codes for this piece at the provider's token endpoint, as a real piece would.
  const relay = await tokenEndpointIgnoringSecret(provider.issuer)
  server.setTokenUrl(PIECE, relay.url)
  core = await createUnlockedTestCore()
  const remote = await core.call<Remote>('remotes.add', {
    name: 'Team',
    dialect: 'activepieces',
    baseUrl: server.target.baseUrl,
    projectId: server.target.projectId,
    apiKey: server.target.apiKey,
  })

  const refusal = await core.core.router.dispatch(
    'oauth.start',
    {
      provider: { kind: 'issuer', issuer: provider.issuer, clientId: NATIVE_CLIENT_ID },
      connection: { displayName: 'x', pieceName: PIECE, remoteId: remote.id },
    },
    { origin: 'test' },
  )
  expect(refusal.ok ? null : refusal.error.params.issues?.[0]?.path).toBe('provider.clientSecret')

  const { started, status } = await signIn(remote.id, 'the-app-client-secret')
  await relay.close()
  expect(status).toMatchObject({ state: 'connected' })
  // One token request reached the provider, made by the remote; Latchkey exchanged nothing itself.
  expect(provider.tokenRequests()).toBe(1)
  const [row] = server.rows('activepieces')
  expect(row).toMatchObject({ externalId: 'example-oauth', type: 'OAUTH2' })
  expect(typeof row!.value.access_token).toBe('string')
  expect(row!.value.redirect_url).toBe(started.redirectUri)
  expect(row!.value.claimed_at).toBeLessThan(10_000_000_000)

  const connection = await core.call<AppConnection>('connections.get', { id: status.connectionId })
  expect(connection).toMatchObject({
    remoteId: remote.id,
    hasValue: false,
    syncState: 'SYNCED',
    type: 'OAUTH2',
  })
  const [state] = await core.call<{ secretHeldRemotely: boolean }[]>('sync.connectionStates', {
    ids: [connection.id],
  })
  expect(state!.secretHeldRemotely).toBe(true)
  // Nothing waits to go out, and a sync finds the two sides equal.
  const [summary] = await core.call<{ pushed: number; conflicts: number }[]>('sync.run', {})
  expect(summary).toMatchObject({ pushed: 0, conflicts: 0 })
  expect(server.writes().filter((write) => write.op !== 'create')).toHaveLength(0)
})

it('without a remote the sign-in still exchanges the code locally', async () => {
  provider = await startAuthorizationServer()
  core = await createUnlockedTestCore()
  const { status } = await signIn(null)
  expect(status.state).toBe('connected')
  const connection = await core.call<AppConnection>('connections.get', { id: status.connectionId })
  expect(connection).toMatchObject({ remoteId: null, hasValue: true })
})
