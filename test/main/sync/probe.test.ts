import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../../src/main/platform/clock'
import type { RemoteTarget } from '../../../src/main/sync/dialects/remote-client'
import { probeAsTestResult, probeRemote, type ProbeResult } from '../../../src/main/sync/probe'
import { startSyncServer, type SyncServer } from '../../support/sync-server'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const deps = {
  fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init),
  clock: systemClock,
}

async function syncServer(options: Parameters<typeof startSyncServer>[0] = {}): Promise<SyncServer> {
  const server = await startSyncServer(options)
  cleanups.push(() => server.close())
  return server
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return (server.address() as AddressInfo).port
}

const activepiecesAt = (baseUrl: string): RemoteTarget => ({
  dialect: 'activepieces',
  baseUrl,
  apiKey: 'sk-probe-key-123',
  projectId: 'p1',
})

function expectFailure(
  result: ProbeResult,
  reason: string,
): asserts result is Extract<ProbeResult, { ok: false }> {
  expect(result).toMatchObject({ ok: false, reason })
  if (result.ok) throw new Error('unreachable')
  expect(result.message).not.toContain('sk-probe-key-123')
}

describe('probeRemote', () => {
  it.each(['activepieces', 'weavz'] as const)(
    'answers ok with the count of %s connections',
    async (dialect) => {
      const server = await syncServer({ dialect })
      server.seed(dialect, [{ externalId: 'a' }, { externalId: 'b' }, { externalId: 'c' }])
      expect(await probeRemote(server.target, deps)).toEqual({
        ok: true,
        dialect,
        connections: 3,
        complete: true,
      })
    },
  )

  it('stops counting at its limit', async () => {
    const server = await syncServer()
    server.seed(
      'activepieces',
      Array.from({ length: 30 }, (_, index) => ({
        externalId: `x${index}`,
        createdMs: Date.UTC(2026, 0, 1) + index * 1000,
      })),
    )
    expect(await probeRemote(server.target, { ...deps, countLimit: 10 })).toMatchObject({
      ok: true,
      complete: false,
    })
  })

  it('names a DNS failure', async () => {
    const result = await probeRemote(activepiecesAt('https://latchkey-probe.invalid'), deps)
    expectFailure(result, 'dns')
    expect(result.message).toContain('latchkey-probe.invalid')
  })

  it('names a TLS failure (a self-signed certificate)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-tls-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    const server = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_request, response) => {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"data":[],"next":null,"previous":null}')
      },
    )
    const port = await listening(server)
    expectFailure(await probeRemote(activepiecesAt(`https://127.0.0.1:${port}`), deps), 'tls')
  })

  it('names a refused connection', async () => {
    const port = await listening(createHttpServer())
    await cleanups.pop()!()
    expectFailure(await probeRemote(activepiecesAt(`http://127.0.0.1:${port}`), deps), 'refused')
  })

  it('names a timeout', async () => {
    const port = await listening(createHttpServer(() => {}))
    expectFailure(
      await probeRemote(activepiecesAt(`http://127.0.0.1:${port}`), { ...deps, timeoutMs: 300 }),
      'timeout',
    )
  })

  it('names a refused key (401) and a key without permission (403)', async () => {
    const server = await syncServer()
    const unauthorized = await probeRemote({ ...server.target, apiKey: 'sk-probe-key-123' }, deps)
    expectFailure(unauthorized, 'unauthorized')
    expect(unauthorized).toMatchObject({ status: 401, appCode: 'AUTHENTICATION' })
    const forbidden = await probeRemote({ ...server.target, apiKey: server.forbiddenApiKey }, deps)
    expectFailure(forbidden, 'forbidden')
    expect(forbidden).toMatchObject({ status: 403, appCode: 'FORBIDDEN' })
  })

  it('names a wrong base path (404)', async () => {
    const server = await syncServer()
    const result = await probeRemote({ ...server.target, baseUrl: `${server.url}/not-here` }, deps)
    expectFailure(result, 'wrong-path')
    expect(result.status).toBe(404)
  })

  it('names a server of the other dialect', async () => {
    const weavzOnly = await syncServer({ serves: ['weavz'] })
    const asActivepieces = await probeRemote(weavzOnly.targetFor('activepieces'), deps)
    expectFailure(asActivepieces, 'not-dialect')
    expect(asActivepieces.detectedDialect).toBe('weavz')

    const activepiecesOnly = await syncServer({ serves: ['activepieces'] })
    const asWeavz = await probeRemote(activepiecesOnly.targetFor('weavz'), deps)
    expectFailure(asWeavz, 'not-dialect')
    expect(asWeavz.detectedDialect).toBe('activepieces')
  })

  it('answers in the contract shape of remotes.test', async () => {
    const server = await syncServer()
    server.seed('activepieces', [{ externalId: 'a' }])
    expect(await probeAsTestResult(server.target, deps)).toMatchObject({
      ok: true,
      dialect: 'activepieces',
      connectionCount: 1,
    })
    expect(await probeAsTestResult({ ...server.target, baseUrl: `${server.url}/x` }, deps)).toEqual({
      ok: false,
      failure: 'wrong-path',
      status: 404,
      message: expect.stringContaining('base URL'),
    })
  })

  it('names a server that answers, but not as the dialect (a web page)', async () => {
    const port = await listening(
      createHttpServer((_request, response) =>
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'),
      ),
    )
    expectFailure(await probeRemote(activepiecesAt(`http://127.0.0.1:${port}`), deps), 'not-dialect')
  })
})
