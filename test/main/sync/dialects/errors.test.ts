import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { RemoteTarget } from '../../../../src/main/sync/dialects/remote-client'
import { clientFor, pullAll, remoteFailure, secretText, signal } from './support'

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const KEY = 'sk-echoed-secret-key-0042'
const activepieces = (baseUrl: string): RemoteTarget => ({
  dialect: 'activepieces',
  baseUrl,
  apiKey: KEY,
  projectId: 'p1',
})

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}

describe('remote error answers', () => {
  it('never lets the API key into a message, even when the server echoes it', async () => {
    const url = await serve((request, response) =>
      request.on('data', (chunk: Buffer) => {
        const sent = JSON.parse(chunk.toString()) as { value: { secret_text: string } }
        send(response, 409, {
          code: 'VALIDATION',
          params: { message: `bad key ${request.headers.authorization} for ${sent.value.secret_text}` },
        })
      }),
    )
    const error = await remoteFailure(
      clientFor(activepieces(url)).upsert(secretText('a', 'the-secret'), signal),
    )
    expect(error).toMatchObject({ status: 409, appCode: 'VALIDATION' })
    expect(error.message).not.toContain(KEY)
    expect(JSON.stringify(error.remoteParams)).not.toContain(KEY)
    expect(error.message).not.toContain('the-secret')
    expect(JSON.stringify(error.remoteParams)).not.toContain('the-secret')
    expect(error.message).toContain('[hidden]')
  })

  it('keeps only plain params, so nothing nested rides along', async () => {
    const url = await serve((_request, response) =>
      send(response, 400, {
        code: 'INVALID_APP_CONNECTION',
        params: { error: 'nope', value: { secret_text: 'leak' } },
      }),
    )
    const error = await remoteFailure(clientFor(activepieces(url)).upsert(secretText('a', 'leak'), signal))
    expect(error).toMatchObject({
      status: 400,
      appCode: 'VALIDATION',
      remoteCode: 'INVALID_APP_CONNECTION',
      remoteParams: { error: 'nope' },
    })
  })

  it('reads Retry-After given as an HTTP date', async () => {
    const url = await serve((_request, response) =>
      send(
        response,
        503,
        { message: 'busy' },
        { 'retry-after': new Date(Date.now() + 120_000).toUTCString() },
      ),
    )
    const error = await remoteFailure(pullAll(clientFor(activepieces(url))))
    expect(error).toMatchObject({ status: 503, appCode: 'REMOTE_UNAVAILABLE', transient: true })
    expect(error.retryAfterMs).toBeGreaterThan(100_000)
    expect(error.retryAfterMs).toBeLessThanOrEqual(120_000)
  })

  it('reports a redirect instead of following it with the key', async () => {
    let followed = false
    const url = await serve((request, response) => {
      if (request.url?.startsWith('/elsewhere')) followed = true
      response.writeHead(301, { location: '/elsewhere' }).end()
    })
    const error = await remoteFailure(pullAll(clientFor(activepieces(url))))
    expect(error).toMatchObject({ kind: 'http', status: 301, transient: false })
    expect(error.message).toContain('redirect')
    expect(followed).toBe(false)
  })

  it('follows a cursor of another kind (a server with a tie-breaker) and drops rows it repeats', async () => {
    const row = (id: string) => ({
      id,
      created: '2026-01-01T00:00:00.000Z',
      externalId: id,
      displayName: id,
      pieceName: 'p',
      status: 'ACTIVE',
      type: 'NO_AUTH',
      projectIds: ['p1'],
    })
    const pages: Record<string, unknown> = {
      '': { data: [row('a'), row('b')], next: 'opaque-1', previous: null },
      'opaque-1': { data: [row('b'), row('c')], next: null, previous: 'x' },
    }
    const url = await serve((request, response) => {
      const cursor = new URL(request.url ?? '/', 'http://x').searchParams.get('cursor') ?? ''
      send(response, 200, pages[cursor])
    })
    const { rows } = await pullAll(clientFor(activepieces(url), { pageSize: 2 }))
    expect(rows.map((item) => item.remoteId)).toEqual(['a', 'b', 'c'])
  })
})
