import { createActivepiecesClient } from './activepieces-client'
import type { RemoteClient, RemoteClientDeps, RemoteTarget } from './remote-client'
import { createWeavzClient } from './weavz-client'

/** One client per dialect behind one interface; the engine never branches on the dialect. */
export function createRemoteClient(target: RemoteTarget, deps: RemoteClientDeps): RemoteClient {
  return target.dialect === 'activepieces'
    ? createActivepiecesClient(target, deps)
    : createWeavzClient(target, deps)
}
