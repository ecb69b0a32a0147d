import { describe, expect, it } from 'vitest'
import { OAUTH_PRESETS } from '../../../src/main/oauth/presets'
import { resolveProvider } from '../../../src/main/oauth/provider'
import { authorizationRequest } from '../../../src/main/oauth/pkce'

const unusedFetch = () => Promise.reject(new Error('Presets need no network.'))

describe('provider presets', () => {
  it('cover GitHub, Google, Microsoft, Slack, GitLab and Atlassian with https endpoints and their loopback rule', () => {
    const byId = new Map(OAUTH_PRESETS.map((preset) => [preset.id, preset]))
    for (const id of ['github', 'google', 'microsoft', 'slack', 'gitlab', 'atlassian']) {
      const preset = byId.get(id)!
      expect(preset, id).toBeDefined()
      expect(new URL(preset.authorizationUrl).protocol).toBe('https:')
      expect(new URL(preset.tokenUrl).protocol).toBe('https:')
    }
    // REFERENCE.md §5.1: these match the redirect URI exactly, port included.
    expect(['slack', 'gitlab', 'atlassian'].map((id) => byId.get(id)!.anyLoopbackPort)).toEqual([
      false,
      false,
      false,
    ])
    expect(['google', 'microsoft', 'github'].map((id) => byId.get(id)!.anyLoopbackPort)).toEqual([
      true,
      true,
      true,
    ])
  })

  it('builds an authorization URL with the preset’s scopes and extras, and never lets an extra replace state or PKCE', async () => {
    const provider = await resolveProvider(
      {
        kind: 'preset',
        presetId: 'google',
        clientId: 'desktop-client',
        extraParams: { state: 'attacker', code_challenge_method: 'plain', login_hint: 'person@example.com' },
      },
      unusedFetch,
    )
    const request = await authorizationRequest(provider, 'http://127.0.0.1:5555/callback')
    const url = new URL(request.url)
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth')
    expect(url.searchParams.get('state')).toBe(request.state)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('access_type')).toBe('offline')
    expect(url.searchParams.get('login_hint')).toBe('person@example.com')
    expect(url.searchParams.get('scope')).toBe('openid email profile')
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:5555/callback')
  })

  it('refuses an unknown preset with a validation error', async () => {
    await expect(
      resolveProvider({ kind: 'preset', presetId: 'nope', clientId: 'x' }, unusedFetch),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    })
  })
})
