import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectionValue } from '../../../src/shared/contract'
import { browse } from '../../support/oauth-browser'
import { NATIVE_CLIENT_ID } from '../../support/oidc-provider'
import { connectionById, connectionFields, oauthHarness, portAnswers, type OAuthHarness } from './support'

let h: OAuthHarness

afterEach(async () => {
  await h.close()
})

describe('oauth.start: authorization code with PKCE through the system browser', () => {
  beforeEach(async () => {
    h = await oauthHarness()
  })

  it('signs in through the provider’s login and consent, and stores the tokens as a new connection', async () => {
    const started = await h.start()
    expect(h.opened).toEqual([started.authorizationUrl])
    const authorization = new URL(started.authorizationUrl)
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorization.searchParams.get('redirect_uri')).toBe(started.redirectUri)
    expect(started.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/)
    expect(authorization.searchParams.get('state')).toBeTruthy()

    const page = await browse(started.authorizationUrl)
    expect(page.url.href.startsWith(started.redirectUri)).toBe(true)
    expect(page.status).toBe(200)
    expect(page.body).toContain('close this tab')

    const status = await h.finalStatus(started.flowId)
    expect(status.state).toBe('connected')
    expect(h.statuses.filter((s) => s.flowId === started.flowId).map((s) => s.state)).toEqual([
      'waiting',
      'exchanging',
      'connected',
    ])
    const connection = await connectionById(h, status.connectionId!)
    expect(connection).toMatchObject({
      type: 'OAUTH2',
      status: 'ACTIVE',
      displayName: connectionFields.displayName,
    })
    expect(connection.health.tokenExpiresAt).not.toBeNull()
    const { value } = await h.call<{ value: Extract<ConnectionValue, { type: 'OAUTH2' }> }>(
      'connections.reveal',
      {
        id: connection.id,
      },
    )
    expect(value).toMatchObject({
      type: 'OAUTH2',
      token_type: 'bearer',
      expires_in: 3600,
      client_id: NATIVE_CLIENT_ID,
      grant_type: 'authorization_code',
      redirect_url: started.redirectUri,
      token_url: `${h.server.issuer}/token`,
    })
    expect(value.access_token.length).toBeGreaterThan(10)
    expect(value.refresh_token).toBeTruthy()
    expect(value.data?.latchkey_provider).toMatchObject({ kind: 'issuer', issuer: h.server.issuer })
    // The port is closed once the answer arrived (RFC 8252 §8.3).
    expect(await portAnswers(new URL(started.redirectUri).port as unknown as number)).toBe(false)
    // Audited as a create, by the service.
    const audit = await h.call<{ data: { action: string; entityId: string }[] }>('audit.list', { limit: 50 })
    expect(
      audit.data.some((entry) => entry.action === 'connection.create' && entry.entityId === connection.id),
    ).toBe(true)
    expect(h.events.some((event) => event.name === 'connections.changed')).toBe(true)
  })

  it('ignores a stray favicon request and a forged callback with a wrong state, then takes the real one', async () => {
    const started = await h.start()
    const origin = new URL(started.redirectUri).origin
    const favicon = await fetch(`${origin}/favicon.ico`)
    expect(favicon.status).toBe(404)
    const forged = await fetch(`${started.redirectUri}?code=attacker-code&state=forged-state`)
    expect(forged.status).toBe(400)
    const forgedError = await fetch(`${started.redirectUri}?error=access_denied&state=forged-state`)
    expect(forgedError.status).toBe(400)
    expect(h.statuses.map((s) => s.state)).toEqual(['waiting'])

    await browse(started.authorizationUrl)
    expect((await h.finalStatus(started.flowId)).state).toBe('connected')
  })

  it('ends the flow with the provider’s error when the person refuses, and says so on the page', async () => {
    const started = await h.start()
    const page = await browse(started.authorizationUrl, { abortConsent: true })
    expect(page.status).toBe(400)
    expect(page.body).toContain('access_denied')
    const status = await h.finalStatus(started.flowId)
    expect(status).toMatchObject({ state: 'failed', error: { code: 'access_denied' } })
    expect(status.error!.message).toContain('End-User aborted interaction')
    expect(await portAnswers(Number(new URL(started.redirectUri).port))).toBe(false)
  })

  it('HTML-escapes the provider’s error_description on the page', async () => {
    const started = await h.start()
    const state = new URL(started.authorizationUrl).searchParams.get('state')!
    const response = await fetch(
      `${started.redirectUri}?${new URLSearchParams({
        error: 'invalid_scope',
        error_description: '<script>alert(1)</script>',
        state,
        iss: h.server.issuer,
      })}`,
    )
    const body = await response.text()
    expect(body).not.toContain('<script>')
    expect(body).toContain('&#60;script&#62;')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect((await h.finalStatus(started.flowId)).error?.code).toBe('invalid_scope')
  })

  it('refuses a second callback: one connection, and the replay is not accepted', async () => {
    const started = await h.start()
    const landing = await browse(started.authorizationUrl, {
      stopAt: (url) => url.href.startsWith(started.redirectUri),
    })
    const [first, second] = await Promise.allSettled([fetch(landing.url), fetch(landing.url)])
    const statuses = [first, second].map((result) =>
      result.status === 'fulfilled' ? result.value.status : 'closed',
    )
    expect(statuses.filter((status) => status === 200)).toHaveLength(1)
    expect((await h.finalStatus(started.flowId)).state).toBe('connected')
    const replay = await fetch(landing.url).then(
      (response) => response.status,
      () => 'closed',
    )
    expect(replay).toBe('closed')
    const list = await h.call<{ data: unknown[] }>('connections.list', { limit: 10 })
    expect(list.data).toHaveLength(1)
  })

  it('cancels: the port is freed and the status says cancelled', async () => {
    const started = await h.start()
    const port = Number(new URL(started.redirectUri).port)
    expect(await portAnswers(port)).toBe(true)
    expect(await h.call('oauth.cancel', { flowId: started.flowId })).toEqual({ cancelled: true })
    expect((await h.finalStatus(started.flowId)).state).toBe('cancelled')
    expect(await portAnswers(port)).toBe(false)
    expect(await h.call('oauth.cancel', { flowId: started.flowId })).toEqual({ cancelled: false })
  })

  it('gives a clear error when the fixed port is taken, and binds it when free', async () => {
    const squatter = createServer()
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve))
    const port = (squatter.address() as AddressInfo).port
    const provider = {
      kind: 'issuer',
      issuer: h.server.issuer,
      clientId: NATIVE_CLIENT_ID,
      scopes: ['openid'],
      fixedPort: port,
    }
    const error = await h.start({ provider }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'VALIDATION' })
    expect((error as { params: { message: string } }).params.message).toContain(
      `Port ${port} on 127.0.0.1 is in use`,
    )
    await new Promise((resolve) => squatter.close(resolve))
    const started = await h.start({ provider })
    expect(started.redirectUri).toBe(`http://127.0.0.1:${port}/callback`)
    await h.call('oauth.cancel', { flowId: started.flowId })
  })

  it('takes the pasted redirect URL when the browser cannot reach the loopback', async () => {
    const started = await h.start()
    const landing = await browse(started.authorizationUrl, {
      stopAt: (url) => url.href.startsWith(started.redirectUri),
    })
    // Another sign-in's URL is refused and this one keeps waiting.
    const wrong = new URL(landing.url)
    wrong.searchParams.set('state', 'someone-else')
    await expect(
      h.call('oauth.complete', { flowId: started.flowId, redirectUrl: wrong.href }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    const { connectionId } = await h.call<{ connectionId: string }>('oauth.complete', {
      flowId: started.flowId,
      redirectUrl: landing.url.href,
    })
    expect((await h.finalStatus(started.flowId)).connectionId).toBe(connectionId)
    expect((await connectionById(h, connectionId)).status).toBe('ACTIVE')
  })

  it('takes a pasted bare code', async () => {
    const started = await h.start()
    const landing = await browse(started.authorizationUrl, {
      stopAt: (url) => url.href.startsWith(started.redirectUri),
    })
    const code = landing.url.searchParams.get('code')!
    const { connectionId } = await h.call<{ connectionId: string }>('oauth.complete', {
      flowId: started.flowId,
      code,
    })
    expect((await connectionById(h, connectionId)).type).toBe('OAUTH2')
  })
})

describe('oauth.start: timeout', () => {
  beforeEach(async () => {
    h = await oauthHarness({ manualClock: true })
  })

  it('times out after the configured time and frees its port', async () => {
    const started = await h.start({ timeoutMs: 60_000 })
    const port = Number(new URL(started.redirectUri).port)
    h.clock!.advance(59_000)
    expect(await portAnswers(port)).toBe(true)
    h.clock!.advance(1_000)
    expect((await h.finalStatus(started.flowId)).state).toBe('timedOut')
    expect(await portAnswers(port)).toBe(false)
    await expect(h.call('oauth.complete', { flowId: started.flowId, code: 'late' })).rejects.toMatchObject({
      code: 'ENTITY_NOT_FOUND',
    })
  })
})
