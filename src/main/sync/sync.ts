import type { AppConnection } from '../../shared/contract/connections'
import type { EventBus } from '../api/event-bus'
import type { Clock } from '../adapters/clock'
import type { Fetch } from '../adapters/fetch'
import type { RandomBytes } from '../adapters/random'
import { newConnectionId } from '../connections/service'
import type { VaultSession } from '../vault/session'
import { createRemoteClient, type RemoteClient, type RemoteTarget } from './dialects/remote-client'
import { createSyncEngine } from './engine'
import { probeAsTestResult } from './probe'
import { remoteCodeClaim } from './oauth-claim'
import { createRemotesService } from './remotes-service'
import { syncHandlers } from './sync-handlers'

export interface SyncDependencies {
  session: () => VaultSession
  events: EventBus
  clock: Clock
  random: RandomBytes
  fetch: Fetch
  connection(id: string): AppConnection
  /** Tests swap in clients that count or fail. */
  createClient?: (target: RemoteTarget) => RemoteClient
  jitter?: () => number
  timeoutMs?: number
  runDeadlineMs?: number
  /** False: no sync by itself (a CLI command); a run happens only when `sync.run` asks. */
  automatic?: boolean
}

/**
 * Remotes and sync for the core: the remotes service, the engine (which follows the vault through
 * the event bus, running only while unlocked), and their handlers.
 */
export function createSync(dependencies: SyncDependencies) {
  const { clock, events } = dependencies
  const clientFor =
    dependencies.createClient ??
    ((target: RemoteTarget) =>
      createRemoteClient(target, { fetch: dependencies.fetch, clock, timeoutMs: dependencies.timeoutMs }))
  let engine: ReturnType<typeof createSyncEngine> | null = null
  const remotes = createRemotesService({
    session: dependencies.session,
    clock,
    random: dependencies.random,
    onChanged: (remoteId) => engine?.remoteChanged(remoteId),
  })
  engine = createSyncEngine({
    session: dependencies.session,
    remotes,
    events,
    clock,
    fetch: dependencies.fetch,
    jitter: dependencies.jitter,
    runDeadlineMs: dependencies.runDeadlineMs,
    newConnectionId: (nowMs) => newConnectionId(dependencies.random, nowMs),
    connection: dependencies.connection,
    createClient: clientFor,
  })
  const unsubscribe = dependencies.automatic === false ? () => {} : events.subscribe(engine.onEvent)
  const handlers = syncHandlers({
    remotes,
    engine,
    probe: (target) => probeAsTestResult(target, { fetch: dependencies.fetch, clock }),
  })
  const ready = engine
  return {
    handlers,
    engine: ready,
    remotes,
    /** For the OAuth sign-in: Activepieces remotes claim the code themselves (oauth-claim.ts). */
    remoteCodeClaim: remoteCodeClaim({
      target: (remoteId) => remotes.target(remoteId),
      clientFor,
      contextFor: (remoteId, client) => ready.contextFor(remoteId, client, new AbortController().signal),
      newExternalId: () => `oauth_${dependencies.random(12).toString('base64url')}`,
    }),
    close(): void {
      unsubscribe()
      ready.stop()
    },
  }
}
