import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { platformFetch } from '../../../src/main/platform/fetch'
import { resolveProvider } from '../../../src/main/oauth/provider'
import { requestToken, TokenRequestError } from '../../../src/main/oauth/token-request'

// Which failures a person must act on (refused) and which are retried (transient), from what a
// token endpoint really sends back over HTTP.
let server: Server | null = null

/** Stops the endpoint, dropping fetch's keep-alive sockets so close does not wait on them. */
async function stop(): Promise<void> {
  const running = server
  server = null
  if (!running) return
  await new Promise((resolve) => {
    running.close(resolve)
    running.closeAllConnections()
  })
}

afterEach(stop)

async function endpointAnswering(status: number, contentType: string, body: string): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': contentType })
    response.end(body)
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/token`
}

async function failureOf(status: number, contentType: string, body: string): Promise<TokenRequestError> {
  const tokenUrl = await endpointAnswering(status, contentType, body)
  const provider = await resolveProvider(
    { kind: 'custom', authorizationUrl: tokenUrl, tokenUrl, clientId: 'client' },
    platformFetch,
  )
  const error = await requestToken(
    provider,
    { type: 'refresh_token', refreshToken: 'marker-refresh-7a1e' },
    platformFetch,
  ).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(TokenRequestError)
  return error as TokenRequestError
}

describe('token endpoint failures', () => {
  it('invalid_grant is a refusal, with the provider’s reason and without the token', async () => {
    const error = await failureOf(
      400,
      'application/json',
      JSON.stringify({ error: 'invalid_grant', error_description: 'token marker-refresh-7a1e revoked' }),
    )
    expect(error.kind).toBe('refused')
    expect(error.reason).toBe('invalid_grant: token [redacted] revoked')
  })

  it('invalid_client is a refusal', async () => {
    const error = await failureOf(401, 'application/json', JSON.stringify({ error: 'invalid_client' }))
    expect(error.kind).toBe('refused')
    expect(error.code).toBe('invalid_client')
  })

  it('a 502 HTML page and a 503 with an OAuth error body are transient', async () => {
    expect((await failureOf(502, 'text/html', '<h1>Bad gateway</h1>')).kind).toBe('transient')
    await new Promise((resolve) => server?.close(resolve))
    expect(
      (await failureOf(503, 'application/json', JSON.stringify({ error: 'temporarily_unavailable' }))).kind,
    ).toBe('transient')
  })

  it('a refused connection is transient (the network)', async () => {
    const tokenUrl = await endpointAnswering(200, 'application/json', '{}')
    await stop()
    const provider = await resolveProvider(
      { kind: 'custom', authorizationUrl: tokenUrl, tokenUrl, clientId: 'client' },
      platformFetch,
    )
    const error = (await requestToken(provider, { type: 'client_credentials' }, platformFetch).catch(
      (e: unknown) => e,
    )) as TokenRequestError
    expect(error.kind).toBe('transient')
    expect(error.code).toBe('network')
  })
})
