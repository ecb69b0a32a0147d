import * as oauth from 'oauth4webapi'
import type { OAuthFlowStarted, OAuthFlowState, OAuthStatus } from '../../shared/contract/oauth'
import { OAUTH_FLOW_TIMEOUT_MS } from '../../shared/contract/oauth'
import { AppError, notFoundError, validationError } from '../../shared/errors'
import type { EventBus } from '../api/event-bus'
import type { Clock } from '../adapters/clock'
import type { Fetch } from '../adapters/fetch'
import type { OpenExternal } from '../adapters/open-external'
import type { RandomBytes } from '../adapters/random'
import { openLoopback, type CallbackAnswer, type Loopback } from './loopback'
import { authorizationRequest } from './pkce'
import type { ResolvedProvider } from './provider'
import { requestToken, TokenRequestError } from './token-request'
import type * as tokenTypes from 'oauth4webapi'

/** Stores what the provider issued (a new connection, or a reconnected one) and answers its id. */
export type CommitTokens = (response: tokenTypes.TokenEndpointResponse, flow: FlowInfo) => string

export interface FlowInfo {
  provider: ResolvedProvider
  redirectUri: string
  origin: string
}

/**
 * Instead of exchanging the code here, hands it (with the PKCE verifier and the redirect) to
 * someone who claims it themselves, and answers the connection id: an Activepieces remote takes an
 * OAuth2 connection only that way (REFERENCE.md §1.4, §1.12).
 */
export type ClaimCode = (code: string, pkce: { codeVerifier: string }, flow: FlowInfo) => Promise<string>

interface Flow extends FlowInfo {
  id: string
  state: string
  codeVerifier: string
  status: OAuthFlowState
  loopback: Loopback
  timer: unknown
  commit: CommitTokens
  claim: ClaimCode | undefined
}

const FINAL: ReadonlySet<OAuthFlowState> = new Set(['connected', 'failed', 'cancelled', 'timedOut'])

/**
 * Sign-ins in progress. Each has its own loopback listener, state and PKCE verifier; it accepts
 * exactly one valid callback (or one pasted redirect), ignores stray and forged requests, and ends
 * connected, failed, cancelled or timed out, closing its port in every case.
 */
