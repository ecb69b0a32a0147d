import { z } from 'zod'
import { recordWithoutReservedKeys } from './json-value'
import { connectionScopeSchema } from './connections'
import type { AppConnection } from './connections'
import { event, procedure } from './define'

// OAuth2 sign-in through the system browser (RFC 8252 loopback, RFC 7636 PKCE S256) and tokens the
// main process keeps fresh. The UI stays thin: it starts a flow, shows `authorizationUrl` and a
// countdown to `expiresAt`, listens to `oauth.status`, and offers the paste fallback.

/** How long a sign-in waits for the browser before it times out and frees its port. */
export const OAUTH_FLOW_TIMEOUT_MS = 5 * 60 * 1000
export const OAUTH_FLOW_TIMEOUT_MAX_MS = 60 * 60 * 1000

const httpUrl = (what: string) =>
  z
    .string()
    .max(2000, `${what} is too long.`)
    .url(`${what} must be a URL.`)
    .refine(
      (text) => /^https?:\/\//i.test(text),
      `${what} must start with https:// (or http:// for a local server).`,
    )

const scopes = z.array(z.string().min(1).max(500)).max(100)
const extraParams = recordWithoutReservedKeys(
  'Extra parameters',
  z.record(z.string().min(1).max(200), z.string().max(2000)),
)
/** Where the client secret goes: an Authorization: Basic header (RFC 6749 §2.3.1's default) or the form body. */
export const clientAuthSchema = z.enum(['HEADER', 'BODY'])
/**
 * A port the user fixed for a provider that matches redirect URIs exactly (REFERENCE.md §5.1);
 * omitted, the OS picks a free one.
 */
const fixedPort = z.number().int().min(1024).max(65535)

const clientFields = {
  clientId: z.string().min(1, 'A client id is required.').max(1000),
  /** A desktop app's secret is not confidential (RFC 8252 §8.5), but many providers still ask for one. */
  clientSecret: z.string().min(1).max(10_000).optional(),
  /** Omitted: the preset's defaults (a custom provider's and an issuer's default to none). */
  scopes: scopes.optional(),
  extraParams: extraParams.optional(),
  clientAuth: clientAuthSchema.optional(),
  fixedPort: fixedPort.optional(),
}

/** Which authorization server, and this app's registration at it. */
export const oauthProviderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('preset'), presetId: z.string().min(1).max(100), ...clientFields }).strict(),
  z
    .object({
      kind: z.literal('custom'),
      authorizationUrl: httpUrl('The authorization URL'),
      tokenUrl: httpUrl('The token URL'),
      ...clientFields,
    })
    .strict(),
  /** An OpenID Connect issuer: its endpoints are read from /.well-known/openid-configuration. */
  z.object({ kind: z.literal('issuer'), issuer: httpUrl('The issuer'), ...clientFields }).strict(),
])
export type OAuthProvider = z.infer<typeof oauthProviderSchema>

/** The new connection's fields; its value comes from the provider. */
export const oauthConnectionFieldsSchema = z
  .object({
    displayName: z.string().min(1, 'A display name is required.').max(500),
    pieceName: z.string().min(1, 'A piece name is required.').max(500),
    pieceVersion: z.string().min(1).max(100).optional(),
    externalId: z.string().min(1).max(500).optional(),
    scope: connectionScopeSchema.default('PROJECT'),
    projectIds: z.array(z.string().min(1).max(200)).max(1000).default([]),
    /**
     * The remote it syncs with. An Activepieces remote claims the code itself (its secret is then
     * held remotely); any other remote gets the tokens pushed like any change.
     */
    remoteId: z.string().min(1).max(200).nullable().optional(),
  })
  .strict()
export type OAuthConnectionFields = z.input<typeof oauthConnectionFieldsSchema>

const timeoutMs = z.number().int().min(1000).max(OAUTH_FLOW_TIMEOUT_MAX_MS).optional()

export interface OAuthFlowStarted {
  flowId: string
  /** Shown so the person can copy it to another machine. */
  authorizationUrl: string
  /**
   * Whether the host opened it in the system browser (the desktop's shell.openExternal). False in
   * browser mode: the page itself opens it in a new tab, from the click, past the popup blocker.
   */
  opened: boolean
  /** The loopback address actually bound: the redirect_uri sent to the provider. */
  redirectUri: string
  /** When the flow times out (ISO 8601), for the countdown. */
  expiresAt: string
}

