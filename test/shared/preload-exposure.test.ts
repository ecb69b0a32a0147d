import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { exposeTransport } from '../../src/preload/expose'
import type { IpcRendererLike } from '../../src/preload/ipc-transport'
import type { Transport } from '../../src/shared/client'
import { procedureNames } from '../../src/shared/contract'
import { internalError } from '../../src/shared/errors'
import { EVENT_CHANNEL, PRELOAD_TRANSPORT_KEY, procedureChannel } from '../../src/shared/ipc-channels'

/** An ipcRenderer-shaped object that records what the preload sends and answers as told. */
function recordingIpc(answer: (channel: string, input: unknown) => Promise<unknown>) {
  const emitter = new EventEmitter()
  const sent: { channel: string; input: unknown }[] = []
  const ipc: IpcRendererLike = {
    invoke(channel, input) {
      sent.push({ channel, input })
      return answer(channel, input)
    },
    on: (channel, listener) => emitter.on(channel, listener),
    off: (channel, listener) => emitter.off(channel, listener),
  }
  return { ipc, sent, emitter }
}

function expose(ipc: IpcRendererLike): { exposures: [string, unknown][]; transport: Transport } {
  const exposures: [string, unknown][] = []
  exposeTransport(ipc, { exposeInMainWorld: (key, api) => exposures.push([key, api]) })
  return { exposures, transport: exposures[0]![1] as Transport }
}

/** Every value reachable from the exposed object: functions, primitives and plain objects only. */
function reachable(value: unknown, seen = new Set<unknown>()): unknown[] {
  if (seen.has(value)) return []
  seen.add(value)
  if (typeof value !== 'object' || value === null) return [value]
  return [value, ...Object.values(value).flatMap((item) => reachable(item, seen))]
}

describe('the preload’s exposure', () => {
  it('puts one frozen object of two plain functions on window, and never ipcRenderer', () => {
    const { ipc } = recordingIpc(async () => ({ ok: true, value: null }))
    const { exposures, transport } = expose(ipc)
    expect(exposures.map(([key]) => key)).toEqual([PRELOAD_TRANSPORT_KEY])
    expect(Object.isFrozen(transport)).toBe(true)
    expect(Object.getPrototypeOf(transport)).toBe(Object.prototype)
    expect(Object.keys(transport).sort()).toEqual(['invoke', 'subscribe'])
    for (const value of reachable(transport)) {
      expect(value).not.toBe(ipc)
      if (typeof value === 'object' && value !== null)
        expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
      else expect(['function', 'string', 'number', 'boolean', 'undefined']).toContain(typeof value)
    }
    for (const method of Object.values(transport)) expect(Object.keys(method as object)).toEqual([])
  })

  it('sends each contract procedure on its own channel and nothing else', async () => {
    const { ipc, sent } = recordingIpc(async () => ({ ok: true, value: 'answered' }))
    const { transport } = expose(ipc)
    for (const name of procedureNames) {
      await expect(transport.invoke(name, { a: 1 })).resolves.toEqual({ ok: true, value: 'answered' })
    }
    expect(sent.map(({ channel }) => channel)).toEqual(procedureNames.map(procedureChannel))
  })

  it('refuses a name outside the contract before sending it, with a plain envelope', async () => {
    const { ipc, sent } = recordingIpc(async () => ({ ok: true, value: null }))
    const { transport } = expose(ipc)
    const invoke = transport.invoke as (name: unknown, input: unknown) => Promise<unknown>
    for (const name of ['vault.export', 'latchkey:event', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await invoke(name, {})
      expect(result).toMatchObject({ ok: false, error: { code: 'ENTITY_NOT_FOUND', statusCode: 404 } })
      expect(structuredClone(result)).toEqual(result)
    }
    expect(sent).toEqual([])
  })

  it('answers a failed send with INTERNAL instead of throwing across the bridge', async () => {
    const { ipc } = recordingIpc(() =>
      Promise.reject(new Error("No handler registered for 'latchkey:app.info'")),
    )
    const { transport } = expose(ipc)
    const result = await transport.invoke('app.info', {})
    expect(result).toEqual({ ok: false, error: internalError().toObject() })
  })

  it('forwards contract events as name and payload only, never the IPC event or its sender', () => {
    const { ipc, emitter } = recordingIpc(async () => ({ ok: true, value: null }))
    const { transport } = expose(ipc)
    const heard: unknown[][] = []
    const off = transport.subscribe((...args: unknown[]) => heard.push(args))
    const ipcEvent = { sender: { send() {} }, senderFrame: {} }
    emitter.emit(EVENT_CHANNEL, ipcEvent, 'connections.changed', { ids: ['conn_1'], kind: 'created' })
    emitter.emit(EVENT_CHANNEL, ipcEvent, 'not.an.event', { anything: true })
    off()
    emitter.emit(EVENT_CHANNEL, ipcEvent, 'vault.stateChanged', { state: 'locked', reason: 'manual' })
    expect(heard).toEqual([['connections.changed', { ids: ['conn_1'], kind: 'created' }]])
    expect(emitter.listenerCount(EVENT_CHANNEL)).toBe(0)
  })
})
