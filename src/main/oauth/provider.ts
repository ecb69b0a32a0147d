import * as oauth from 'oauth4webapi'
import type { OAuthProvider } from '../../shared/contract/oauth'
import { AppError, validationError } from '../../shared/errors'
import type { Fetch } from '../adapters/fetch'
import { requestOptions } from './http'
import { presetById } from './presets'

/** A provider with its endpoints known: what a flow, a refresh and a client-credentials grant need. */
export interface ResolvedProvider {
  /** What was asked for, without the secret: stored with the connection so Reconnect can reuse it. */
  reference: StoredProvider
  as: oauth.AuthorizationServer
  client: oauth.Client
  clientSecret: string | undefined
  clientAuth: 'HEADER' | 'BODY'
  scopes: string[]
  scopeSeparator: ' ' | ','
  extraParams: Record<string, string>
  fixedPort: number | undefined
}

/** The provider as a connection's value keeps it (`data.latchkey_provider`); the secret is `client_secret`. */
export type StoredProvider = OAuthProvider extends infer P
  ? P extends unknown
    ? Omit<P, 'clientSecret'>
    : never
  : never

/** The client authentication oauth4webapi sends: the secret in a Basic header or the body, or none (a public client). */
export function clientAuthOf(
  provider: Pick<ResolvedProvider, 'clientSecret' | 'clientAuth'>,
): oauth.ClientAuth {
  if (!provider.clientSecret) return oauth.None()
  return provider.clientAuth === 'HEADER'
    ? oauth.ClientSecretBasic(provider.clientSecret)
    : oauth.ClientSecretPost(provider.clientSecret)
}

/** Presets and custom providers are known as given; an issuer is discovered (RFC 8414 / OIDC Discovery). */
export async function resolveProvider(
  provider: OAuthProvider,
  fetchAdapter: Fetch,
): Promise<ResolvedProvider> {
  const { clientSecret, ...reference } = provider
  const common = {
    reference,
    client: { client_id: provider.clientId },
    clientSecret,
    extraParams: provider.extraParams ?? {},
    fixedPort: provider.fixedPort,
  }
  if (provider.kind === 'preset') {
    const preset = presetById(provider.presetId)
    if (!preset)
      throw validationError(`There is no provider preset "${provider.presetId}".`, [
        { path: 'provider.presetId', message: 'Unknown preset.' },
      ])
    return {
      ...common,
      // The issuer oauth4webapi checks an id_token's `iss` against, when the provider sends one.
      as: {
        issuer: new URL(preset.authorizationUrl).origin,
        authorization_endpoint: preset.authorizationUrl,
        token_endpoint: preset.tokenUrl,
      },
      clientAuth: provider.clientAuth ?? preset.clientAuth,
      scopes: provider.scopes ?? preset.defaultScopes,
      scopeSeparator: preset.scopeSeparator,
      extraParams: { ...preset.extraParams, ...(provider.extraParams ?? {}) },
    }
  }
  if (provider.kind === 'custom') {
    return {
      ...common,
      as: {
        issuer: new URL(provider.authorizationUrl).origin,
        authorization_endpoint: provider.authorizationUrl,
        token_endpoint: provider.tokenUrl,
      },
      clientAuth: provider.clientAuth ?? 'HEADER',
      scopes: provider.scopes ?? [],
      scopeSeparator: ' ',
    }
  }
  return {
    ...common,
    as: await discover(provider.issuer, fetchAdapter),
    clientAuth: provider.clientAuth ?? 'HEADER',
    scopes: provider.scopes ?? ['openid'],
    scopeSeparator: ' ',
  }
}

async function discover(issuer: string, fetchAdapter: Fetch): Promise<oauth.AuthorizationServer> {
  const issuerUrl = new URL(issuer)
  try {
    const response = await oauth.discoveryRequest(issuerUrl, {
      ...requestOptions(fetchAdapter, issuer),
      algorithm: 'oidc',
    })
    const as = await oauth.processDiscoveryResponse(issuerUrl, response)
    if (!as.authorization_endpoint || !as.token_endpoint) {
      throw new AppError('VALIDATION', {
        message: `The issuer ${issuerUrl.origin} publishes no authorization or token endpoint.`,
      })
    }
    return as
  } catch (error) {
    if (error instanceof AppError) throw error
    // The library's message may quote the response; the person gets the issuer and what to check.
    throw new AppError('VALIDATION', {
      message: `Could not read ${issuerUrl.href.replace(/\/$/, '')}/.well-known/openid-configuration: check the issuer URL and that it is reachable.`,
      issues: [{ path: 'provider.issuer', message: 'Discovery failed.' }],
    })
  }
}

/**
 * The provider a stored value refreshes against, with no network: the value's own token URL,
 * client and client authentication win over the reference (they are what the token was issued to).
 */
export function providerForRefresh(
  value: {
    token_url: string
    client_id?: string
    client_secret?: string
    authorization_method?: 'HEADER' | 'BODY'
    scope?: string
  },
  reference: StoredProvider,
): ResolvedProvider {
  const issuer =
    reference.kind === 'issuer' ? reference.issuer.replace(/\/$/, '') : new URL(value.token_url).origin
  return {
    reference,
    as: { issuer, token_endpoint: value.token_url },
    client: { client_id: value.client_id ?? reference.clientId },
    clientSecret: value.client_secret,
    clientAuth: value.authorization_method ?? reference.clientAuth ?? 'BODY',
    scopes: reference.scopes ?? (value.scope ? value.scope.split(/[ ,]+/).filter(Boolean) : []),
    scopeSeparator:
      reference.kind === 'preset' ? (presetById(reference.presetId)?.scopeSeparator ?? ' ') : ' ',
    extraParams: reference.extraParams ?? {},
    fixedPort: reference.fixedPort,
  }
}