export function createFlows(dependencies: {
  clock: Clock
  random: RandomBytes
  fetch: Fetch
  /** Null: the host has no browser of its own to open (browser mode); the UI opens the page. */
  openExternal: OpenExternal | null
  events: Pick<EventBus, 'emit'>
}) {
  const { clock } = dependencies
  const flows = new Map<string, Flow>()

  function announce(flow: Flow, extra: Omit<OAuthStatus, 'flowId' | 'state'> = {}): void {
    dependencies.events.emit('oauth.status', { flowId: flow.id, state: flow.status, ...extra })
  }

  /** Moves a flow to a final state once: the port closes, the timer stops, the UI hears it. */
  function finish(
    flow: Flow,
    status: OAuthFlowState,
    extra: Omit<OAuthStatus, 'flowId' | 'state'> = {},
  ): void {
    if (FINAL.has(flow.status)) return
    flow.status = status
    clock.clearTimeout(flow.timer)
    flow.loopback.close()
    flows.delete(flow.id)
    announce(flow, extra)
  }

  async function start(
    provider: ResolvedProvider,
    commit: CommitTokens,
    options: { timeoutMs?: number; origin: string; claim?: ClaimCode },
  ): Promise<OAuthFlowStarted> {
    if (!provider.as.authorization_endpoint) {
      throw validationError('This provider has no authorization URL, so there is no page to sign in on.')
    }
    let flow: Flow | undefined
    const loopback = await openLoopback({
      fixedPort: provider.fixedPort,
      // The listener exists before the flow object; a request that early has no flow to match.
      onCallback: (query) => (flow ? onCallback(flow, query) : notOurs()),
    })
    try {
      const request = await authorizationRequest(provider, loopback.redirectUri)
      const timeoutMs = options.timeoutMs ?? OAUTH_FLOW_TIMEOUT_MS
      flow = {
        id: `flow_${dependencies.random(16).toString('base64url')}`,
        provider,
        redirectUri: loopback.redirectUri,
        origin: options.origin,
        state: request.state,
        codeVerifier: request.codeVerifier,
        status: 'waiting',
        loopback,
        timer: null,
        commit,
        claim: options.claim,
      }
      const created = flow
      created.timer = clock.setTimeout(() => finish(created, 'timedOut'), timeoutMs)
      flows.set(created.id, created)
      announce(created)
      // A host without a browser (SSH, a locked-down desktop) still has the URL to copy.
      const opened = dependencies.openExternal !== null
      dependencies.openExternal?.(request.url).catch(() => undefined)
      return {
        flowId: created.id,
        opened,
        authorizationUrl: request.url,
        redirectUri: loopback.redirectUri,
        expiresAt: new Date(clock.now() + timeoutMs).toISOString(),
      }
    } catch (error) {
      loopback.close()
      throw error
    }
  }

  /** One request on the callback path. Only the answer with our state moves the flow (§5.3 #5, #6). */
  function onCallback(flow: Flow, query: URLSearchParams): CallbackAnswer {
    if (query.get('state') !== flow.state) return notOurs()
    if (flow.status !== 'waiting') {
      return {
        status: 409,
        title: 'Already used',
        message: 'This sign-in has already been completed. Return to Latchkey.',
      }
    }
    let params: URLSearchParams
    try {
      params = oauth.validateAuthResponse(flow.provider.as, flow.provider.client, query, flow.state)
    } catch (error) {
      const failure = authorizationFailure(error)
      finish(flow, 'failed', { error: failure })
      return {
        status: 400,
        title: 'Sign-in failed',
        message: `${failure.message} Return to Latchkey to try again.`,
      }
    }
    void exchange(flow, params.get('code') ?? '').catch(() => undefined)
    return {
      status: 200,
      title: 'Signed in',
      message: 'Latchkey has the answer from the provider. You can close this tab and return to Latchkey.',
    }
  }

  /** Trades the code for tokens (PKCE verifier, the same redirect_uri) and stores them. */
  async function exchange(flow: Flow, code: string): Promise<string> {
    flow.status = 'exchanging'
    clock.clearTimeout(flow.timer)
    // After this answer the port has nothing left to receive (RFC 8252 §8.3: close it at once).
    flow.loopback.close()
    announce(flow)
    try {
      const connectionId = flow.claim
        ? await flow.claim(code, { codeVerifier: flow.codeVerifier }, flow)
        : flow.commit(
            await requestToken(
              flow.provider,
              {
                type: 'authorization_code',
                code,
                redirectUri: flow.redirectUri,
                codeVerifier: flow.codeVerifier,
              },
              dependencies.fetch,
            ),
            flow,
          )
      finish(flow, 'connected', { connectionId })
      return connectionId
    } catch (error) {
      const failure =
        error instanceof TokenRequestError
          ? { code: error.code, message: error.reason }
          : error instanceof AppError
            ? { code: error.code, message: error.params.message }
            : { code: 'internal', message: 'The tokens could not be stored.' }
      finish(flow, 'failed', { error: failure })
      throw error instanceof TokenRequestError
        ? new AppError('OAUTH_FAILED', { message: failure.message })
        : error
    }
  }

  function waiting(flowId: string): Flow {
    const flow = flows.get(flowId)
    if (!flow)
      throw notFoundError(
        'oauth_flow',
        flowId,
        'This sign-in is no longer waiting: it finished, was cancelled or timed out.',
      )
    if (flow.status !== 'waiting') throw validationError('This sign-in is already exchanging its code.')
    return flow
  }

  /**
   * The paste fallback: the URL the browser landed on (checked like a callback: our state, or the
   * provider's error) or the bare code. A URL for another sign-in is refused and this one goes on.
   */
  async function complete(
    flowId: string,
    pasted: { redirectUrl?: string; code?: string },
  ): Promise<{ connectionId: string }> {
    const flow = waiting(flowId)
    let code = pasted.code?.trim()
    if (pasted.redirectUrl !== undefined) {
      let url: URL
      try {
        url = new URL(pasted.redirectUrl.trim())
      } catch {
        throw validationError(
          'That is not a URL. Paste the whole address from the browser, or just the code.',
          [{ path: 'redirectUrl', message: 'Not a URL.' }],
        )
      }
      const query = url.searchParams
      if (query.has('state') && query.get('state') !== flow.state) {
        throw validationError('That URL belongs to another sign-in; this one is still waiting.', [
          { path: 'redirectUrl', message: 'Another sign-in’s URL.' },
        ])
      }
      if (query.has('state')) {
        try {
          code =
            oauth
              .validateAuthResponse(flow.provider.as, flow.provider.client, query, flow.state)
              .get('code') ?? ''
        } catch (error) {
          const failure = authorizationFailure(error)
          finish(flow, 'failed', { error: failure })
          throw new AppError('OAUTH_FAILED', { message: failure.message })
        }
      } else code = query.get('code') ?? ''
    }
    if (!code)
      throw validationError('No code found in what was pasted.', [{ path: 'code', message: 'No code.' }])
    return { connectionId: await exchange(flow, code) }
  }

  function cancel(flowId: string): { cancelled: boolean } {
    const flow = flows.get(flowId)
    if (!flow || flow.status !== 'waiting') return { cancelled: false }
    finish(flow, 'cancelled')
    return { cancelled: true }
  }

  function closeAll(): void {
    for (const flow of [...flows.values()]) finish(flow, 'cancelled')
  }

  return { start, complete, cancel, closeAll, active: () => flows.size }
}

function notOurs(): CallbackAnswer {
  return {
    status: 400,
    title: 'Not this sign-in',
    message: 'This link does not belong to the sign-in Latchkey is waiting for, so it was ignored.',
  }
}

/** The provider's error=/error_description (§5.3 #6), or a protocol failure, as plain text. */
function authorizationFailure(error: unknown): { code: string; message: string } {
  if (error instanceof oauth.AuthorizationResponseError) {
    const description = error.error_description ? `: ${error.error_description.slice(0, 500)}` : ''
    return {
      code: error.error.slice(0, 100),
      message: `The provider refused the sign-in (${error.error.slice(0, 100)})${description}.`,
    }
  }
  return {
    code: 'invalid_response',
    message: 'The provider’s answer did not check out (wrong issuer or malformed), so it was not used.',
  }
}
