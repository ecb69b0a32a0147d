import type { OAuthPreset } from '../../shared/contract/oauth'

/**
 * Providers people connect most, as data. Endpoints and port rules are the providers' own
 * documentation and REFERENCE.md §5.1: Google "Desktop app" clients and Microsoft Entra accept any
 * loopback port; GitHub matches the registered callback's host and path and lets the port vary
 * only for loopback; Slack, GitLab and Atlassian compare the whole redirect URI, port included, so
 * they need a registered fixed port.
 */
export const OAUTH_PRESETS: readonly OAuthPreset[] = [
  {
    id: 'github',
    name: 'GitHub',
    authorizationUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    defaultScopes: ['repo', 'read:user'],
    scopeSeparator: ' ',
    anyLoopbackPort: true,
    // OAuth apps' tokens do not expire; GitHub Apps with expiring tokens do issue refresh tokens.
    refreshTokens: false,
    clientAuth: 'BODY',
    extraParams: {},
    docsUrl: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
    note: 'Register http://127.0.0.1/callback as the callback URL; GitHub lets a loopback port vary.',
  },
  {
    id: 'google',
    name: 'Google',
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    defaultScopes: ['openid', 'email', 'profile'],
    scopeSeparator: ' ',
    anyLoopbackPort: true,
    refreshTokens: true,
    clientAuth: 'BODY',
    // Without these Google issues no refresh token, or none on a second consent.
    extraParams: { access_type: 'offline', prompt: 'consent' },
    docsUrl: 'https://developers.google.com/identity/protocols/oauth2/native-app',
    note: 'Create a "Desktop app" client: "Web application" clients refuse ephemeral loopback ports.',
  },
  {
    id: 'microsoft',
    name: 'Microsoft',
    authorizationUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    // No openid: the common endpoint's id_token names the tenant as issuer, which differs per
    // account; Latchkey stores the API token and does not need the id_token.
    defaultScopes: ['offline_access', 'User.Read'],
    scopeSeparator: ' ',
    anyLoopbackPort: true,
    refreshTokens: true,
    clientAuth: 'BODY',
    extraParams: {},
    docsUrl: 'https://learn.microsoft.com/entra/identity-platform/reply-url',
    note: 'Register http://127.0.0.1 as a "Mobile and desktop" redirect URI; Entra ignores its port.',
  },
  {
    id: 'slack',
    name: 'Slack',
    authorizationUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    defaultScopes: ['channels:read', 'chat:write'],
    scopeSeparator: ',',
    anyLoopbackPort: false,
    // Only when token rotation is turned on for the app.
    refreshTokens: true,
    clientAuth: 'BODY',
    extraParams: {},
    docsUrl: 'https://api.slack.com/authentication/oauth-v2',
    note: 'Slack matches the redirect URL exactly: register http://127.0.0.1:PORT/callback and set that port.',
  },
  {
    id: 'gitlab',
    name: 'GitLab',
    authorizationUrl: 'https://gitlab.com/oauth/authorize',
    tokenUrl: 'https://gitlab.com/oauth/token',
    defaultScopes: ['read_user', 'api'],
    scopeSeparator: ' ',
    anyLoopbackPort: false,
    refreshTokens: true,
    clientAuth: 'BODY',
    extraParams: {},
    docsUrl: 'https://docs.gitlab.com/api/oauth2/',
    note: 'GitLab matches the redirect URI exactly: register http://127.0.0.1:PORT/callback and set that port.',
  },
  {
    id: 'atlassian',
    name: 'Atlassian (Jira, Confluence)',
    authorizationUrl: 'https://auth.atlassian.com/authorize',
    tokenUrl: 'https://auth.atlassian.com/oauth/token',
    defaultScopes: ['read:jira-user', 'read:jira-work', 'offline_access'],
    scopeSeparator: ' ',
    anyLoopbackPort: false,
    refreshTokens: true,
    clientAuth: 'BODY',
    extraParams: { audience: 'api.atlassian.com', prompt: 'consent' },
    docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
    note: 'Atlassian matches the callback URL exactly: register http://127.0.0.1:PORT/callback and set that port.',
  },
]

export function presetById(id: string): OAuthPreset | undefined {
  return OAUTH_PRESETS.find((preset) => preset.id === id)
}
