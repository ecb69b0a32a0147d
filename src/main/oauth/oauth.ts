import type * as oauth from 'oauth4webapi'
import { createConnectionSchema } from '../../shared/contract/connections'
import type { OAuthConnectionFields, OAuthProvider } from '../../shared/contract/oauth'
import { oauthConnectionFieldsSchema } from '../../shared/contract/oauth'
import { AppError, validationError } from '../../shared/errors'
import type { EventBus } from '../api/event-bus'
import type { Handlers } from '../api/router'
import type { Clock } from '../adapters/clock'
import type { Fetch } from '../adapters/fetch'
import type { OpenExternal } from '../adapters/open-external'
import type { RandomBytes } from '../adapters/random'
import type { ConnectionsService } from '../connections/service'
import type { VaultSession } from '../vault/session'
import { createFlows, type ClaimCode, type FlowInfo } from './flows'
import { OAUTH_PRESETS } from './presets'
import { resolveProvider, type ResolvedProvider } from './provider'
import { createRefresher } from './refresher'
import { createRefreshScheduler } from './scheduler'
import { requestToken } from './token-request'
import { createTokenStore } from './token-store'
import { storedProviderOf, tokenValue } from './token-value'

type OAuthHandlers = Pick<
  Handlers,
  | 'oauth.presets'
  | 'oauth.start'
  | 'oauth.complete'
  | 'oauth.cancel'
  | 'oauth.reconnect'
  | 'oauth.refresh'
  | 'oauth.clientCredentials'
>

export interface OAuthDependencies {
  session: () => VaultSession
  connections: ConnectionsService
  events: EventBus
  clock: Clock
  random: RandomBytes
  fetch: Fetch
  /** Null in browser mode: the page opens the sign-in in a new tab itself (`opened: false`). */
  openExternal: OpenExternal | null
  /** Refreshes at once; the benchmark measures others. */
  concurrency?: number
  /** False: no refresh scheduler (a CLI command); tokens refresh only when a procedure asks. */
  automatic?: boolean
  /**
   * For a sign-in whose connection is bound to a remote that claims codes itself (Activepieces):
   * the claim to use instead of a local exchange; null when the connection's remote takes tokens.
   */
  remoteCodeClaim?: (connection: OAuthConnectionFields, provider: ResolvedProvider) => ClaimCode | null
}

/**
 * OAuth2 for the core: sign-in flows, the client-credentials grant, Reconnect, and the refresh
 * scheduler, which follows the vault (refreshing only while unlocked) and every committed change
 * through the event bus. Writes go through the connections service (new connections) or the token
 * store (new tokens for an existing one), both of which announce after commit.
 */
