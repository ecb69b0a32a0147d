import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createClient, type Transport } from '../shared/client'
import type { EventName } from '../shared/contract'
import type { Result } from '../shared/errors'
import { EVENT_CHANNEL, procedureChannel } from '../shared/ipc-channels'

// The renderer gets one object with one method per procedure; never ipcRenderer itself.
const ipcTransport: Transport = {
  invoke: (name, input) => ipcRenderer.invoke(procedureChannel(name), input) as Promise<Result<unknown>>,
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, name: EventName, payload: unknown) => listener(name, payload)
    ipcRenderer.on(EVENT_CHANNEL, forward)
    return () => ipcRenderer.off(EVENT_CHANNEL, forward)
  },
}

contextBridge.exposeInMainWorld('latchkey', createClient(ipcTransport))
