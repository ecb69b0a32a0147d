import * as oauth from 'oauth4webapi'
import type { Fetch } from '../adapters/fetch'
import { anyTokenType, requestOptions } from './http'
import { clientAuthOf, type ResolvedProvider } from './provider'

/**
 * Why a token request failed. `refused`: the provider answered no (invalid_grant, a refused
 * client): asking again will not help, a person must sign in. `transient`: the network, a timeout,
 * a 5xx or 429: try again later. `reason` is `"<code>: <description>"` and never holds a token.
 */
export class TokenRequestError extends Error {
  constructor(
    readonly kind: 'refused' | 'transient',
    readonly code: string,
    readonly reason: string,
  ) {
    super(reason)
    this.name = 'TokenRequestError'
  }
}

export type Grant =
  | { type: 'authorization_code'; code: string; redirectUri: string; codeVerifier: string }
  | { type: 'refresh_token'; refreshToken: string }
  | { type: 'client_credentials' }

/** Sends one grant to the token endpoint with oauth4webapi and answers the validated response. */
export async function requestToken(
  provider: ResolvedProvider,
  grant: Grant,
  fetchAdapter: Fetch,
  secrets: readonly string[] = [],
): Promise<oauth.TokenEndpointResponse> {
  const options = requestOptions(fetchAdapter, provider.as.token_endpoint ?? '')
  const auth = clientAuthOf(provider)
  try {
    const response = await send(provider, grant, auth, options)
    return await oauth.processGenericTokenEndpointResponse(provider.as, provider.client, response, {
      recognizedTokenTypes: anyTokenType,
    })
  } catch (error) {
    throw classify(error, [...secrets, ...grantSecrets(grant), provider.clientSecret ?? ''])
  }
}

function send(
  provider: ResolvedProvider,
  grant: Grant,
  auth: oauth.ClientAuth,
  options: ReturnType<typeof requestOptions>,
): Promise<Response> {
  if (grant.type === 'refresh_token') {
    return oauth.refreshTokenGrantRequest(provider.as, provider.client, auth, grant.refreshToken, options)
  }
  if (grant.type === 'client_credentials') {
    const parameters: Record<string, string> = { ...provider.extraParams }
    if (provider.scopes.length > 0) parameters.scope = provider.scopes.join(provider.scopeSeparator)
    return oauth.clientCredentialsGrantRequest(provider.as, provider.client, auth, parameters, options)
  }
  // Generic rather than authorizationCodeGrantRequest, so a pasted bare code (no state, no iss to
  // validate) goes the same way as a redirect the listener validated.
  return oauth.genericTokenEndpointRequest(
    provider.as,
    provider.client,
    auth,
    'authorization_code',
    { code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.codeVerifier },
    options,
  )
}

function grantSecrets(grant: Grant): string[] {
  if (grant.type === 'refresh_token') return [grant.refreshToken]
  if (grant.type === 'authorization_code') return [grant.code, grant.codeVerifier]
  return []
}

/** Sorts a failure into refused or transient, in words that quote no secret (`secrets` are scrubbed). */
export function classify(error: unknown, secrets: readonly string[]): TokenRequestError {
  if (error instanceof TokenRequestError) return error
  if (error instanceof oauth.ResponseBodyError) {
    // An OAuth error answer: a 4xx (invalid_grant, invalid_client, …) is the provider saying no; a
    // 5xx or 429 carrying one is still the provider being unwell.
    const transient = error.status >= 500 || error.status === 429
    const description = error.error_description ? `: ${scrub(error.error_description, secrets)}` : ''
    const code = scrub(error.error, secrets)
    return new TokenRequestError(
      transient ? 'transient' : 'refused',
      code,
      `${code}${description || `: the provider answered HTTP ${error.status}.`}`,
    )
  }
  const status = statusOf(error)
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new TokenRequestError('refused', 'http_error', `http_error: the provider answered HTTP ${status}.`)
  }
  if (status !== null) {
    return new TokenRequestError(
      'transient',
      'server_error',
      `server_error: the provider answered HTTP ${status}.`,
    )
  }
  const name = (error as { name?: string } | null)?.name
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new TokenRequestError('transient', 'timeout', 'timeout: the provider did not answer in time.')
  }
  if (error instanceof TypeError) {
    return new TokenRequestError('transient', 'network', 'network: the provider could not be reached.')
  }
  // A malformed answer (oauth4webapi refused its shape): not the person's fault, and it may pass.
  return new TokenRequestError(
    'transient',
    'invalid_response',
    'invalid_response: the provider answered something that is not a token response.',
  )
}

function statusOf(error: unknown): number | null {
  const cause = (error as { cause?: unknown } | null)?.cause
  if (cause instanceof Response) return cause.status
  return null
}

function scrub(text: string, secrets: readonly string[]): string {
  let safe = text.slice(0, 500)
  for (const secret of secrets) if (secret.length >= 4) safe = safe.split(secret).join('[redacted]')
  return safe
}