export const OAUTH_FLOW_STATES = [
  'waiting',
  'exchanging',
  'connected',
  'failed',
  'cancelled',
  'timedOut',
] as const
export type OAuthFlowState = (typeof OAUTH_FLOW_STATES)[number]

export interface OAuthStatus {
  flowId: string
  state: OAuthFlowState
  /** Set when connected: the connection created (or, for a reconnect, signed in again). */
  connectionId?: string
  /** Set when failed: the provider's error code and description, as plain text (never a token). */
  error?: { code: string; message: string }
}

/** A preset provider, data only: what the picker shows and what a flow needs besides the client. */
export interface OAuthPreset {
  id: string
  name: string
  authorizationUrl: string
  tokenUrl: string
  defaultScopes: string[]
  /** Separator the provider expects between scopes (GitHub and Slack take commas or spaces). */
  scopeSeparator: ' ' | ','
  /**
   * Whether the provider accepts any loopback port at request time (RFC 8252 §7.3). False: register
   * an exact redirect URI with it and set `fixedPort`.
   */
  anyLoopbackPort: boolean
  /** Whether it issues refresh tokens (GitHub OAuth apps issue none: their tokens do not expire). */
  refreshTokens: boolean
  clientAuth: 'HEADER' | 'BODY'
  extraParams: Record<string, string>
  /** Where to register the app, and a line on what to register. */
  docsUrl: string
  note: string
}

/**
 * Why a connection cannot be refreshed, at the start of health.lastRefreshFailureReason and of
 * statusReason (`"<code>: <words>"`): `needs_sign_in` when the token expired with no refresh token,
 * else the provider's error (`invalid_grant`, `invalid_client`, `unauthorized_client`). The UI
 * shows "Reconnect" for any of them.
 */
export const NEEDS_SIGN_IN = 'needs_sign_in'
export function oauthFailureCode(reason: string | null): string | null {
  if (!reason) return null
  const match = /^([a-z_]+):/.exec(reason)
  return match ? match[1]! : null
}

export const oauthProcedures = {
  'oauth.presets': procedure(z.object({}).strict()).returns<OAuthPreset[]>(),
  /**
   * Starts an authorization-code sign-in: binds a loopback port, opens the provider's page in the
   * system browser, and answers at once. The result arrives as `oauth.status` events.
   */
  'oauth.start': procedure(
    z.object({ provider: oauthProviderSchema, connection: oauthConnectionFieldsSchema, timeoutMs }).strict(),
  ).returns<OAuthFlowStarted>(),
  /**
   * The paste fallback (RFC 8252 bug #7: the browser runs where the loopback cannot be reached):
   * the URL the browser was redirected to, or just the code. Answers once the code is exchanged.
   */
  'oauth.complete': procedure(
    z
      .object({
        flowId: z.string().min(1).max(200),
        redirectUrl: z.string().min(1).max(10_000).optional(),
        code: z.string().min(1).max(10_000).optional(),
      })
      .strict()
      .refine((input) => (input.redirectUrl === undefined) !== (input.code === undefined), {
        message: 'Paste either the redirected URL or the code.',
        path: ['redirectUrl'],
      }),
  ).returns<{ connectionId: string }>(),
  'oauth.cancel': procedure(z.object({ flowId: z.string().min(1).max(200) }).strict()).returns<{
    cancelled: boolean
  }>(),
  /**
   * Signs an existing OAuth2 connection in again with the provider, client and scopes it was
   * created with; keeps its id, externalId and flow references.
   */
  'oauth.reconnect': procedure(
    z.object({ id: z.string().min(1).max(200), timeoutMs }).strict(),
  ).returns<OAuthFlowStarted>(),
  /** Refreshes one connection now (single-flight with the scheduler); answers the connection after. */
  'oauth.refresh': procedure(z.object({ id: z.string().min(1).max(200) }).strict()).returns<AppConnection>(),
  /**
   * The client_credentials grant: no browser, no person. The token is fetched now and re-requested
   * before it expires.
   */
  'oauth.clientCredentials': procedure(
    z.object({ provider: oauthProviderSchema, connection: oauthConnectionFieldsSchema }).strict(),
  ).returns<AppConnection>(),
}

export const oauthEvents = {
  'oauth.status': event<OAuthStatus>(),
}
