import { PRELOAD_TRANSPORT_KEY } from '../shared/ipc-channels'
import { createIpcTransport, type IpcRendererLike } from './ipc-transport'

/** The part of Electron's contextBridge the preload uses. */
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void
}

/**
 * The preload's whole job: put one frozen object of two plain functions on `window`. The typed
 * client is built by the renderer over it, so errors are rebuilt as the renderer's own AppError
 * from plain data instead of being thrown across contextBridge.
 */
export function exposeTransport(ipc: IpcRendererLike, bridge: ContextBridgeLike): void {
  const { invoke, subscribe } = createIpcTransport(ipc)
  bridge.exposeInMainWorld(PRELOAD_TRANSPORT_KEY, Object.freeze({ invoke, subscribe }))
}
