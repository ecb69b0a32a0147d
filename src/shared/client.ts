import { AppError, isErrorObject, internalError, type Result } from './errors'
import {
  eventNames,
  procedureNames,
  type EventName,
  type Events,
  type InputOf,
  type OutputOf,
  type PayloadOf,
  type ProcedureName,
  type Procedures,
} from './contract'

/** How a client reaches main: Electron IPC in the desktop app, HTTP + server-sent events in browser mode. */
export interface Transport {
  invoke(name: ProcedureName, input: unknown): Promise<Result<unknown>>
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void
}

type AreaOf<Name> = Name extends `${infer Area}.${string}` ? Area : never
// A procedure whose input fields are all optional may be called with no argument.
type Call<P> =
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  {} extends InputOf<P>
    ? (input?: InputOf<P>) => Promise<OutputOf<P>>
    : (input: InputOf<P>) => Promise<OutputOf<P>>

export type LatchkeyApi = {
  [Area in AreaOf<ProcedureName>]: {
    [Name in ProcedureName as Name extends `${Area}.${infer Verb}` ? Verb : never]: Call<Procedures[Name]>
  }
} & {
  on<E extends EventName>(name: E, handler: (payload: PayloadOf<Events[E]>) => void): () => void
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value
  throw AppError.fromObject(isErrorObject(result.error) ? result.error : internalError().toObject())
}

/** Builds `window.latchkey` from the contract: one method per procedure, nothing else. */
export function createClient(transport: Transport): LatchkeyApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {}
  for (const name of procedureNames) {
    const [area, verb] = name.split('.') as [string, string]
    api[area] ??= {}
    api[area][verb] = async (input?: unknown) => unwrap(await transport.invoke(name, input ?? {}))
  }
  const handlers = new Map<EventName, Set<(payload: unknown) => void>>(eventNames.map((n) => [n, new Set()]))
  let unsubscribeTransport: (() => void) | null = null
  const on = (name: EventName, handler: (payload: unknown) => void): (() => void) => {
    const set = handlers.get(name)
    if (!set) throw new AppError('VALIDATION', { message: `Unknown event "${String(name)}".` })
    set.add(handler)
    unsubscribeTransport ??= transport.subscribe((eventName, payload) => {
      for (const listener of handlers.get(eventName) ?? []) listener(payload)
    })
    return () => {
      set.delete(handler)
      const anyLeft = [...handlers.values()].some((s) => s.size > 0)
      if (!anyLeft && unsubscribeTransport) {
        unsubscribeTransport()
        unsubscribeTransport = null
      }
    }
  }
  return Object.freeze({ ...api, on }) as unknown as LatchkeyApi
}
