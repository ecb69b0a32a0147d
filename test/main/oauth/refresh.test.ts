import { afterEach, describe, expect, it } from 'vitest'
import type { AppConnection, ConnectionValue } from '../../../src/shared/contract'
import { UNLOCK_SETTLE_MS } from '../../../src/main/oauth/scheduler'
import { browse } from '../../support/oauth-browser'
import { NATIVE_CLIENT_ID, SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET } from '../../support/oidc-provider'
import { TEST_PASSWORD } from '../../support/vault'
import { connectionById, connectionFields, oauthHarness, type OAuthHarness } from './support'

type OAuth2Value = Extract<ConnectionValue, { type: 'OAUTH2' }>
const MINUTE = 60_000

let h: OAuthHarness

afterEach(async () => {
  await h.close()
})

/** Real HTTP runs on real time while the core's clock stands still: wait for its effect. */
async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > until) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function signIn(): Promise<AppConnection> {
  const started = await h.start()
  await browse(started.authorizationUrl)
  const status = await h.finalStatus(started.flowId)
  expect(status.state).toBe('connected')
  return connectionById(h, status.connectionId!)
}

async function valueOf(id: string): Promise<OAuth2Value> {
  return (await h.call<{ value: OAuth2Value }>('connections.reveal', { id })).value
}

describe('the refresh scheduler', () => {
  it('refreshes 15 minutes before expiry, stores the rotated refresh token with the new access token, and audits it', async () => {
    h = await oauthHarness({ manualClock: true })
    const connection = await signIn()
    const before = await valueOf(connection.id)
    expect(h.server.tokenRequests()).toBe(1)

    h.clock!.advance(44 * MINUTE)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(h.server.tokenRequests()).toBe(1)

    h.clock!.advance(1 * MINUTE)
    const refreshed = await eventually(
      () => connectionById(h, connection.id),
      (c) => c.health.lastRefreshSuccessAt !== null,
    )
    expect(h.server.tokenRequests()).toBe(2)
    expect(refreshed.status).toBe('ACTIVE')
    const after = await valueOf(connection.id)
    expect(after.access_token).not.toBe(before.access_token)
    expect(after.refresh_token).toBeTruthy()
    expect(after.refresh_token).not.toBe(before.refresh_token)
    expect(after.claimed_at).toBe(Math.floor(h.clock!.now() / 1000))
    expect(after.data?.latchkey_provider).toEqual(before.data?.latchkey_provider)
    expect(new Date(refreshed.health.tokenExpiresAt!).getTime()).toBe(
      (after.claimed_at! + after.expires_in!) * 1000,
    )

    // The rotated token is the one stored: the next refresh, an hour on, succeeds with it.
    h.clock!.advance(45 * MINUTE)
    await eventually(
      () => valueOf(connection.id),
      (value) => value.access_token !== after.access_token,
    )
    expect(h.server.tokenRequests()).toBe(3)
    const audit = await h.call<{
      data: { action: string; entityId: string; details: Record<string, unknown> }[]
    }>('audit.list', { limit: 100 })
    const refreshes = audit.data.filter((entry) => entry.action === 'connection.refresh')
    expect(refreshes).toHaveLength(2)
    expect(refreshes[0]!.details).toMatchObject({ refreshTokenRotated: true, grant: 'refresh_token' })
  })

  it('does not refresh while the vault is locked, and catches up on unlock', async () => {
    h = await oauthHarness({ manualClock: true })
    const connection = await signIn()
    await h.call('vault.lock')
    h.clock!.advance(50 * MINUTE)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(h.server.tokenRequests()).toBe(1)
    await h.call('vault.unlock', { password: TEST_PASSWORD })
    // The catch-up lets the first screen draw before it starts.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(h.server.tokenRequests()).toBe(1)
    h.clock!.advance(UNLOCK_SETTLE_MS)
    await eventually(
      () => connectionById(h, connection.id),
      (c) => c.health.lastRefreshSuccessAt !== null,
    )
    expect(h.server.tokenRequests()).toBe(2)
  })

  it('retries after a network failure with backoff and leaves the status alone, counting one attempt a day', async () => {
    h = await oauthHarness({ manualClock: true })
    const connection = await signIn()
    await h.server.stop()
    h.clock!.advance(46 * MINUTE)
    const failed = await eventually(
      () => connectionById(h, connection.id),
      (c) => c.health.lastRefreshFailureAt !== null,
    )
    expect(failed.status).toBe('ACTIVE')
    expect(failed.health.refreshAttempts).toBe(1)
    expect(failed.health.lastRefreshFailureReason).toMatch(/^network: /)

    // On demand, still down: a retryable error, status unchanged, still one attempt today.
    await expect(h.call('oauth.refresh', { id: connection.id })).rejects.toMatchObject({
      code: 'REMOTE_UNAVAILABLE',
    })
    expect((await connectionById(h, connection.id)).health.refreshAttempts).toBe(1)
    expect((await connectionById(h, connection.id)).status).toBe('ACTIVE')

    // Back up: the backoff timer (at most a minute after the first failure) refreshes it.
    await h.server.resume()
    h.clock!.advance(2 * MINUTE)
    const recovered = await eventually(
      () => connectionById(h, connection.id),
      (c) => c.health.lastRefreshSuccessAt !== null,
    )
    expect(recovered.status).toBe('ACTIVE')
    expect(recovered.health.refreshAttempts).toBe(0)
  })

  it('reports a token without a refresh token as needing sign-in once it expires, never as fresh', async () => {
    h = await oauthHarness({ manualClock: true })
    const { connection } = await h.call<{ connection: AppConnection }>('connections.create', {
      ...connectionFields,
      type: 'OAUTH2',
      value: {
        type: 'OAUTH2',
        access_token: 'marker-access-no-refresh-51c2',
        expires_in: 600,
        token_url: `${h.server.issuer}/token`,
        client_id: NATIVE_CLIENT_ID,
      },
    })
    h.clock!.advance(9 * MINUTE)
    // Half its life gone: looked at, found valid and not refreshable, set aside until it expires.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await connectionById(h, connection.id)).status).toBe('ACTIVE')
    h.clock!.advance(1 * MINUTE)
    const expired = await eventually(
      () => connectionById(h, connection.id),
      (c) => c.status === 'ERROR',
    )
    expect(expired.statusReason).toMatch(/^needs_sign_in: /)
    expect(expired.health.lastRefreshFailureReason).toMatch(/^needs_sign_in: /)
    expect(h.server.tokenRequests()).toBe(0)
  })
})

