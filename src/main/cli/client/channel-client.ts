import { existsSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { AppError, isErrorObject, type Result } from '../../../shared/errors'
import { channelLocation, privateChannelProblem } from '../channel/location'
import { encodeMessage, lineReader, type ServerMessage } from '../channel/protocol'
import type { TerminalIdentity } from '../terminal/terminal-key'
import type { VaultClient } from './vault-client'

export interface ChannelAsk {
  identity: TerminalIdentity
  /** What the person sees in the approval dialog: `latchkey list`, never the arguments. */
  command: string
  /** Called once if the app has to ask the person (no session for this terminal yet). */
  onWaiting: () => void
}

/**
 * The app's vault over the CLI channel, or null when no app serves this data folder (no socket, or
 * a socket left by a process that is gone). A channel that is not private is refused, never used.
 */
export async function connectToApp(dataDir: string, ask: ChannelAsk): Promise<VaultClient | null> {
  const location = channelLocation(dataDir)
  if (location.directory && !existsSync(location.path)) return null
  const problem = privateChannelProblem(location, true)
  if (problem) throw new AppError('FORBIDDEN', { message: `Refusing the Latchkey app's channel: ${problem}` })
  const socket = await open(location.path)
  if (!socket) return null
  return handshake(socket, ask)
}

function open(path: string): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(path)
    socket.once('connect', () => {
      socket.off('error', onError)
      resolve(socket)
    })
    const onError = () => resolve(null)
    socket.once('error', onError)
  })
}

function handshake(socket: Socket, ask: ChannelAsk): Promise<VaultClient> {
  const waiting = new Map<number, (result: Result<unknown>) => void>()
  let nextId = 1
  let closedError: AppError | null = null
  return new Promise((resolve, reject) => {
    // The app answers at once when this terminal has a session; otherwise the person is asked.
    const askedTimer = setTimeout(ask.onWaiting, 300)
    const gone = () =>
      new AppError('VAULT_UNAVAILABLE', { message: 'The Latchkey app closed the connection.' })
    const client: VaultClient = {
      holder: { kind: 'self' },
      async call(name, input) {
        if (closedError) throw closedError
        const id = nextId++
        const result = await new Promise<Result<unknown>>((settle) => {
          waiting.set(id, settle)
          socket.write(encodeMessage({ kind: 'call', id, name, input }))
        })
        if (result.ok) return result.value as never
        throw AppError.fromObject(result.error)
      },
      async close() {
        socket.end()
        socket.destroy()
      },
    }
    const onMessage = (message: ServerMessage) => {
      if (message.kind === 'ready') {
        clearTimeout(askedTimer)
        Object.assign(client, { holder: { kind: 'app', pid: message.holderPid } })
        return resolve(client)
      }
      if (message.kind === 'refused') {
        clearTimeout(askedTimer)
        closedError = isErrorObject(message.error) ? AppError.fromObject(message.error) : gone()
        return reject(closedError)
      }
      waiting.get(message.id)?.(message.result)
      waiting.delete(message.id)
    }
    socket.on(
      'data',
      lineReader(
        (line) => {
          try {
            onMessage(JSON.parse(line) as ServerMessage)
          } catch {
            socket.destroy()
          }
        },
        () => socket.destroy(),
      ),
    )
    socket.once('close', () => {
      clearTimeout(askedTimer)
      closedError ??= gone()
      reject(closedError)
      for (const settle of waiting.values()) settle({ ok: false, error: closedError.toObject() })
      waiting.clear()
    })
    socket.on('error', () => socket.destroy())
    socket.write(
      encodeMessage({
        kind: 'hello',
        pid: process.pid,
        command: ask.command,
        terminalKey: ask.identity.terminalKey,
        terminal: ask.identity.terminal,
      }),
    )
  })
}
