import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserServer, type RunningBrowserServer } from '../../../../src/main/hosts/browser/server'
import { isErrorObject } from '../../../../src/shared/errors'
import { createTestCore, type TestCore } from '../../../support/core'

// Issue 17: requests a well-behaved client never sends, each answered in the error object with a
// 4xx status, never a 500 and never half-accepted. Raw sockets, so the test writes the request line
// and headers byte for byte (Node's client would refuse or tidy some of them).

interface RawAnswer {
  status: number
  headers: string
  body: string
}

function raw(port: number, head: string, body = ''): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const split = text.indexOf('\r\n\r\n')
      const headers = text.slice(0, split)
      const rest = text.slice(split + 4)
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0),
        headers,
        body: /^transfer-encoding: chunked$/im.test(headers) ? dechunk(rest) : rest,
      })
    })
    // write, not end: a half-closed socket lets the server drop it before an async answer is ready.
    socket.write(`${head}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  })
}

/** A chunked body's data (RFC 9112 §7.1): size in hex, CRLF, that many bytes, CRLF, until size 0. */
function dechunk(text: string): string {
  let body = ''
  let at = 0
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at)
    const size = parseInt(text.slice(at, lineEnd), 16)
    if (!size) return body
    body += text.slice(lineEnd + 2, lineEnd + 2 + size)
    at = lineEnd + 2 + size + 2
  }
}

describe('browser mode answers malformed requests in the error object, never 500', () => {
  let testCore: TestCore
  let server: RunningBrowserServer
  let rendererDir: string
  let host: string
  let bearer: string

  const post = (target: string, headers = [`Host: ${host}`, bearer]) =>
    raw(
      server.port,
      [`POST ${target} HTTP/1.1`, ...headers, 'Content-Type: application/json'].join('\r\n'),
      '{}',
    )

  function expectErrorObject(answer: RawAnswer, status: number): void {
    expect(answer.status).toBe(status)
    expect(answer.headers).toMatch(/content-type: application\/json/i)
    const body = JSON.parse(answer.body) as unknown
    expect(isErrorObject(body), answer.body).toBe(true)
    expect((body as { statusCode: number }).statusCode).toBe(status)
  }

  beforeAll(async () => {
    testCore = createTestCore()
    rendererDir = mkdtempSync(join(tmpdir(), 'latchkey-renderer-'))
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
    server = await startBrowserServer({ core: testCore.core, rendererDir, port: 0 })
    host = `127.0.0.1:${server.port}`
    bearer = `Authorization: Bearer ${server.token}`
  })

  afterAll(async () => {
    await server.close()
    await testCore.dispose()
    rmSync(rendererDir, { recursive: true, force: true })
  })

  it('a well-formed call still answers 200 (the shapes below differ from it by one thing)', async () => {
    const answer = await post('/api/rpc/app.info')
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ name: 'Latchkey' })
  })

  it.each(['%', '%E0%A4%A', '%ED%A0%80', '%uD800', 'app.info%', '%C0%AF'])(
    'a malformed percent-escape in a procedure name (%s) is 404',
    async (escape) => {
      expectErrorObject(await post(`/api/rpc/${escape}`), 404)
    },
  )

  it.each(['/%', '/%E0%A4%A', '/%ED%A0%80', '/%uD800', '/assets/%2e%2e/%'])(
    'a malformed percent-escape in a file path (%s) is 404',
    async (path) => {
      expectErrorObject(await raw(server.port, `GET ${path} HTTP/1.1\r\nHost: ${host}`), 404)
    },
  )

  it('a wrong method answers 405 with Allow and the error object', async () => {
    const rpc = await raw(server.port, `GET /api/rpc/app.info HTTP/1.1\r\nHost: ${host}\r\n${bearer}`)
    expectErrorObject(rpc, 405)
    expect(rpc.headers).toMatch(/^allow: POST$/im)
    const file = await raw(server.port, `DELETE /index.html HTTP/1.1\r\nHost: ${host}`)
    expectErrorObject(file, 405)
    expect(file.headers).toMatch(/^allow: GET, HEAD$/im)
  })

  it.each([
    ['two spaces', `Authorization: Bearer  TOKEN`],
    ['a tab', `Authorization: Bearer\tTOKEN`],
    ['no scheme', `Authorization: TOKEN`],
    ['another scheme', `Authorization: Basic TOKEN`],
    // A trailing space is no test: HTTP strips it from every field value (RFC 9110 §5.5).
  ])('refuses a token sent with %s (401)', async (_name, header) => {
    const answer = await post('/api/rpc/app.info', [`Host: ${host}`, header.replace('TOKEN', server.token)])
    expectErrorObject(answer, 401)
  })

  it('refuses two Authorization headers, even when the first is right (401)', async () => {
    const answer = await post('/api/rpc/app.info', [`Host: ${host}`, bearer, 'Authorization: Bearer nope'])
    expectErrorObject(answer, 401)
    const reversed = await post('/api/rpc/app.info', [`Host: ${host}`, 'Authorization: Bearer nope', bearer])
    expectErrorObject(reversed, 401)
  })

  it('refuses two Host headers (403)', async () => {
    const answer = await post('/api/rpc/app.info', [`Host: ${host}`, 'Host: evil.example', bearer])
    expectErrorObject(answer, 403)
  })

  it.each([
    ['absolute-form naming a foreign host', 'http://evil.example/api/rpc/app.info'],
    ['absolute-form naming this server', `http://${'127.0.0.1'}/api/rpc/app.info`],
    ['asterisk-form', '*'],
  ])('refuses a request target in %s (400)', async (_name, target) => {
    expectErrorObject(await post(target), 400)
  })

  it('takes a path that starts with two slashes as a path, never as a host', async () => {
    const answer = await raw(server.port, `GET //evil.example/index.html HTTP/1.1\r\nHost: ${host}`)
    expectErrorObject(answer, 404)
  })
})
