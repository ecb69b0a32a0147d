import type { Handlers } from '../api/router'
import type { ConnectionsService } from './service'

type ConnectionHandlers = Pick<
  Handlers,
  | 'connections.list'
  | 'connections.slice'
  | 'connections.facets'
  | 'connections.get'
  | 'connections.upsert'
  | 'connections.upsertBatch'
  | 'connections.create'
  | 'connections.update'
  | 'connections.rotate'
  | 'connections.reveal'
  | 'connections.delete'
  | 'connections.replace'
  | 'connections.owners'
  | 'flows.list'
  | 'flows.link'
  | 'flows.unlink'
>

/**
 * Binds the service to the contract. No handler emits `connections.changed`: the service does,
 * after its transaction commits, so writes that do not come through here (the OAuth refresher, a
 * sync engine) reach every window too.
 */
export function connectionHandlers(service: ConnectionsService): ConnectionHandlers {
  return {
    'connections.list': (input) => service.list(input),
    'connections.slice': (input) => service.slice(input),
    'connections.facets': () => service.facets(),
    'connections.get': (input) => service.get(input.id),
    'connections.upsert': (input, context) => service.save(input, 'upsert', context.origin),
    'connections.upsertBatch': (input, context) => service.saveBatch(input.items, context.origin),
    'connections.create': (input, context) => {
      const result = service.save(input, 'create', context.origin)
      return { connection: result.connection, created: true }
    },
    'connections.update': (input, context) => service.update(input, context.origin),
    'connections.rotate': (input, context) => service.rotate(input, context.origin),
    'connections.reveal': (input, context) => service.reveal(input.id, context.origin),
    'connections.delete': (input, context) => service.remove(input, context.origin),
    'connections.replace': (input, context) => service.replace(input, context.origin),
    'connections.owners': (input) => service.owners(input),
    'flows.list': (input) => service.flows(input.connectionId),
    'flows.link': (input) => service.linkFlow(input),
    'flows.unlink': (input) => service.unlinkFlow(input.flowId, input.connectionId),
  }
}
