import { createClient, type LatchkeyApi } from '../../../shared/client'
import { PRELOAD_TRANSPORT_KEY } from '../../../shared/ipc-channels'
import { chooseTransport } from './choose-transport'
import { createWebTransport, takeSessionToken } from './web-transport'

/**
 * Builds `window.latchkey` once, here in the renderer, over the preload's transport or browser
 * mode's: an AppError built on this side of contextBridge is this bundle's class, with its code and
 * params intact.
 */
export function ensureLatchkeyApi(): LatchkeyApi {
  window.latchkey ??= createClient(
    chooseTransport(window[PRELOAD_TRANSPORT_KEY], () =>
      createWebTransport(takeSessionToken(window.location, window.history, window.sessionStorage)),
    ),
  )
  return window.latchkey
}
