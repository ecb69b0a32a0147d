import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserServer, type RunningBrowserServer } from '../../../../src/main/hosts/browser/server'
import { createTestCore, type TestCore } from '../../../support/core'

/** Raw HTTP so the test controls Host and Origin exactly, as an attacker's page or rebinding would. */
function send(
  port: number,
  options: {
    method?: string
    path: string
    headers?: Record<string, string>
    body?: string
    address?: string
  },
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: options.address ?? '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let body = ''
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('browser mode server', () => {
  let testCore: TestCore
  let server: RunningBrowserServer
  let rendererDir: string
  let host: string
  const rpc = (headers: Record<string, string>, body = '{}') =>
    send(server.port, {
      method: 'POST',
      path: '/api/rpc/app.info',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    })

  beforeAll(async () => {
    testCore = createTestCore()
    rendererDir = mkdtempSync(join(tmpdir(), 'latchkey-renderer-'))
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
    server = await startBrowserServer({ core: testCore.core, rendererDir, port: 0 })
    host = `127.0.0.1:${server.port}`
  })

  afterAll(async () => {
    await server.close()
    await testCore.dispose()
    rmSync(rendererDir, { recursive: true, force: true })
  })

  it('answers a call that carries the token', async () => {
    const response = await rpc({ Host: host, Authorization: `Bearer ${server.token}` })
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body)).toEqual({ name: 'Latchkey', version: '0.0.0-test', host: 'browser' })
  })

  it('uses a random token of at least 128 bits', () => {
    expect(Buffer.from(server.token, 'base64url').length).toBeGreaterThanOrEqual(16)
  })

  it('refuses a call without the token', async () => {
    const response = await rpc({ Host: host })
    expect(response.status).toBe(401)
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: 401, code: 'AUTHENTICATION' })
  })

  it('refuses a call with a wrong token', async () => {
    const response = await rpc({ Host: host, Authorization: `Bearer ${server.token.slice(0, -2)}xx` })
    expect(response.status).toBe(401)
  })

  it('refuses a foreign Host header even with the right token (DNS rebinding)', async () => {
    const response = await rpc({
      Host: `attacker.example:${server.port}`,
      Authorization: `Bearer ${server.token}`,
    })
    expect(response.status).toBe(403)
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' })
  })

  it('refuses a foreign Origin even with the right token', async () => {
    const response = await rpc({
      Host: host,
      Origin: 'https://attacker.example',
      Authorization: `Bearer ${server.token}`,
    })
    expect(response.status).toBe(403)
  })

  it('accepts its own Origin', async () => {
    const response = await rpc({
      Host: host,
      Origin: `http://${host}`,
      Authorization: `Bearer ${server.token}`,
    })
    expect(response.status).toBe(200)
  })

  it('refuses a body that is not JSON, in the error shape', async () => {
    const response = await send(server.port, {
      method: 'POST',
      path: '/api/rpc/app.info',
      headers: { Host: host, Authorization: `Bearer ${server.token}`, 'Content-Type': 'text/plain' },
      body: 'a=b',
    })
    expect(response.status).toBe(400)
    expect(JSON.parse(response.body)).toMatchObject({ code: 'VALIDATION' })
  })

  it('answers validation errors with their statusCode as the HTTP status', async () => {
    const response = await rpc({ Host: host, Authorization: `Bearer ${server.token}` }, '{"unexpected":1}')
    expect(response.status).toBe(400)
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: 400, code: 'VALIDATION' })
  })

  it('says how long each step of a call took (Server-Timing), in durations only', async () => {
    const response = await rpc({ Host: host, Authorization: `Bearer ${server.token}` })
    expect(response.status).toBe(200)
    const steps = String(response.headers['server-timing']).split(', ')
    expect(steps.map((step) => step.split(';')[0])).toEqual(['guards', 'body', 'dispatch', 'serialize'])
    for (const step of steps) expect(step).toMatch(/^[a-z]+;dur=\d+\.\d{2}$/)
  })

  it('gives no timing to a caller without the token', async () => {
    const response = await rpc({ Host: host })
    expect(response.status).toBe(401)
    expect(response.headers['server-timing']).toBeUndefined()
  })

  it('refuses a body over 4 MiB, declared or streamed, before the router sees it', async () => {
    const big = `{"pad":"${'x'.repeat(4 * 1024 * 1024)}"}`
    const headers = { Host: host, Authorization: `Bearer ${server.token}` }
    for (const response of [
      await rpc({ ...headers, 'Content-Length': String(big.length) }, big),
      await rpc({ ...headers, 'Transfer-Encoding': 'chunked' }, big),
    ]) {
      expect(response.status).toBe(400)
      expect(JSON.parse(response.body)).toMatchObject({ code: 'VALIDATION' })
      expect(response.body).toContain('too large')
    }
    // The server still answers afterwards.
    expect((await rpc(headers)).status).toBe(200)
  })

  it('serves the renderer with a CSP header and never a file outside it', async () => {
    const index = await send(server.port, { path: '/', headers: { Host: host } })
    expect(index.status).toBe(200)
    expect(index.headers['content-security-policy']).toContain("default-src 'none'")
    const escape = await send(server.port, { path: '/../../../../etc/passwd', headers: { Host: host } })
    expect(escape.status).toBe(404)
    const encoded = await send(server.port, { path: '/%2e%2e/%2e%2e/etc/passwd', headers: { Host: host } })
    expect(encoded.status).toBe(404)
  })

  it('streams events to a client holding the token', async () => {
    const response = await fetch(`http://${host}/api/events`, {
      headers: { Authorization: `Bearer ${server.token}` },
    })
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while (!text.includes('event: app.ready')) text += (await reader.read()).value ?? ''
    expect(text).toContain('data: {"host":"browser"}')
    await reader.cancel()
  })

  it('listens on loopback only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)
    if (external) {
      await expect(
        send(server.port, { path: '/', address: external.address, headers: { Host: host } }),
      ).rejects.toThrow(/ECONNREFUSED/)
    }
    // Whatever interfaces this machine has, the socket itself is bound to 127.0.0.1.
    const { execFileSync } = await import('node:child_process')
    const sockets = execFileSync('sh', ['-c', `ss -ltnH 2>/dev/null || netstat -ltn`]).toString()
    const line = sockets.split('\n').find((row) => row.includes(`:${server.port} `))
    expect(line).toBeDefined()
    expect(line).toContain(`127.0.0.1:${server.port}`)
  })
})
