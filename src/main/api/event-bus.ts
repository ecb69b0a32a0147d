import type { EventName, Events, PayloadOf } from '../../shared/contract'

export type EventListener = (name: EventName, payload: unknown) => void

/** Fan-out of contract events to every connected window or browser tab. */
export interface EventBus {
  emit<E extends EventName>(name: E, payload: PayloadOf<Events[E]>): void
  subscribe(listener: EventListener): () => void
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>()
  return {
    emit(name, payload) {
      for (const listener of [...listeners]) {
        try {
          listener(name, payload)
        } catch {
          // A broken subscriber (a closed tab) must not stop the others from hearing the event.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
