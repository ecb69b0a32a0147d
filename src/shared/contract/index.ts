import { appEvents, appProcedures } from './app'
import { auditProcedures } from './audit'
import { cliEvents, cliProcedures } from './cli'
import { clipboardProcedures } from './clipboard'
import { connectionsEvents, connectionsProcedures } from './connections'
import { flowsProcedures } from './flows'
import { healthProcedures } from './health'
import { oauthEvents, oauthProcedures } from './oauth'
import { policiesProcedures } from './policies'
import { remotesProcedures } from './remotes'
import { settingsProcedures } from './settings'
import { syncEvents, syncProcedures } from './sync'
import { transferProcedures } from './transfer'
import { vaultEvents, vaultProcedures } from './vault'
import type { EventMap, ProcedureMap } from './define'

/**
 * The single source of truth for everything that crosses from renderer to main. The router, the
 * desktop IPC binding, the preload, the browser bridge and the renderer's types are all derived from
 * these two objects. Each domain declares its own part in a file beside this one.
 */
export const procedures = {
  ...appProcedures,
  ...vaultProcedures,
  ...settingsProcedures,
  ...auditProcedures,
  ...connectionsProcedures,
  ...flowsProcedures,
  ...policiesProcedures,
  ...clipboardProcedures,
  ...oauthProcedures,
  ...remotesProcedures,
  ...syncProcedures,
  ...cliProcedures,
  ...transferProcedures,
  ...healthProcedures,
} satisfies ProcedureMap

export const events = {
  ...appEvents,
  ...vaultEvents,
  ...connectionsEvents,
  ...oauthEvents,
  ...syncEvents,
  ...cliEvents,
} satisfies EventMap

export type Procedures = typeof procedures
export type Events = typeof events
export type ProcedureName = keyof Procedures
export type EventName = keyof Events

export const procedureNames = Object.keys(procedures) as ProcedureName[]
export const eventNames = Object.keys(events) as EventName[]

export * from './define'
export type * from './app'
export type * from './audit'
export type * from './cli'
export type * from './clipboard'
export type * from './connections'
export type * from './flows'
export type * from './health'
export type * from './oauth'
export type * from './policies'
export type * from './remotes'
export type * from './settings'
export type * from './sync'
export type * from './transfer'
export type * from './vault'
