import type { Handlers } from '../api/router'
import type { RemoteTestResult } from '../../shared/contract/remotes'
import type { RemoteTarget } from './dialects/remote-client'
import type { SyncEngine } from './engine'
import type { RemotesService } from './remotes-service'

type SyncHandlers = Pick<
  Handlers,
  | 'remotes.list'
  | 'remotes.add'
  | 'remotes.update'
  | 'remotes.remove'
  | 'remotes.test'
  | 'sync.run'
  | 'sync.cancel'
  | 'sync.status'
  | 'sync.conflicts'
  | 'sync.resolve'
  | 'sync.connectionStates'
>

export interface SyncHandlerDependencies {
  remotes: RemotesService
  engine: SyncEngine
  /** H3's probe: a distinct answer per cause (DNS, TLS, refused, timeout, 401, 403, 404, dialect). */
  probe(target: RemoteTarget): Promise<RemoteTestResult>
}

export function syncHandlers({ remotes, engine, probe }: SyncHandlerDependencies): SyncHandlers {
  return {
    'remotes.list': () => remotes.list(),
    'remotes.add': (input, context) => remotes.add(input, context.origin),
    'remotes.update': (input, context) => remotes.update(input, context.origin),
    'remotes.remove': (input, context) => {
      engine.cancel(input.id)
      return remotes.remove(input, context.origin)
    },
    'remotes.test': (input) => {
      const target: RemoteTarget =
        'id' in input
          ? remotes.target(input.id)
          : {
              dialect: input.dialect,
              baseUrl: input.baseUrl,
              apiKey: input.apiKey,
              ...(input.projectId ? { projectId: input.projectId } : {}),
              ...(input.orgId ? { orgId: input.orgId } : {}),
            }
      return probe(target)
    },
    'sync.run': (input) => engine.run(input.remoteId),
    'sync.cancel': (input) => ({ cancelled: engine.cancel(input.remoteId) }),
    'sync.status': () => engine.status(),
    'sync.conflicts': (input) => engine.conflicts(input.remoteId),
    'sync.resolve': (input, context) => engine.resolve(input, context.origin),
    'sync.connectionStates': (input) => engine.connectionStates(input.ids),
  }
}
