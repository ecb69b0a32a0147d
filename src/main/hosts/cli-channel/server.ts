import { chmodSync, mkdirSync, rmSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { AppError, type ErrorObject } from '../../../shared/errors'
import type { Logger } from '../../adapters/logger'
import type { LatchkeyCore } from '../../core'
import { channelLocation, privateChannelProblem, type ChannelLocation } from '../../cli/channel/location'
import { encodeMessage, lineReader, type ClientMessage, type ServerMessage } from '../../cli/channel/protocol'

export interface CliChannelOptions {
  core: LatchkeyCore
  dataDir: string
  logger: Logger
  /** Tests pass another location; the product derives it from the data folder. */
  location?: ChannelLocation
}

export interface RunningCliChannel {
  location: ChannelLocation
  close(): Promise<void>
}

const LOCKED_MESSAGE = 'Latchkey is locked. Unlock it in the app, then run the command again.'
const DENIED_MESSAGE = 'Latchkey did not approve this terminal (denied, or nobody answered within 2 minutes).'
const ENDED_MESSAGE =
  'This terminal’s Latchkey session ended (10 minutes idle, 12 hours at most, or the app locked). Run the command again to ask for a new one.'

/**
 * Serves the router to the user's own `latchkey` command line while this process holds the vault,
 * so the CLI pays no KDF and the one-owner rule holds. Every call needs the vault unlocked and the
 * person's approval of the terminal (core.cliSessions); the cli.* procedures, which approve, are
 * never served here. Unix: a 0600 socket in a 0700 folder, re-checked on every connection (see
 * cli/channel/location.ts). Windows: a named pipe, whose default DACL libuv leaves in place
 * (owner, SYSTEM and Administrators may write; others may only read, which cannot send a call).
 */
export async function startCliChannel(options: CliChannelOptions): Promise<RunningCliChannel> {
  const location = options.location ?? channelLocation(options.dataDir)
  await preparePrivateFolder(location)
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    const problem = privateChannelProblem(location, true)
    if (problem) {
      // Someone loosened the folder or swapped the socket: serve nothing until a restart fixes it.
      options.logger.error('cli channel refused a connection', { reason: 'not private' })
      socket.destroy()
      return
    }
    serveConnection(socket, options.core)
  })
  await listen(server, location.path)
  if (location.directory) chmodSync(location.path, 0o600)
  return {
    location,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (location.directory) rmSync(location.path, { force: true })
    },
  }
}

async function preparePrivateFolder(location: ChannelLocation): Promise<void> {
  if (!location.directory) return
  mkdirSync(location.directory, { recursive: true, mode: 0o700 })
  const problem = privateChannelProblem(location, false)
  if (problem) throw new Error(`The CLI channel cannot start: ${problem}`)
  // A second app on the same data folder must not take the channel from the one that answers on it.
  if (await answers(location.path))
    throw new Error('Another Latchkey process serves this data folder’s CLI channel.')
  rmSync(location.path, { force: true })
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => resolve(false))
  })
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function serveConnection(socket: Socket, core: LatchkeyCore): void {
  const send = (message: ServerMessage) => {
    if (!socket.destroyed) socket.write(encodeMessage(message))
  }
  const refuse = (error: AppError) => {
    send({ kind: 'refused', error: error.toObject() as ErrorObject })
    socket.end()
  }
  const leaving = new AbortController()
  socket.once('close', () => leaving.abort())
  let terminalKey: string | null = null
  let greeted = false

  const onMessage = async (message: ClientMessage) => {
    if (message.kind === 'hello') {
      if (greeted) return refuse(new AppError('VALIDATION', { message: 'Say hello once.' }))
      greeted = true
      if (!isUnlocked(core)) return refuse(new AppError('VAULT_LOCKED', { message: LOCKED_MESSAGE }))
      const admission = await core.cliSessions.admit(
        {
          pid: message.pid,
          command: message.command.slice(0, 500),
          terminalKey: message.terminalKey,
          terminal: message.terminal?.slice(0, 200) ?? null,
        },
        leaving.signal,
      )
      if (admission !== 'approved') return refuse(new AppError('AUTHENTICATION', { message: DENIED_MESSAGE }))
      terminalKey = message.terminalKey
      return send({ kind: 'ready', holderPid: process.pid })
    }
    send({ kind: 'result', id: message.id, result: await dispatch(core, terminalKey, message) })
  }

  socket.on(
    'data',
    lineReader(
      (line) => {
        const message = parseClientMessage(line)
        if (!message) return refuse(new AppError('VALIDATION', { message: 'Not a CLI channel message.' }))
        if (message.kind === 'call' && terminalKey === null) {
          return refuse(new AppError('AUTHENTICATION', { message: DENIED_MESSAGE }))
        }
        onMessage(message).catch(() => socket.destroy())
      },
      () => refuse(new AppError('VALIDATION', { message: 'That message is too large.' })),
    ),
  )
  socket.on('error', () => socket.destroy())
}

async function dispatch(
  core: LatchkeyCore,
  terminalKey: string | null,
  call: Extract<ClientMessage, { kind: 'call' }>,
) {
  // A command line must never answer its own approval request.
  if (call.name.startsWith('cli.')) {
    const error = new AppError('FORBIDDEN', { message: 'The command line cannot approve sessions.' })
    return { ok: false as const, error: error.toObject() as ErrorObject }
  }
  if (!isUnlocked(core)) {
    return { ok: false as const, error: new AppError('VAULT_LOCKED', { message: LOCKED_MESSAGE }).toObject() }
  }
  if (terminalKey === null || !core.cliSessions.use(terminalKey)) {
    return {
      ok: false as const,
      error: new AppError('AUTHENTICATION', { message: ENDED_MESSAGE }).toObject(),
    }
  }
  // A command a person ran is activity for idle auto-lock, like keys and pointer in the window.
  core.vault.touch()
  return core.router.dispatch(call.name, call.input, { origin: 'cli' })
}

function isUnlocked(core: LatchkeyCore): boolean {
  try {
    core.vault.requireSession()
    return true
  } catch {
    return false
  }
}

function parseClientMessage(line: string): ClientMessage | null {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const message = value as Record<string, unknown>
  if (
    message.kind === 'hello' &&
    Number.isInteger(message.pid) &&
    typeof message.command === 'string' &&
    typeof message.terminalKey === 'string' &&
    message.terminalKey.length > 0 &&
    message.terminalKey.length <= 200 &&
    (message.terminal === null || typeof message.terminal === 'string')
  ) {
    return message as ClientMessage
  }
  if (message.kind === 'call' && Number.isInteger(message.id) && typeof message.name === 'string') {
    return { kind: 'call', id: message.id as number, name: message.name, input: message.input }
  }
  return null
}