describe('oauth.refresh', () => {
  it('sends one request to the provider for 20 concurrent triggers', async () => {
    h = await oauthHarness()
    const connection = await signIn()
    const results = await Promise.all(
      Array.from({ length: 20 }, () => h.call<AppConnection>('oauth.refresh', { id: connection.id })),
    )
    expect(h.server.tokenRequests()).toBe(2)
    for (const result of results) expect(result.id).toBe(connection.id)
    const audit = await h.call<{ data: { action: string }[] }>('audit.list', { limit: 100 })
    expect(audit.data.filter((entry) => entry.action === 'connection.refresh')).toHaveLength(1)
  })

  it('sets ERROR with the provider’s reason on invalid_grant; Reconnect signs in again and keeps id, externalId and flows', async () => {
    h = await oauthHarness()
    const connection = await signIn()
    await h.call('flows.link', {
      flowId: 'flow-1',
      connectionId: connection.id,
      flowName: 'Nightly',
      projectId: null,
      active: true,
    })
    const first = await valueOf(connection.id)
    await h.call('oauth.refresh', { id: connection.id })
    // The first refresh token was rotated away: offering it again is refused by the provider.
    await h.call('connections.rotate', { id: connection.id, value: first })
    await expect(h.call('oauth.refresh', { id: connection.id })).rejects.toMatchObject({
      code: 'OAUTH_FAILED',
    })
    const broken = await connectionById(h, connection.id)
    expect(broken.status).toBe('ERROR')
    expect(broken.statusReason).toMatch(/^invalid_grant/)
    expect(broken.health.lastRefreshFailureReason).toMatch(/^invalid_grant/)

    const started = await h.call<{ flowId: string; authorizationUrl: string }>('oauth.reconnect', {
      id: connection.id,
    })
    await browse(started.authorizationUrl)
    const status = await h.finalStatus(started.flowId)
    expect(status).toMatchObject({ state: 'connected', connectionId: connection.id })
    const fixed = await connectionById(h, connection.id)
    expect(fixed).toMatchObject({
      id: connection.id,
      externalId: connection.externalId,
      status: 'ACTIVE',
      flowIds: ['flow-1'],
    })
    const list = await h.call<{ data: unknown[] }>('connections.list', { limit: 10 })
    expect(list.data).toHaveLength(1)
    await h.call('oauth.refresh', { id: connection.id })
  })
})

describe('a lock while a refresh is out', () => {
  it('keeps the provider’s answer and stores it at the next unlock, so a rotated refresh token is not lost', async () => {
    h = await oauthHarness()
    const connection = await signIn()
    const before = await valueOf(connection.id)
    const refreshing = h.call('oauth.refresh', { id: connection.id }).catch((error: unknown) => error)
    await h.call('vault.lock')
    expect(await refreshing).toMatchObject({ code: 'VAULT_LOCKED' })
    expect(h.server.tokenRequests()).toBe(2)
    await h.call('vault.unlock', { password: TEST_PASSWORD })
    const after = await valueOf(connection.id)
    expect(after.refresh_token).not.toBe(before.refresh_token)
    // The rotated refresh token is the one kept: the provider takes it.
    await h.call('oauth.refresh', { id: connection.id })
    expect((await connectionById(h, connection.id)).status).toBe('ACTIVE')
  })
})

describe('client credentials', () => {
  it('fetches a token with no browser and re-requests it before it expires', async () => {
    h = await oauthHarness({ manualClock: true })
    const connection = await h.call<AppConnection>('oauth.clientCredentials', {
      provider: {
        kind: 'issuer',
        issuer: h.server.issuer,
        clientId: SERVICE_CLIENT_ID,
        clientSecret: SERVICE_CLIENT_SECRET,
        scopes: ['api'],
        clientAuth: 'HEADER',
      },
      connection: { ...connectionFields, displayName: 'Service account' },
    })
    expect(h.opened).toEqual([])
    expect(h.server.tokenRequests()).toBe(1)
    const first = await valueOf(connection.id)
    expect(first).toMatchObject({
      grant_type: 'client_credentials',
      client_secret: SERVICE_CLIENT_SECRET,
      expires_in: 3600,
    })
    expect(first.refresh_token).toBeUndefined()
    h.clock!.advance(46 * MINUTE)
    const second = await eventually(
      () => valueOf(connection.id),
      (value) => value.access_token !== first.access_token,
    )
    expect(h.server.tokenRequests()).toBe(2)
    expect(second.grant_type).toBe('client_credentials')
    expect((await connectionById(h, connection.id)).status).toBe('ACTIVE')
  })
})
