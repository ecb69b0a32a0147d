import { appEvents, appProcedures } from './app'
import type { EventMap, ProcedureMap } from './define'

/**
 * The single source of truth for everything that crosses from renderer to main. The router, the
 * desktop IPC binding, the preload, the browser bridge and the renderer's types are all derived from
 * these two objects. Each domain declares its own part in a file beside this one.
 */
export const procedures = {
  ...appProcedures,
} satisfies ProcedureMap

export const events = {
  ...appEvents,
} satisfies EventMap

export type Procedures = typeof procedures
export type Events = typeof events
export type ProcedureName = keyof Procedures
export type EventName = keyof Events

export const procedureNames = Object.keys(procedures) as ProcedureName[]
export const eventNames = Object.keys(events) as EventName[]

export * from './define'
export type { AppInfo, HostKind } from './app'
