import { createClient, type LatchkeyApi } from '../../../shared/client'
import { createWebTransport, takeSessionToken } from './web-transport'

/**
 * The desktop preload has already installed `window.latchkey`; in browser mode we install the same
 * interface over HTTP (Actual Budget's browser-preload pattern). The rest of the app cannot tell.
 */
export function ensureLatchkeyApi(): LatchkeyApi {
  if (!window.latchkey) {
    const token = takeSessionToken(window.location, window.history, window.sessionStorage)
    window.latchkey = createClient(createWebTransport(token))
  }
  return window.latchkey
}
