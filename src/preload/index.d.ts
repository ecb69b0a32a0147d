import type { LatchkeyApi, Transport } from '../shared/client'

declare global {
  interface Window {
    /** Exposed by the desktop preload only: plain result envelopes and event payloads over IPC. */
    latchkeyTransport?: Transport
    /** The typed client, built by the renderer at startup over the preload's transport or browser mode's. */
    latchkey: LatchkeyApi
  }
}

export {}
