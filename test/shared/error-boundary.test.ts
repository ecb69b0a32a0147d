import { writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { exposeTransport } from '../../src/preload/expose'
import { chooseTransport } from '../../src/renderer/src/bridge/choose-transport'
import { createClient, type LatchkeyApi, type Transport } from '../../src/shared/client'
import type { LatchkeyCore } from '../../src/main/core'
import {
  AppError,
  ERROR_STATUS,
  internalError,
  isAppError,
  oauthFailedError,
  remoteUnavailableError,
  type ErrorCode,
  type ErrorObject,
} from '../../src/shared/errors'
import { acrossContextBridge } from '../support/context-bridge'
import { ipcToCore, type IpcToCore } from '../support/ipc-main'
import {
  createUnlockedTestCore,
  createVaultTestCore,
  TEST_PASSWORD,
  type VaultTestCore,
} from '../support/vault'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Desktop {
  client: LatchkeyApi
  main: IpcToCore
}

/**
 * The desktop app's whole path, minus Electron: the real router behind an IPC copy, the real
 * preload exposing its transport, a contextBridge copy, and the client the renderer builds.
 */
function desktopOver(core: LatchkeyCore): Desktop {
  const main = ipcToCore(core)
  cleanups.push(main.dispose)
  let exposed: unknown
  exposeTransport(main.ipc, { exposeInMainWorld: (_key, api) => (exposed = api) })
  const preloadTransport = acrossContextBridge(exposed as Transport)
  const noWebTransport = (): Transport => {
    throw new Error('the desktop app has a preload transport')
  }
  return { client: createClient(chooseTransport(preloadTransport, noWebTransport)), main }
}

async function unlocked(): Promise<VaultTestCore & Desktop> {
  const t = await createUnlockedTestCore()
  cleanups.push(() => t.dispose())
  return { ...t, ...desktopOver(t.core) }
}

const slackConnection = (externalId: string) => ({
  displayName: `Slack ${externalId}`,
  pieceName: '@activepieces/piece-slack',
  type: 'SECRET_TEXT' as const,
  externalId,
  value: { type: 'SECRET_TEXT' as const, secret_text: 'xoxb-not-in-any-error' },
})

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call
  } catch (failure) {
    return failure
  }
  throw new Error('the call succeeded, but an error was expected')
}

interface Produced {
  /** What the renderer's client threw. */
  failure: unknown
  /** The error main sent, before any copy. */
  sent: ErrorObject
  /** The typed fields this code's params must carry. */
  fields: Record<string, unknown>
}

/** The envelope main answered the last call with. */
function sentBy(main: IpcToCore): ErrorObject {
  const answer = main.lastAnswer()
  if (!answer || answer.ok) throw new Error('main answered no error')
  return answer.error
}

/** An envelope from main's own constructors, for codes no call can produce before their feature exists. */
async function constructedEnvelope(error: AppError, fields: Record<string, unknown>): Promise<Produced> {
  const d = await unlocked()
  const sent = error.toObject()
  d.main.answerNextWith(sent)
  return { failure: await failureOf(d.client.app.info()), sent, fields }
}

