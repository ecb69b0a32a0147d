import { randomBytes } from 'node:crypto'
import { json, type Reply } from './http'

interface PendingCode {
  clientId: string
  redirectUrl: string
  codeVerifier: string
  scope: string
}

/**
 * The provider's token endpoint an Activepieces upsert claims a code at: codes are single use and
 * bound to their PKCE verifier, client and redirect, as RFC 7636 §4.6 has the server check.
 */
export function createOAuthStub() {
  const codes = new Map<string, PendingCode>()
  let claims = 0

  return {
    issueCode(pending: {
      clientId: string
      redirectUrl: string
      codeVerifier: string
      scope?: string
    }): string {
      const code = `code-${randomBytes(12).toString('hex')}`
      codes.set(code, { ...pending, scope: pending.scope ?? '' })
      return code
    },
    claims: () => claims,
    handleToken(form: URLSearchParams): Reply {
      claims += 1
      const refuse = (description: string) =>
        json(400, { error: 'invalid_grant', error_description: description })
      if (form.get('grant_type') !== 'authorization_code') {
        return json(400, { error: 'unsupported_grant_type', error_description: 'Only authorization_code.' })
      }
      const code = form.get('code') ?? ''
      const pending = codes.get(code)
      if (!pending) return refuse('The code is unknown or was already used.')
      codes.delete(code)
      if (form.get('client_id') !== pending.clientId) return refuse('The code was issued to another client.')
      if (form.get('redirect_uri') !== pending.redirectUrl) return refuse('The redirect URI does not match.')
      if (form.get('code_verifier') !== pending.codeVerifier)
        return refuse('The PKCE verifier does not match.')
      return json(200, {
        access_token: `at-${randomBytes(16).toString('hex')}`,
        refresh_token: `rt-${randomBytes(16).toString('hex')}`,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: pending.scope,
        id_token_hint: 'kept in data',
      })
    },
  }
}

export type OAuthStub = ReturnType<typeof createOAuthStub>
