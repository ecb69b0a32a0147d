import { createClient, type LatchkeyApi } from '../../../shared/client'
import { PRELOAD_TRANSPORT_KEY } from '../../../shared/ipc-channels'
import { chooseTransport } from './choose-transport'
import { createWebTransport, takeSessionToken } from './web-transport'

// Browser mode's token as this page found it: undefined on the desktop, null when the page was
// opened without the link browser mode printed.
let sessionToken: string | null | undefined

/**
 * Builds `window.latchkey` once, here in the renderer, over the preload's transport or browser
 * mode's: an AppError built on this side of contextBridge is this bundle's class, with its code and
 * params intact.
 */
export function ensureLatchkeyApi(): LatchkeyApi {
  window.latchkey ??= createClient(
    chooseTransport(window[PRELOAD_TRANSPORT_KEY], () => {
      sessionToken = takeSessionToken(window.location, window.history, window.sessionStorage)
      return createWebTransport(sessionToken)
    }),
  )
  return window.latchkey
}

/** Browser mode opened without its token: nothing can be asked of main, so the app says how to get in. */
export const isMissingSessionToken = (): boolean => sessionToken === null

/** Whether this page runs in browser mode (where a refused token means "open the printed link"). */
export const isBrowserMode = (): boolean => sessionToken !== undefined
