import type { AppConnection, EventName, Events, PayloadOf } from '../../shared/contract'

/**
 * What the writer of a change already holds, for listeners in this process only: a host sends a
 * window, tab or CLI the contract's payload alone. The connections service's connections.changed
 * carries each changed connection as committed, so a listener (the OAuth refresher) need not read
 * 500 rows back after a batch of 500 writes.
 */
export interface EventDetail {
  connections?: readonly AppConnection[]
}

export type EventListener = (name: EventName, payload: unknown, detail?: EventDetail) => void

/** Fan-out of contract events to every connected window or browser tab. */
export interface EventBus {
  emit<E extends EventName>(name: E, payload: PayloadOf<Events[E]>, detail?: EventDetail): void
  subscribe(listener: EventListener): () => void
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>()
  return {
    emit(name, payload, detail) {
      for (const listener of [...listeners]) {
        try {
          listener(name, payload, detail)
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
