import type { RemoteFailure, RemoteTestResult } from '../../shared/contract/remotes'
import type { ErrorCode } from '../../shared/errors'
import {
  createRemoteClient,
  type Dialect,
  type RemoteClientDeps,
  type RemoteTarget,
} from './dialects/remote-client'
import { isRemoteError, type RemoteError } from './dialects/remote-error'

/** The contract's words for why a remote failed (remotes.test): one per cause a person fixes differently. */
export type ProbeFailureReason = RemoteFailure

export interface ProbeSuccess {
  ok: true
  dialect: Dialect
  /** Connections counted, up to the probe's limit. */
  connections: number
  /** False when counting stopped at the limit (there are at least `connections`). */
  complete: boolean
}

export interface ProbeFailure {
  ok: false
  reason: ProbeFailureReason
  /** The contract error code for `remotes.test` to answer with. */
  appCode: ErrorCode
  /** One sentence a person can act on; never the API key. */
  message: string
  status?: number
  /** When the server answered as the other dialect. */
  detectedDialect?: Dialect
}

export type ProbeResult = ProbeSuccess | ProbeFailure

export interface ProbeDeps extends RemoteClientDeps {
  signal?: AbortSignal
  /** Stop counting here; default 1000. */
  countLimit?: number
}

const DIALECT_NAMES: Record<Dialect, string> = { activepieces: 'Activepieces', weavz: 'Weavz' }
const PATHS: Record<Dialect, string> = {
  activepieces: '/api/v1/app-connections',
  weavz: '/api/v1/connections',
}
const PROBE_TIMEOUT_MS = 10_000

async function countConnections(
  target: RemoteTarget,
  deps: ProbeDeps,
  limit: number,
  signal: AbortSignal,
): Promise<ProbeSuccess> {
  const client = createRemoteClient(target, { ...deps, pageSize: Math.min(limit, 200) })
  let connections = 0
  for await (const page of client.listPages(signal)) {
    connections += page.length
    if (connections >= limit) return { ok: true, dialect: target.dialect, connections, complete: false }
  }
  return { ok: true, dialect: target.dialect, connections, complete: true }
}

/** Does the other dialect's list answer here? Then the server is that dialect (its key may still be refused). */
async function answersAs(target: RemoteTarget, deps: ProbeDeps, signal: AbortSignal): Promise<boolean> {
  const other: Dialect = target.dialect === 'activepieces' ? 'weavz' : 'activepieces'
  const client = createRemoteClient(
    { ...target, dialect: other, projectId: target.projectId ?? 'probe' },
    { ...deps, pageSize: 1 },
  )
  try {
    for await (const page of client.listPages(signal)) {
      void page
      break
    }
    return true
  } catch (error) {
    return isRemoteError(error) && error.kind === 'http' && (error.status === 401 || error.status === 403)
  }
}

function failure(reason: ProbeFailureReason, error: RemoteError, message = error.message): ProbeFailure {
  return {
    ok: false,
    reason,
    appCode: error.appCode,
    message,
    ...(error.status === undefined ? {} : { status: error.status }),
  }
}

async function explain(
  error: RemoteError,
  target: RemoteTarget,
  deps: ProbeDeps,
  signal: AbortSignal,
): Promise<ProbeFailure> {
  const name = DIALECT_NAMES[target.dialect]
  switch (error.kind) {
    case 'dns':
    case 'tls':
    case 'refused':
    case 'timeout':
    case 'reset':
    case 'offline':
    case 'unsupported':
      return failure(error.kind, error)
    case 'cancelled':
      throw error
    case 'not-dialect':
      return failure('not-dialect', error, `This server does not answer like ${name}: ${error.message}`)
    case 'http':
      break
  }
  if (error.status === 401) {
    return failure(
      'unauthorized',
      error,
      `The remote did not accept the API key (401). Check the key for this ${name} remote.`,
    )
  }
  if (error.status === 403) {
    return failure(
      'forbidden',
      error,
      'The API key was accepted but may not manage connections here (403). Check its permissions and the project.',
    )
  }
  if (error.status === 404) {
    if (await answersAs(target, deps, signal)) {
      const other: Dialect = target.dialect === 'activepieces' ? 'weavz' : 'activepieces'
      return {
        ...failure(
          'not-dialect',
          error,
          `This server speaks ${DIALECT_NAMES[other]}, not ${name}: pick the ${DIALECT_NAMES[other]} dialect.`,
        ),
        appCode: 'VALIDATION',
        detectedDialect: other,
      }
    }
    return failure(
      'wrong-path',
      error,
      `Nothing answers at ${PATHS[target.dialect]} under this base URL (404). Check the base URL: it is the server's address, without the API path.`,
    )
  }
  return failure('http', error)
}

/**
 * `remotes.test`: lists the remote's connections (counting up to a limit) and, when that fails,
 * says which of the distinct things went wrong — name, certificate, port, time, key, permission,
 * path, or a server of another kind — so the person knows what to fix.
 */
export async function probeRemote(target: RemoteTarget, deps: ProbeDeps): Promise<ProbeResult> {
  const signal = deps.signal ?? new AbortController().signal
  const probeDeps: ProbeDeps = { ...deps, timeoutMs: deps.timeoutMs ?? PROBE_TIMEOUT_MS }
  try {
    return await countConnections(target, probeDeps, deps.countLimit ?? 1000, signal)
  } catch (error) {
    if (!isRemoteError(error)) throw error
    return explain(error, target, probeDeps, signal)
  }
}

/** probeRemote in the contract's `remotes.test` answer: the count, how long it took, or why not. */
export async function probeAsTestResult(target: RemoteTarget, deps: ProbeDeps): Promise<RemoteTestResult> {
  const startedMs = deps.clock.now()
  const result = await probeRemote(target, deps)
  if (result.ok) {
    return {
      ok: true,
      dialect: target.dialect,
      latencyMs: deps.clock.now() - startedMs,
      connectionCount: result.connections,
    }
  }
  return { ok: false, failure: result.reason, status: result.status ?? null, message: result.message }
}
