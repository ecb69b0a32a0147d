import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { procedureNames } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { EVENT_CHANNEL, procedureChannel } from '../../../shared/ipc-channels'
import type { LatchkeyCore } from '../../core'
import { isTrustedSender, type IpcSender } from './trusted-sender'

/** What trusted-sender.ts needs to know about a message, read off Electron's event. */
function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame
  return { contentsId: event.sender.id, frameUrl: frame?.url, isTopFrame: !!frame && frame.parent === null }
}

/** The one binding of the router to ipcMain: every call's sender is checked before the router runs. */
export function bindIpc(core: LatchkeyCore, trustedOrigins: ReadonlySet<string>) {
  const contentsIds = new Set<number>()
  const windows = new Set<WebContents>()
  for (const name of procedureNames) {
    ipcMain.handle(procedureChannel(name), (event, input: unknown) => {
      if (!isTrustedSender(senderOf(event), { contentsIds, origins: trustedOrigins })) {
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
      contentsIds.add(contents.id)
      windows.add(contents)
      contents.once('destroyed', () => {
        contentsIds.delete(contents.id)
        windows.delete(contents)
      })
    },
  }
}
