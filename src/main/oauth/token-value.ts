import type * as oauth from 'oauth4webapi'
import type { ConnectionValue } from '../../shared/contract'
import type { ResolvedProvider, StoredProvider } from './provider'

export type OAuth2Value = Extract<ConnectionValue, { type: 'OAUTH2' }>

/** Where in the sealed value the provider reference lives (data is the value's free-form part). */
const PROVIDER_KEY = 'latchkey_provider'

/**
 * The seed's OAUTH2 value from a token response: claimed_at in seconds, the client and endpoints a
 * refresh needs, and the provider (without its secret, which is client_secret) for Reconnect.
 * `previous` supplies what a refresh response may leave out: the refresh token (kept when none is
 * issued) and the scope.
 */
export function tokenValue(
  provider: ResolvedProvider,
  response: oauth.TokenEndpointResponse,
  grantType: 'authorization_code' | 'client_credentials',
  nowMs: number,
  redirectUri: string | undefined,
  previous?: OAuth2Value,
): OAuth2Value {
  const refreshToken = response.refresh_token ?? previous?.refresh_token
  const scope = response.scope ?? previous?.scope ?? provider.scopes.join(provider.scopeSeparator)
  return {
    type: 'OAUTH2',
    access_token: response.access_token,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    token_type: response.token_type,
    ...(typeof response.expires_in === 'number' ? { expires_in: response.expires_in } : {}),
    claimed_at: Math.floor(nowMs / 1000),
    ...(scope ? { scope } : {}),
    token_url: provider.as.token_endpoint!,
    ...(redirectUri
      ? { redirect_url: redirectUri }
      : previous?.redirect_url
        ? { redirect_url: previous.redirect_url }
        : {}),
    client_id: provider.client.client_id,
    ...(provider.clientSecret ? { client_secret: provider.clientSecret } : {}),
    authorization_method: provider.clientAuth,
    grant_type: grantType,
    data: {
      ...(previous?.data ?? {}),
      [PROVIDER_KEY]: provider.reference as unknown as Record<string, unknown>,
    },
  }
}

/** The provider a connection was created with; for values pasted by hand, one built from their fields. */
export function storedProviderOf(value: OAuth2Value): StoredProvider {
  const stored = value.data?.[PROVIDER_KEY] as StoredProvider | undefined
  if (stored && typeof stored === 'object' && 'kind' in stored) return stored
  return {
    kind: 'custom',
    // A pasted value has no authorization URL: a refresh needs only the token URL.
    authorizationUrl: value.token_url,
    tokenUrl: value.token_url,
    clientId: value.client_id ?? '',
    scopes: value.scope ? value.scope.split(/[ ,]+/).filter(Boolean) : [],
    clientAuth: value.authorization_method ?? 'BODY',
  }
}