/** One call per code that makes main answer with it; a Record, so a new code cannot be left out. */
const producers: Record<ErrorCode, () => Promise<Produced>> = {
  async VALIDATION() {
    const d = await unlocked()
    const failure = await failureOf(d.client.connections.create({ ...slackConnection('a'), displayName: '' }))
    return {
      failure,
      sent: sentBy(d.main),
      fields: { issues: [expect.objectContaining({ path: 'displayName' })] },
    }
  },
  async AUTHENTICATION() {
    const d = await unlocked()
    await d.client.vault.lock()
    const failure = await failureOf(d.client.vault.unlock({ password: 'not the password' }))
    return { failure, sent: sentBy(d.main), fields: {} }
  },
  // The desktop host's sender check answers this before the router runs; it needs Electron.
  FORBIDDEN: () =>
    constructedEnvelope(new AppError('FORBIDDEN', { message: 'This window may not call Latchkey.' }), {}),
  async ENTITY_NOT_FOUND() {
    const d = await unlocked()
    const failure = await failureOf(d.client.connections.get({ id: 'conn_nowhere' }))
    return {
      failure,
      sent: sentBy(d.main),
      fields: { entityType: 'app_connection', entityId: 'conn_nowhere' },
    }
  },
  async CONFLICT() {
    const d = await unlocked()
    const { connection } = await d.client.connections.create(slackConnection('user-42'))
    const failure = await failureOf(d.client.connections.create(slackConnection('user-42')))
    return {
      failure,
      sent: sentBy(d.main),
      fields: { entityType: 'app_connection', entityId: connection.id },
    }
  },
  async VAULT_LOCKED() {
    const d = await unlocked()
    await d.client.vault.lock()
    const failure = await failureOf(d.client.connections.list())
    return { failure, sent: sentBy(d.main), fields: {} }
  },
  async INTERNAL() {
    // A data folder that is a file: main fails with a Node error whose text names the path.
    const folder = mkdtempSync(join(tmpdir(), 'latchkey-internal-'))
    const dataDir = join(folder, 'not-a-folder')
    writeFileSync(dataDir, '')
    const t = createVaultTestCore({ dataDir })
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }))
    cleanups.push(() => t.dispose())
    const d = desktopOver(t.core)
    const failure = await failureOf(d.client.vault.create({ password: TEST_PASSWORD }))
    return { failure, sent: sentBy(d.main), fields: { message: internalError().params.message } }
  },
  // Before OAuth and sync land, their errors come from the constructors they will throw.
  OAUTH_FAILED: () =>
    constructedEnvelope(oauthFailedError('The provider refused the code: invalid_grant.'), {}),
  REMOTE_UNAVAILABLE: () => constructedEnvelope(remoteUnavailableError('The remote does not answer.'), {}),
  async INTEGRITY() {
    const first = await createUnlockedTestCore()
    const dataDir = first.dataDir
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const { connection } = await desktopOver(first.core).client.connections.create(
      slackConnection('tampered'),
    )
    await first.core.close()
    // Someone with the file flips one byte of the stored secret.
    const file = new Database(join(dataDir, 'vault.sqlite'))
    const { envelope } = file
      .prepare('SELECT envelope FROM connection_values WHERE connection_id = ?')
      .get(connection.id) as { envelope: Buffer }
    envelope[envelope.length - 1]! ^= 0x01
    file
      .prepare('UPDATE connection_values SET envelope = ? WHERE connection_id = ?')
      .run(envelope, connection.id)
    file.close()
    const second = createVaultTestCore({ dataDir })
    cleanups.push(() => second.dispose())
    const d = desktopOver(second.core)
    await d.client.vault.unlock({ password: TEST_PASSWORD })
    const failure = await failureOf(d.client.connections.reveal({ id: connection.id }))
    return {
      failure,
      sent: sentBy(d.main),
      fields: { entityType: 'app_connection', entityId: connection.id },
    }
  },
  async VAULT_UNAVAILABLE() {
    const holder = await unlocked()
    const second = createVaultTestCore({ dataDir: holder.dataDir })
    cleanups.push(() => second.dispose())
    const d = desktopOver(second.core)
    const failure = await failureOf(d.client.vault.status())
    return {
      failure,
      sent: sentBy(d.main),
      fields: { entityType: 'vault', holderPid: process.pid, holderHost: expect.any(String) },
    }
  },
}

