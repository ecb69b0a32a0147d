import type { AppConnection } from '../../../src/shared/contract'
import type { OAuthFlowStarted, OAuthStatus } from '../../../src/shared/contract/oauth'
import type { Logger } from '../../../src/main/adapters/logger'
import { createManualClock, type ManualClock } from '../../support/manual-clock'
import {
  startAuthorizationServer,
  type AuthorizationServer,
  NATIVE_CLIENT_ID,
} from '../../support/oidc-provider'
import { createUnlockedTestCore, type UnlockedTestCore } from '../../support/vault'
import { systemClock } from '../../../src/main/platform/clock'

export interface OAuthHarness extends UnlockedTestCore {
  server: AuthorizationServer
  /** URLs the core asked the host to open in the system browser. */
  opened: string[]
  statuses: OAuthStatus[]
  events: { name: string; payload: unknown }[]
  logs: string[]
  clock: ManualClock | null
  /** Resolves with the flow's first final status. */
  finalStatus(flowId: string): Promise<OAuthStatus>
  start(overrides?: Record<string, unknown>): Promise<OAuthFlowStarted>
  call<T = unknown>(name: string, input?: unknown): Promise<T>
  close(): Promise<void>
}

export const connectionFields = {
  displayName: 'Example sign-in',
  pieceName: '@activepieces/piece-example',
  pieceVersion: '0.1.0',
  scope: 'PROJECT' as const,
  projectIds: [],
}

/**
 * A real core (unlocked vault) beside a real oidc-provider. `manualClock`: the core's clock is
 * driven by hand from now (the provider keeps real time, so its tokens stay valid).
 */
export async function oauthHarness(
  options: { manualClock?: boolean; server?: Parameters<typeof startAuthorizationServer>[0] } = {},
): Promise<OAuthHarness> {
  const server = await startAuthorizationServer(options.server)
  const clock = options.manualClock ? createManualClock(Date.now()) : null
  const opened: string[] = []
  const logs: string[] = []
  const logger: Logger = {
    info: (message, fields) => logs.push(`${message} ${JSON.stringify(fields ?? {})}`),
    error: (message, fields) => logs.push(`${message} ${JSON.stringify(fields ?? {})}`),
  }
  const base = await createUnlockedTestCore({
    clock: clock ?? systemClock,
    dependencies: {
      logger,
      openExternal: async (url) => {
        opened.push(url)
      },
    },
  })
  // The manual clock jumps hours; idle auto-lock would lock the vault under the tests' feet.
  if (clock) await base.call('settings.set', { autoLockMinutes: 0 })
  const statuses: OAuthStatus[] = []
  const events: { name: string; payload: unknown }[] = []
  const waiters: { flowId: string; resolve: (status: OAuthStatus) => void }[] = []
  base.core.events.subscribe((name, payload) => {
    events.push({ name, payload })
    if (name !== 'oauth.status') return
    const status = payload as OAuthStatus
    statuses.push(status)
    if (['waiting', 'exchanging'].includes(status.state)) return
    for (const waiter of waiters.filter((w) => w.flowId === status.flowId)) waiter.resolve(status)
  })
  return {
    ...base,
    server,
    opened,
    statuses,
    events,
    logs,
    clock,
    finalStatus(flowId) {
      const done = statuses.find(
        (status) => status.flowId === flowId && !['waiting', 'exchanging'].includes(status.state),
      )
      if (done) return Promise.resolve(done)
      return new Promise((resolve) => waiters.push({ flowId, resolve }))
    },
    start(overrides = {}) {
      return base.call<OAuthFlowStarted>('oauth.start', {
        provider: {
          kind: 'issuer',
          issuer: server.issuer,
          clientId: NATIVE_CLIENT_ID,
          scopes: ['openid', 'api'],
        },
        connection: connectionFields,
        ...overrides,
      })
    },
    async close() {
      await base.dispose()
      await server.close()
    },
  }
}

export async function connectionById(h: UnlockedTestCore, id: string): Promise<AppConnection> {
  return h.call<AppConnection>('connections.get', { id })
}

/** Whether anything accepts TCP connections on the port (a freed port refuses). */
export async function portAnswers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/callback`, { signal: AbortSignal.timeout(2000) })
    return true
  } catch {
    return false
  }
}
