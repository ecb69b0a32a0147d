import type { LatchkeyApi } from '../shared/client'

declare global {
  interface Window {
    /** Installed by the preload in the desktop app, or by the web bridge in browser mode. */
    latchkey: LatchkeyApi
  }
}

export {}