describe('errors across the desktop bridge (IPC copy, preload, contextBridge copy, client)', () => {
  it('has a producer for every error code', () => {
    expect(Object.keys(producers).sort()).toEqual(Object.keys(ERROR_STATUS).sort())
  })

  it.each(Object.keys(ERROR_STATUS) as ErrorCode[])(
    '%s arrives as the renderer’s own AppError with its code, status, message and params',
    async (code) => {
      const { failure, sent, fields } = await producers[code]()
      expect(sent.code).toBe(code)
      expect(failure).toBeInstanceOf(AppError)
      expect(isAppError(failure, code)).toBe(true)
      const error = failure as AppError
      expect(error.code).toBe(code)
      expect(error.statusCode).toBe(ERROR_STATUS[code])
      expect(error.message).toBe(sent.params.message)
      expect(error.toObject()).toEqual(sent)
      expect(error.params).toMatchObject(fields)
      expect(JSON.stringify(error.toObject())).not.toContain('xoxb-not-in-any-error')
    },
  )

  it('carries a delete refused over active flows as typed fields, and a forced delete goes through', async () => {
    const d = await unlocked()
    const { connection } = await d.client.connections.create(slackConnection('in-use'))
    await d.client.flows.link({ flowId: 'flow-1', connectionId: connection.id, flowName: 'Sync tickets' })
    await d.client.flows.link({ flowId: 'flow-2', connectionId: connection.id, active: false })
    const failure = await failureOf(d.client.connections.delete({ id: connection.id }))
    expect(isAppError(failure, 'VALIDATION')).toBe(true)
    expect((failure as AppError<'VALIDATION'>).params).toEqual({
      message: 'Connection is used in 1 active flow. Please remove it from flows first.',
      entityType: 'app_connection',
      entityId: connection.id,
      activeFlows: 1,
      flowIds: ['flow-1'],
    })
    expect((failure as AppError).toObject()).toEqual(sentBy(d.main))
    await expect(d.client.connections.delete({ id: connection.id, force: true })).resolves.toMatchObject({
      deleted: true,
    })
  })

  it('turns a non-AppError thrown inside the transport into INTERNAL with the fixed message', async () => {
    const leaky: Transport = {
      invoke: () => Promise.reject(new TypeError('socket closed while sending sk-live-secret')),
      subscribe: () => () => {},
    }
    for (const transport of [acrossContextBridge(leaky), leaky]) {
      const failure = await failureOf(createClient(transport).app.info())
      expect(failure).toBeInstanceOf(AppError)
      expect((failure as AppError).toObject()).toEqual(internalError().toObject())
    }
  })

  it('turns an AppError thrown inside the preload into INTERNAL too: contextBridge keeps only its message', async () => {
    const throwing: Transport = {
      invoke: () => Promise.reject(new AppError('VAULT_LOCKED', { message: 'The vault is locked.' })),
      subscribe: () => () => {},
    }
    const failure = await failureOf(createClient(acrossContextBridge(throwing)).app.info())
    expect((failure as AppError).code).toBe('INTERNAL')
  })

  it('shows why the client cannot live in the preload: its errors reach the page as plain Errors', async () => {
    const d = await unlocked()
    await d.client.vault.lock()
    const preloadBuiltClient = acrossContextBridge(createClient(createIpcTransportFor(d.main)))
    const failure = await failureOf(preloadBuiltClient.connections.list())
    expect(failure).toBeInstanceOf(Error)
    expect(failure).not.toBeInstanceOf(AppError)
    expect(failure).not.toHaveProperty('code')
  })

  it('delivers events across the bridge as plain data', async () => {
    const d = await unlocked()
    const seen: unknown[] = []
    const off = d.client.on('connections.changed', (payload) => seen.push(payload))
    const { connection } = await d.client.connections.create(slackConnection('evented'))
    off()
    await d.client.connections.delete({ id: connection.id })
    expect(seen).toEqual([{ ids: [connection.id], kind: 'created' }])
  })
})

function createIpcTransportFor(main: IpcToCore): Transport {
  let exposed: unknown
  exposeTransport(main.ipc, { exposeInMainWorld: (_key, api) => (exposed = api) })
  return exposed as Transport
}
