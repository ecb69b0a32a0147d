import { afterEach, expect, it } from 'vitest'
import type { AppConnection, ConnectionValue } from '../../../src/shared/contract'
import { browse } from '../../support/oauth-browser'
import { NATIVE_CLIENT_ID, SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET } from '../../support/oidc-provider'
import { connectionFields, oauthHarness, type OAuthHarness } from './support'

type OAuth2Value = Extract<ConnectionValue, { type: 'OAUTH2' }>

let h: OAuthHarness

afterEach(async () => {
  await h.close()
})

it('puts no token or client secret in a log, an event, an error, a page, the audit log or a list', async () => {
  h = await oauthHarness()
  const secrets = new Set<string>([
    SERVICE_CLIENT_SECRET,
    'marker-refresh-refused-9d41',
    'marker-access-refused-22b7',
  ])
  const seen: string[] = []
  const remember = async (id: string) => {
    const { value } = await h.call<{ value: OAuth2Value }>('connections.reveal', { id })
    secrets.add(value.access_token)
    if (value.refresh_token) secrets.add(value.refresh_token)
  }
  const failure = async (name: string, input: unknown) => {
    const result = await h.core.router.dispatch(name, input, { origin: 'test' })
    expect(result.ok).toBe(false)
    seen.push(JSON.stringify(result))
  }

  // A sign-in, its page, three refreshes (one refused on purpose), and a client-credentials grant.
  const started = await h.start()
  const page = await browse(started.authorizationUrl)
  seen.push(page.body)
  const { connectionId } = (await h.finalStatus(started.flowId)) as { connectionId: string }
  await remember(connectionId)
  await h.call('oauth.refresh', { id: connectionId })
  await remember(connectionId)
  const service = await h.call<AppConnection>('oauth.clientCredentials', {
    provider: {
      kind: 'issuer',
      issuer: h.server.issuer,
      clientId: SERVICE_CLIENT_ID,
      clientSecret: SERVICE_CLIENT_SECRET,
      scopes: ['api'],
    },
    connection: { ...connectionFields, displayName: 'Service' },
  })
  await remember(service.id)
  const { connection: refused } = await h.call<{ connection: AppConnection }>('connections.create', {
    ...connectionFields,
    displayName: 'Refused',
    type: 'OAUTH2',
    value: {
      type: 'OAUTH2',
      access_token: 'marker-access-refused-22b7',
      refresh_token: 'marker-refresh-refused-9d41',
      expires_in: 3600,
      token_url: `${h.server.issuer}/token`,
      client_id: NATIVE_CLIENT_ID,
    },
  })
  await failure('oauth.refresh', { id: refused.id })
  await h.server.stop()
  await failure('oauth.refresh', { id: connectionId })
  await failure('oauth.clientCredentials', {
    provider: {
      kind: 'custom',
      authorizationUrl: `${h.server.issuer}/auth`,
      tokenUrl: `${h.server.issuer}/token`,
      clientId: SERVICE_CLIENT_ID,
      clientSecret: SERVICE_CLIENT_SECRET,
    },
    connection: connectionFields,
  })

  seen.push(JSON.stringify(await h.call('connections.list', { limit: 100 })))
  seen.push(JSON.stringify(await h.call('connections.get', { id: connectionId })))
  seen.push(JSON.stringify(await h.call('connections.get', { id: refused.id })))
  seen.push(JSON.stringify(await h.call('audit.list', { limit: 100 })))
  seen.push(JSON.stringify(h.events))
  seen.push(h.logs.join('\n'))

  expect(secrets.size).toBeGreaterThanOrEqual(7)
  const everything = seen.join('\n')
  for (const secret of secrets)
    expect(everything.includes(secret), `a secret of ${secret.length} chars leaked`).toBe(false)
  // The refused refresh did reach the provider and come back with its reason, without the token.
  expect(everything).toContain('invalid_grant')
})
