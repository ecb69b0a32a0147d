import { describe, expect, it } from 'vitest'
import type { OAuthPreset } from '../../src/shared/contract/oauth'
import {
  emptyForm,
  signsIn,
  toSignInFields,
  validateSignInFields,
} from '../../src/renderer/src/features/connections/connection-form'
import { countdownText, statusText } from '../../src/renderer/src/features/oauth/flow-status'
import {
  choose,
  CUSTOM,
  emptyProviderForm,
  toProvider,
} from '../../src/renderer/src/features/oauth/provider-form'
import { mayOpenInTab } from '../../src/renderer/src/features/oauth/tab-url'

const github: OAuthPreset = {
  id: 'github',
  name: 'GitHub',
  authorizationUrl: 'https://github.com/login/oauth/authorize',
  tokenUrl: 'https://github.com/login/oauth/access_token',
  defaultScopes: ['repo', 'read:user'],
  scopeSeparator: ' ',
  anyLoopbackPort: true,
  refreshTokens: false,
  clientAuth: 'BODY',
  extraParams: {},
  docsUrl: 'https://docs.github.com/apps/oauth-apps',
  note: 'An OAuth app.',
}

describe('the provider picker’s form', () => {
  it('asks for a provider before anything else', () => {
    expect(toProvider(emptyProviderForm()).errors).toEqual({ 'provider.choice': 'Choose a provider.' })
  })

  it('fills a preset’s default scopes and sends them, with no empty optional fields', () => {
    const form = { ...choose(emptyProviderForm(), 'github', [github]), clientId: ' Iv1.abc ' }
    expect(form.scopes).toBe('repo read:user')
    expect(toProvider(form).provider).toEqual({
      kind: 'preset',
      presetId: 'github',
      clientId: 'Iv1.abc',
      scopes: ['repo', 'read:user'],
    })
  })

  it('sends an OIDC issuer with its secret exactly as typed, comma-separated scopes and extra parameters', () => {
    const form = {
      ...choose(emptyProviderForm(), CUSTOM, [github]),
      issuer: 'https://id.example.com',
      clientId: 'app',
      clientSecret: ' s3cret ',
      scopes: 'openid, api',
      extraParams: [{ key: 'prompt', value: 'consent' }],
      clientAuth: 'BODY' as const,
      fixedPort: '53682',
    }
    expect(toProvider(form).provider).toEqual({
      kind: 'issuer',
      issuer: 'https://id.example.com',
      clientId: 'app',
      clientSecret: ' s3cret ',
      scopes: ['openid', 'api'],
      extraParams: { prompt: 'consent' },
      clientAuth: 'BODY',
      fixedPort: 53682,
    })
  })

  it('names the fields main would refuse: endpoints that are not URLs, a missing client id, a bad port', () => {
    const form = {
      ...emptyProviderForm(),
      choice: CUSTOM,
      customKind: 'endpoints' as const,
      authorizationUrl: 'not a url',
      tokenUrl: 'ftp://example.com/token',
      fixedPort: '80',
    }
    const { errors } = toProvider(form)
    expect(Object.keys(errors ?? {}).sort()).toEqual([
      'provider.authorizationUrl',
      'provider.clientId',
      'provider.fixedPort',
      'provider.tokenUrl',
    ])
    expect(errors?.['provider.fixedPort']).toBe('A port from 1024 to 65535, or empty for any free port.')
  })
})

describe('the waiting state’s words', () => {
  it('gives the provider’s reason for a failure, and counts down in minutes and seconds', () => {
    expect(
      statusText({
        flowId: 'f',
        state: 'failed',
        error: { code: 'access_denied', message: 'The person said no.' },
      }),
    ).toBe('The sign-in failed: The person said no. (access_denied)')
    expect(countdownText('2026-01-01T00:05:00.000Z', Date.parse('2026-01-01T00:00:01.000Z'))).toBe('4:59')
    expect(countdownText('2026-01-01T00:05:00.000Z', Date.parse('2026-01-01T00:06:00.000Z'))).toBe('0:00')
  })
})

describe('what a browser-mode page may open in a tab', () => {
  it('opens https anywhere and http only on this machine, never another scheme or credentials', () => {
    expect(mayOpenInTab('https://github.com/login/oauth/authorize?x=1')).toBe(true)
    expect(mayOpenInTab('http://127.0.0.1:4000/auth')).toBe(true)
    expect(mayOpenInTab('http://idp.example.com/auth')).toBe(false)
    expect(mayOpenInTab('javascript:alert(1)')).toBe(false)
    expect(mayOpenInTab('https://user:pass@idp.example.com/')).toBe(false)
  })
})

describe('a new OAuth2 connection signed in with the provider', () => {
  it('sends the connection’s fields without a value, and checks them as oauth.start would', () => {
    const form = {
      ...emptyForm(),
      type: 'OAUTH2' as const,
      displayName: ' Slack ',
      pieceName: '@activepieces/piece-slack',
      projectIds: 'p1',
      metadata: [{ key: 'team', value: 'ops' }],
    }
    expect(signsIn(form, 'sign-in')).toBe(true)
    expect(signsIn(form, 'paste')).toBe(false)
    expect(toSignInFields(form)).toEqual({
      displayName: 'Slack',
      pieceName: '@activepieces/piece-slack',
      scope: 'PROJECT',
      projectIds: ['p1'],
    })
    expect(validateSignInFields({ ...form, displayName: '' })).toEqual({
      displayName: 'A display name is required.',
    })
  })
})
