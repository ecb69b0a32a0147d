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

/**
 * How a client reaches main: Electron IPC through the preload in the desktop app, HTTP + server-sent
 * events in browser mode. Everything it hands back is plain, structured-cloneable data (result
 * envelopes and event payloads), because contextBridge copies values and keeps only the message of
 * an Error thrown across it.
 */
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

/**
 * Rebuilds the answer on the client's side of the boundary: a value, or an AppError of this bundle's
 * own class with the code and params main sent. Anything that is not a well-formed envelope (a
 * transport that threw, a broken reply) becomes INTERNAL with its fixed message, never the raw text.
 */
export function unwrap<T>(result: Result<T> | unknown): T {
  if (isResult(result)) {
    if (result.ok) return result.value as T
    if (isErrorObject(result.error)) throw AppError.fromObject(result.error)
  }
  throw internalError()
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const { ok } = value as { ok?: unknown }
  return ok === true ? 'value' in value : ok === false
}

async function call(transport: Transport, name: ProcedureName, input: unknown): Promise<unknown> {
  let result: unknown
  try {
    result = await transport.invoke(name, input ?? {})
  } catch {
    throw internalError()
  }
  return unwrap(result)
}

/**
 * Builds the typed client from the contract: one method per procedure, nothing else. The renderer
 * calls it once, on its own side of the bridge, over whichever transport it has (Electron's
 * preload or browser mode's HTTP), so the AppError it throws is the renderer's own class.
 */
export function createClient(transport: Transport): LatchkeyApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {}
  for (const name of procedureNames) {
    const [area, verb] = name.split('.') as [string, string]
    api[area] ??= {}
    api[area][verb] = (input?: unknown) => call(transport, name, input)
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
