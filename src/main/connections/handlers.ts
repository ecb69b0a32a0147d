import type { EventBus } from '../api/event-bus'
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
 * Binds the service to the contract. Writes announce `connections.changed` only after their
 * transaction has committed (the service returns from inside it), so a window that refreshes on
 * the event always reads the new state.
 */
export function connectionHandlers(service: ConnectionsService, events: EventBus): ConnectionHandlers {
  const changed = (ids: string[], kind: 'created' | 'updated' | 'deleted' | 'replaced') =>
    events.emit('connections.changed', { ids, kind })
  return {
    'connections.list': (input) => service.list(input),
    'connections.slice': (input) => service.slice(input),
    'connections.facets': () => service.facets(),
    'connections.get': (input) => service.get(input.id),
    'connections.upsert': (input, context) => {
      const result = service.save(input, 'upsert', context.origin)
      changed([result.connection.id], result.created ? 'created' : 'updated')
      return result
    },
    // One event for the whole batch, after its one commit: 'created' when every connection in it is new.
    'connections.upsertBatch': (input, context) => {
      const result = service.saveBatch(input.items, context.origin)
      // Whether each connection is new is what its first item answered (a repeat updates it).
      const isNew = new Map<string, boolean>()
      for (const { connection, created } of result.results) {
        if (!isNew.has(connection.id)) isNew.set(connection.id, created)
      }
      changed([...isNew.keys()], [...isNew.values()].every(Boolean) ? 'created' : 'updated')
      return result
    },
    'connections.create': (input, context) => {
      const result = service.save(input, 'create', context.origin)
      changed([result.connection.id], 'created')
      return { connection: result.connection, created: true }
    },
    'connections.update': (input, context) => {
      const connection = service.update(input, context.origin)
      changed([connection.id], 'updated')
      return connection
    },
    'connections.rotate': (input, context) => {
      const connection = service.rotate(input, context.origin)
      changed([connection.id], 'updated')
      return connection
    },
    // Reading a secret changes nothing another window shows, so no event.
    'connections.reveal': (input, context) => service.reveal(input.id, context.origin),
    'connections.delete': (input, context) => {
      const result = service.remove(input, context.origin)
      changed([input.id], result.placeholder ? 'updated' : 'deleted')
      return result
    },
    'connections.replace': (input, context) => {
      const result = service.replace(input, context.origin)
      changed([input.sourceAppConnectionId, input.targetAppConnectionId], 'replaced')
      return result
    },
    'connections.owners': (input) => service.owners(input),
    'flows.list': (input) => service.flows(input.connectionId),
    'flows.link': (input) => {
      const reference = service.linkFlow(input)
      changed([input.connectionId], 'updated')
      return reference
    },
    'flows.unlink': (input) => {
      const result = service.unlinkFlow(input.flowId, input.connectionId)
      if (result.removed) changed([input.connectionId], 'updated')
      return result
    },
  }
}
