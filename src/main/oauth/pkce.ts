import * as oauth from 'oauth4webapi'
import type { ResolvedProvider } from './provider'

/** Parameters a flow sends that the provider's extra parameters may not replace. */
const RESERVED = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
])

/**
 * The authorization URL with a fresh state (CSRF, RFC 8252 §8.9) and a PKCE S256 challenge, named
 * explicitly because a server's default is `plain` (RFC 7636 §4.3). `redirectUri` is the port
 * actually bound (§5.3 #4); the token request sends the same string.
 */
export async function authorizationRequest(
  provider: ResolvedProvider,
  redirectUri: string,
): Promise<{ url: string; state: string; codeVerifier: string }> {
  const state = oauth.generateRandomState()
  const codeVerifier = oauth.generateRandomCodeVerifier()
  const url = new URL(provider.as.authorization_endpoint!)
  for (const [name, value] of Object.entries(provider.extraParams)) {
    if (!RESERVED.has(name)) url.searchParams.set(name, value)
  }
  url.searchParams.set('client_id', provider.client.client_id)
  url.searchParams.set('redirect_uri', redirectUri)
  url.searchParams.set('response_type', 'code')
  if (provider.scopes.length > 0) url.searchParams.set('scope', provider.scopes.join(provider.scopeSeparator))
  url.searchParams.set('state', state)
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier))
  url.searchParams.set('code_challenge_method', 'S256')
  return { url: url.href, state, codeVerifier }
}
