import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { procedureNames } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { EVENT_CHANNEL, procedureChannel } from '../../../shared/ipc-channels'
import type { LatchkeyCore } from '../../core'
import { APP_ORIGIN } from './app-protocol'

/**
 * Every IPC message must come from the top frame of a window we created, showing our own
 * app:// origin (VS Code's ValidatedIpcMain, GitHub Desktop's trusted-ipc-sender). A frame that
 * navigated elsewhere, or an embedded one, is refused before the router sees the call.
 */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
  trusted: Set<number>,
  devServerUrl?: string,
): boolean {
  if (!trusted.has(event.sender.id)) return false
  const frame = event.senderFrame
  if (!frame || frame.parent !== null) return false
  const origin = new URL(frame.url).origin
  return origin === APP_ORIGIN || (devServerUrl !== undefined && origin === new URL(devServerUrl).origin)
}

export function bindIpc(core: LatchkeyCore, devServerUrl?: string) {
  const trusted = new Set<number>()
  const windows = new Set<WebContents>()
  for (const name of procedureNames) {
    ipcMain.handle(procedureChannel(name), (event, input: unknown) => {
      if (!isTrustedSender(event, trusted, devServerUrl)) {
        return {
          ok: false,
          error: new AppError('FORBIDDEN', { message: 'This window may not call Latchkey.' }).toObject(),
        }
      }
      return core.router.dispatch(name, input, { origin: 'desktop' })
    })
  }
  core.events.subscribe((name, payload) => {
    for (const contents of windows) if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload)
  })
  return {
    trust(contents: WebContents) {
      trusted.add(contents.id)
      windows.add(contents)
      contents.once('destroyed', () => {
        trusted.delete(contents.id)
        windows.delete(contents)
      })
    },
  }
}
