import type { RemoteUpsert } from './remote-client'
import { unsupported } from './http-call'

const OAUTH_TYPES = new Set(['OAUTH2', 'PLATFORM_OAUTH2', 'CLOUD_OAUTH2'])

/**
 * The upsert DTO's `value` for one connection (REFERENCE.md §1.4). OAuth2 goes as the authorization
 * code the server claims itself, with the PKCE verifier in `code_challenge` (the field the server's
 * claim reads it from); the real server has no schema for uploading tokens minted elsewhere.
 */
export function activepiecesValue(input: RemoteUpsert): Record<string, unknown> {
  const claim = input.oauthCodeClaim
  const type = claim ? input.type : input.value.type
  if (OAUTH_TYPES.has(type)) {
    if (!claim) {
      throw unsupported(
        'Activepieces takes an OAuth2 connection only as an authorization code it claims itself; sign in again from Latchkey to create it on this remote.',
      )
    }
    const value: Record<string, unknown> = {
      type,
      client_id: claim.clientId,
      code: claim.code,
      code_challenge: claim.codeVerifier,
      scope: claim.scope ?? '',
      redirect_url: claim.redirectUrl,
      grant_type: 'authorization_code',
    }
    if (claim.clientSecret !== undefined) value.client_secret = claim.clientSecret
    const props = 'props' in input.value ? input.value.props : undefined
    if (props !== undefined) value.props = props
    if ('authorization_method' in input.value && input.value.authorization_method !== undefined) {
      value.authorization_method = input.value.authorization_method
    }
    return value
  }
  const value = input.value
  switch (value.type) {
    case 'SECRET_TEXT':
      return { type: value.type, secret_text: value.secret_text }
    case 'BASIC_AUTH':
      return { type: value.type, username: value.username, password: value.password }
    case 'CUSTOM_AUTH':
    case 'OIDC':
      return { type: value.type, props: value.props }
    case 'NO_AUTH':
      return { type: value.type }
    default:
      throw unsupported(`Activepieces cannot take a ${value.type} connection this way.`)
  }
}
