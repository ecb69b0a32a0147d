import { z } from 'zod'
import { event, procedure } from './define'

export type HostKind = 'browser' | 'desktop'

export interface AppInfo {
  name: string
  version: string
  host: HostKind
}

export const appProcedures = {
  'app.info': procedure(z.object({}).strict()).returns<AppInfo>(),
}

export const appEvents = {
  /** Lets a UI prove the event path is alive; the server sends it once per subscription. */
  'app.ready': event<{ host: HostKind }>(),
}
