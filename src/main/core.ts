import { createEventBus, type EventBus } from './api/event-bus'
import { pendingHandlers } from './api/pending-handlers'
import { createRouter, type Handlers, type Router } from './api/router'
import { appHandlers, type AppIdentity } from './app/app-handlers'
import type { Clock } from './platform/clock'
import type { Logger } from './platform/logger'

export interface CoreDependencies {
  identity: AppIdentity
  dataDir: string
  logger: Logger
  /** The desktop host's better-sqlite3 build for Electron's ABI; plain Node uses node_modules' own. */
  sqliteNativeBinding?: string
  clock?: Clock
}

export interface LatchkeyCore {
  router: Router
  events: EventBus
  close(): Promise<void>
}

/**
 * The composition root of everything below the hosts. A host (desktop, browser mode, a test)
 * passes its platform adapters in and binds `router` and `events` to its transport.
 */
export function createCore(dependencies: CoreDependencies): LatchkeyCore {
  const events = createEventBus()
  const handlers: Handlers = {
    ...pendingHandlers,
    ...appHandlers(dependencies.identity),
  }
  const router = createRouter(handlers, {
    onUnexpectedError: (procedure, error) =>
      dependencies.logger.error(`procedure ${procedure} failed`, { error: describeError(error) }),
  })
  return {
    router,
    events,
    async close() {},
  }
}

/** Only an error's class and code go to the log: messages from libraries may quote their input. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? `${error.name} (${code})` : error.name
  }
  return typeof error
}
