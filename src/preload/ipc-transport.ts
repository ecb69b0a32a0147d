import type { Transport } from '../shared/client'
import { eventNames, procedureNames, type EventName, type ProcedureName } from '../shared/contract'
import { AppError, internalError, type Result } from '../shared/errors'
import { EVENT_CHANNEL, procedureChannel } from '../shared/ipc-channels'

/** The part of Electron's ipcRenderer the preload uses, so this module runs without Electron. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  off(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

const procedures: ReadonlySet<string> = new Set(procedureNames)
const events: ReadonlySet<string> = new Set(eventNames)

const unknownProcedure = (name: string): Result<never> => ({
  ok: false,
  error: new AppError('ENTITY_NOT_FOUND', {
    entityType: 'procedure',
    entityId: String(name).slice(0, 200),
    message: 'There is no such procedure.',
  }).toObject(),
})

/**
 * The transport the preload hands the renderer. One `invoke(name, input)` rather than one method
 * per procedure: it reaches exactly the same channels (a name outside the contract's list is refused
 * here, before anything is sent, and main's handler checks again), it keeps the exposed object two
 * plain functions that never change with the contract, and it lets the renderer build its typed
 * client once for both transports. It never throws: every answer, failures included, is a plain
 * result envelope, because an Error crossing contextBridge keeps only its message.
 */
export function createIpcTransport(ipc: IpcRendererLike): Transport {
  return {
    async invoke(name, input) {
      if (typeof name !== 'string' || !procedures.has(name)) return unknownProcedure(name)
      try {
        return (await ipc.invoke(procedureChannel(name as ProcedureName), input)) as Result<unknown>
      } catch {
        // No handler, a destroyed frame, or an input IPC cannot clone: nothing main said.
        return { ok: false, error: internalError().toObject() }
      }
    },
    subscribe(listener) {
      if (typeof listener !== 'function') return () => {}
      // The IPC event (with its sender) stays here; the renderer gets only the name and payload.
      const forward = (_event: unknown, name: unknown, payload: unknown) => {
        if (typeof name === 'string' && events.has(name)) listener(name as EventName, payload)
      }
      ipc.on(EVENT_CHANNEL, forward)
      return () => {
        ipc.off(EVENT_CHANNEL, forward)
      }
    },
  }
}
