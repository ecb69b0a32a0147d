import type { ProcedureName } from './contract'

/** Channel names are derived from procedure names, never written out a second time. */
export const procedureChannel = (name: ProcedureName): string => `latchkey:${name}`
export const EVENT_CHANNEL = 'latchkey:event'

/** Where the preload puts its transport on `window`; the renderer builds the client over it. */
export const PRELOAD_TRANSPORT_KEY = 'latchkeyTransport'
