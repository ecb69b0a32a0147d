import { EventEmitter } from 'node:events'
import type { LatchkeyCore } from '../../src/main/core'
import type { IpcRendererLike } from '../../src/preload/ipc-transport'
import type { ErrorObject, Result } from '../../src/shared/errors'
import { EVENT_CHANNEL } from '../../src/shared/ipc-channels'

export interface IpcToCore {
  /** What the preload gets as ipcRenderer. */
  ipc: IpcRendererLike
  /** The last answer main sent, as main built it (before IPC copied it). */
  lastAnswer(): Result<unknown> | undefined
  /** Answers the next call with this error envelope instead of the router's, as a host guard would. */
  answerNextWith(error: ErrorObject): void
  /** Every channel a call was sent on. */
  channels: string[]
  dispose(): void
}

/**
 * The desktop host's IPC binding as the renderer sees it, without Electron: every call goes to the
 * real router and every event from the real core comes back, both copied with structuredClone the
 * way IPC copies them. (The sender check is the host's, tested with its guards.)
 */
export function ipcToCore(core: LatchkeyCore): IpcToCore {
  const emitter = new EventEmitter()
  const channels: string[] = []
  let last: Result<unknown> | undefined
  let forced: ErrorObject | undefined
  const stopEvents = core.events.subscribe((name, payload) => {
    emitter.emit(EVENT_CHANNEL, { sender: 'ipc event' }, ...structuredClone([name, payload]))
  })
  const ipc: IpcRendererLike = {
    async invoke(channel, input) {
      channels.push(channel)
      const name = channel.replace(/^latchkey:/, '')
      const answer: Result<unknown> = forced
        ? { ok: false, error: forced }
        : await core.router.dispatch(name, structuredClone(input), { origin: 'desktop' })
      forced = undefined
      last = answer
      return structuredClone(answer)
    },
    on: (channel, listener) => emitter.on(channel, listener),
    off: (channel, listener) => emitter.off(channel, listener),
  }
  return {
    ipc,
    lastAnswer: () => last,
    answerNextWith: (error) => (forced = error),
    channels,
    dispose: stopEvents,
  }
}
