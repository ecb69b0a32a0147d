import { mayNavigate } from './navigation'

export interface IpcSender {
  /** webContents id of the sender. */
  contentsId: number
  /** The URL of the frame that sent the message; undefined when the frame is gone. */
  frameUrl: string | undefined
  isTopFrame: boolean
}

/**
 * Every IPC message must come from the top frame of a window the app created and trusts, showing
 * one of the renderer's origins (VS Code's ValidatedIpcMain, GitHub Desktop's trusted-ipc-sender).
 * A frame that navigated elsewhere, or an embedded one, is refused before the router sees the call.
 */
export function isTrustedSender(
  sender: IpcSender,
  trust: { contentsIds: ReadonlySet<number>; origins: ReadonlySet<string> },
): boolean {
  if (!trust.contentsIds.has(sender.contentsId)) return false
  if (!sender.isTopFrame || sender.frameUrl === undefined) return false
  return mayNavigate(sender.frameUrl, trust.origins)
}