export function createOAuth(dependencies: OAuthDependencies) {
  const { connections, clock, events } = dependencies
  const store = createTokenStore({ session: dependencies.session, events })
  const refresher = createRefresher({ store, fetch: dependencies.fetch, clock })
  const scheduler = createRefreshScheduler({ store, refresher, clock, concurrency: dependencies.concurrency })
  const unsubscribe = dependencies.automatic === false ? () => {} : events.subscribe(scheduler.onEvent)
  const flows = createFlows({
    clock,
    random: dependencies.random,
    fetch: dependencies.fetch,
    openExternal: dependencies.openExternal,
    events,
  })

  /** A new connection from a token response, through the service: audited, announced after commit. */
  function createConnection(
    fields: OAuthConnectionFields,
    provider: ResolvedProvider,
    response: oauth.TokenEndpointResponse,
    grant: 'authorization_code' | 'client_credentials',
    redirectUri: string | undefined,
    origin: string,
  ) {
    const parsedFields = oauthConnectionFieldsSchema.parse(fields)
    const input = createConnectionSchema.parse({
      ...parsedFields,
      type: 'OAUTH2',
      value: tokenValue(provider, response, grant, clock.now(), redirectUri),
    })
    // An externalId already in the vault is signed in again rather than refused: the person has
    // just consented, and losing that to a CONFLICT would make them do it twice.
    return connections.save(input, parsedFields.externalId ? 'upsert' : 'create', origin).connection
  }

  /** The stored provider and client of an OAuth2 connection, with its secret, for Reconnect. */
  function providerOfConnection(id: string): OAuthProvider {
    const { value } = store.read(id)
    const stored = storedProviderOf(value)
    if (
      stored.kind === 'custom' &&
      stored.authorizationUrl === stored.tokenUrl &&
      value.grant_type !== 'client_credentials'
    ) {
      throw validationError(
        'This connection was entered by hand, so Latchkey does not know where its provider’s sign-in page is. Create it again with “Sign in with the provider”.',
      )
    }
    return {
      ...stored,
      clientId: value.client_id ?? stored.clientId,
      ...(value.client_secret ? { clientSecret: value.client_secret } : {}),
    } as OAuthProvider
  }

  const handlers: OAuthHandlers = {
    'oauth.presets': () => [...OAUTH_PRESETS],
    'oauth.start': async (input, context) => {
      dependencies.session()
      const provider = await resolveProvider(input.provider, dependencies.fetch)
      const commit = (response: oauth.TokenEndpointResponse, flow: FlowInfo) =>
        createConnection(
          input.connection,
          flow.provider,
          response,
          'authorization_code',
          flow.redirectUri,
          flow.origin,
        ).id
      const claim = dependencies.remoteCodeClaim?.(input.connection, provider) ?? undefined
      return flows.start(provider, commit, { timeoutMs: input.timeoutMs, origin: context.origin, claim })
    },
    'oauth.complete': (input) => flows.complete(input.flowId, input),
    'oauth.cancel': (input) => flows.cancel(input.flowId),
    'oauth.reconnect': async (input, context) => {
      const provider = await resolveProvider(providerOfConnection(input.id), dependencies.fetch)
      const before = store.read(input.id)
      if (before.value.grant_type === 'client_credentials') {
        throw validationError(
          'A client-credentials connection has no sign-in: use “Refresh now” to request a new token.',
        )
      }
      // The new tokens replace the value in place: same id, externalId and flow references.
      const commit = (response: oauth.TokenEndpointResponse, flow: FlowInfo) => {
        const current = store.read(input.id)
        store.storeTokens(
          input.id,
          tokenValue(
            flow.provider,
            response,
            'authorization_code',
            clock.now(),
            flow.redirectUri,
            current.value,
          ),
          null,
          {
            action: 'connection.reconnect',
            origin: flow.origin,
            nowMs: clock.now(),
            details: { grant: 'authorization_code' },
          },
        )
        return input.id
      }
      return flows.start(provider, commit, { timeoutMs: input.timeoutMs, origin: context.origin })
    },
    'oauth.refresh': async (input, context) => {
      const outcome = await refresher.refresh(input.id, context.origin, true)
      if (outcome.result === 'failed') {
        const { error } = outcome
        throw new AppError(error.kind === 'refused' ? 'OAUTH_FAILED' : 'REMOTE_UNAVAILABLE', {
          message: error.reason,
        })
      }
      return connections.get(input.id)
    },
    'oauth.clientCredentials': async (input, context) => {
      dependencies.session()
      const provider = await resolveProvider(input.provider, dependencies.fetch)
      let response: oauth.TokenEndpointResponse
      try {
        response = await requestToken(provider, { type: 'client_credentials' }, dependencies.fetch)
      } catch (error) {
        const reason = (error as { reason?: string }).reason ?? 'The provider could not be reached.'
        const transient = (error as { kind?: string }).kind === 'transient'
        throw new AppError(transient ? 'REMOTE_UNAVAILABLE' : 'OAUTH_FAILED', { message: reason })
      }
      return createConnection(
        input.connection,
        provider,
        response,
        'client_credentials',
        undefined,
        context.origin,
      )
    },
  }

  return {
    handlers,
    scheduler,
    refresher,
    close() {
      unsubscribe()
      scheduler.stop()
      flows.closeAll()
    },
  }
}
