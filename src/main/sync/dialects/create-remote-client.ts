import type { RemoteClient, RemoteClientDeps, RemoteTarget } from './remote-client'
import { RemoteError } from './remote-error'

/** One client per dialect behind one interface; the engine never branches on the dialect. */
export function createRemoteClient(target: RemoteTarget, deps: RemoteClientDeps): RemoteClient {
  void deps
  throw new RemoteError({
    kind: 'unsupported',
    appCode: 'VALIDATION',
    message: `The ${target.dialect} client is not built yet.`,
  })
}
