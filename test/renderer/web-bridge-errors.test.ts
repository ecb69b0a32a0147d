import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserServer, type RunningBrowserServer } from '../../src/main/hosts/browser/server'
import { chooseTransport } from '../../src/renderer/src/bridge/choose-transport'
import { createWebTransport } from '../../src/renderer/src/bridge/web-transport'
import { createClient, type LatchkeyApi } from '../../src/shared/client'
import { AppError, isAppError, isConnectionInUse } from '../../src/shared/errors'
import { createUnlockedTestCore, type UnlockedTestCore } from '../support/vault'

/** The renderer's client in browser mode: the same construction as on the desktop, over HTTP. */
function browserClient(origin: string, token: string, headers: Record<string, string> = {}): LatchkeyApi {
  const fetchAt: typeof fetch = (path, init) =>
    fetch(new URL(String(path), origin), { ...init, headers: { ...(init?.headers ?? {}), ...headers } })
  return createClient(chooseTransport(undefined, () => createWebTransport(token, fetchAt)))
}

async function failureOf(call: Promise<unknown>): Promise<AppError> {
  const failure = await call.then(
    () => {
      throw new Error('the call succeeded, but an error was expected')
    },
    (error: unknown) => error,
  )
  expect(failure).toBeInstanceOf(AppError)
  return failure as AppError
}

describe('errors through browser mode’s bridge (real HTTP server, web transport, client)', () => {
  let t: UnlockedTestCore
  let server: RunningBrowserServer
  let rendererDir: string
  let client: LatchkeyApi

  beforeAll(async () => {
    t = await createUnlockedTestCore()
    rendererDir = mkdtempSync(join(tmpdir(), 'latchkey-renderer-'))
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
    server = await startBrowserServer({ core: t.core, rendererDir, port: 0 })
    client = browserClient(`http://127.0.0.1:${server.port}`, server.token)
  })

  afterAll(async () => {
    await server.close()
    await t.dispose()
    rmSync(rendererDir, { recursive: true, force: true })
  })

  it('gives the delete refusal the same typed fields as on the desktop', async () => {
    const { connection } = await client.connections.create({
      displayName: 'Jira',
      pieceName: 'jira',
      type: 'SECRET_TEXT',
      value: { type: 'SECRET_TEXT', secret_text: 'token-not-in-errors' },
    })
    await client.flows.link({ flowId: 'flow-9', connectionId: connection.id })
    const error = await failureOf(client.connections.delete({ id: connection.id }))
    expect(isConnectionInUse(error)).toBe(true)
    expect(error.toObject()).toEqual({
      statusCode: 400,
      code: 'VALIDATION',
      params: {
        message: 'Connection is used in 1 active flow. Please remove it from flows first.',
        entityType: 'app_connection',
        entityId: connection.id,
        activeFlows: 1,
        flowIds: ['flow-9'],
      },
    })
  })

  it('gives per-field issues, ENTITY_NOT_FOUND and a wrong password their codes and params', async () => {
    const invalid = await failureOf(
      client.connections.create({
        displayName: '',
        pieceName: 'jira',
        type: 'SECRET_TEXT',
        value: { type: 'SECRET_TEXT', secret_text: 'token-not-in-errors' },
      }),
    )
    expect(isAppError(invalid, 'VALIDATION') && invalid.params.issues).toEqual([
      expect.objectContaining({ path: 'displayName' }),
    ])

    const missing = await failureOf(client.connections.get({ id: 'conn_none' }))
    expect(missing.toObject()).toMatchObject({
      statusCode: 404,
      code: 'ENTITY_NOT_FOUND',
      params: { entityType: 'app_connection', entityId: 'conn_none' },
    })

    await client.vault.lock()
    const locked = await failureOf(client.connections.list())
    expect(locked.code).toBe('VAULT_LOCKED')
    const wrong = await failureOf(client.vault.unlock({ password: 'not the password' }))
    expect(wrong.toObject()).toEqual({
      statusCode: 401,
      code: 'AUTHENTICATION',
      params: { message: 'That master password is not correct.' },
    })
  })

  it('gives FORBIDDEN for a page of another origin, and REMOTE_UNAVAILABLE when the server is gone', async () => {
    const foreign = browserClient(`http://127.0.0.1:${server.port}`, server.token, {
      Origin: 'http://evil.example',
    })
    expect((await failureOf(foreign.app.info())).toObject()).toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN',
    })

    const gone = await startBrowserServer({ core: t.core, rendererDir, port: 0 })
    await gone.close()
    const unreachable = await failureOf(browserClient(`http://127.0.0.1:${gone.port}`, gone.token).app.info())
    expect(unreachable.toObject()).toMatchObject({ statusCode: 503, code: 'REMOTE_UNAVAILABLE' })
  })
})
