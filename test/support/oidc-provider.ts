import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type OidcClient } from 'oidc-provider'

/** The native (public, PKCE) client the sign-in tests register, as a desktop app would. */
export const NATIVE_CLIENT_ID = 'latchkey-desktop'
/** A confidential client for the client-credentials grant; the secret doubles as a marker value. */
export const SERVICE_CLIENT_ID = 'latchkey-service'
export const SERVICE_CLIENT_SECRET = 'marker-client-secret-7f3a9c'

export interface AuthorizationServer {
  issuer: string
  /** Requests that reached POST /token, counted at the provider (single-flight is proven here). */
  tokenRequests(): number
  /**
   * Refresh tokens for the native client as a finished sign-in would leave them (scope `api`),
   * made through the provider's own models: the benchmark needs thousands without a browser.
   */
  mintRefreshTokens(count: number): Promise<string[]>
  /** Stops answering (every socket closed): the network is down. */
  stop(): Promise<void>
  /** Listens again on the same port. */
  resume(): Promise<void>
  close(): Promise<void>
}

/**
 * A certified OpenID provider (panva's oidc-provider), in-process on 127.0.0.1, with its
 * development login and consent pages: the tests sign in through it as a browser would, and its
 * token endpoint enforces PKCE, refresh-token rotation and invalid_grant by itself.
 */
export async function startAuthorizationServer(
  options: { rotateRefreshToken?: boolean; accessTokenTtl?: number; clientCredentialsTtl?: number } = {},
): Promise<AuthorizationServer> {
  let handler: (request: IncomingMessage, response: ServerResponse) => void = () => {}
  let tokenRequests = 0
  const server: Server = createServer((request, response) => {
    if (request.method === 'POST' && request.url?.startsWith('/token')) tokenRequests += 1
    handler(request, response)
  })
  await listen(server, 0)
  const port = (server.address() as AddressInfo).port
  const issuer = `http://127.0.0.1:${port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: NATIVE_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // RFC 8252 §7.3: oidc-provider lets the port of a native client's loopback redirect vary.
        redirect_uris: ['http://127.0.0.1/callback', 'http://[::1]/callback'],
      },
      {
        client_id: SERVICE_CLIENT_ID,
        client_secret: SERVICE_CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'api',
      },
    ],
    adapter: adapterFor(new Map()),
    scopes: ['openid', 'offline_access', 'api'],
    cookies: { keys: ['test-only-cookie-key'] },
    features: { devInteractions: { enabled: true }, clientCredentials: { enabled: true } },
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx: unknown, client: OidcClient) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => options.rotateRefreshToken ?? true,
    ttl: {
      AccessToken: options.accessTokenTtl ?? 3600,
      ClientCredentials: options.clientCredentialsTtl ?? 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
  })
  handler = provider.callback()
  return {
    issuer,
    tokenRequests: () => tokenRequests,
    async mintRefreshTokens(count) {
      const client = await provider.Client.find(NATIVE_CLIENT_ID)
      const grant = new provider.Grant({ accountId: 'bench-account', clientId: NATIVE_CLIENT_ID })
      grant.addOIDCScope('api')
      const grantId = await grant.save()
      const tokens: string[] = []
      for (let i = 0; i < count; i += 1) {
        const token = new provider.RefreshToken({
          accountId: 'bench-account',
          client,
          grantId,
          scope: 'api',
          gty: 'authorization_code',
        })
        tokens.push(await token.save())
      }
      return tokens
    },
    async stop() {
      await close(server)
    },
    async resume() {
      await listen(server, port)
    },
    async close() {
      if (server.listening) await close(server)
    },
  }
}

type Payload = Record<string, unknown> & {
  grantId?: string
  uid?: string
  userCode?: string
  consumed?: number
}

/**
 * oidc-provider's storage, in a Map per model and without eviction: its built-in development
 * adapter is an LRU of 1,000 entries, which the benchmark's thousands of tokens would overflow.
 */
class MapAdapter {
  private readonly store: Map<string, Payload>

  constructor(stores: Map<string, Map<string, Payload>>, name: string) {
    const existing = stores.get(name)
    this.store = existing ?? new Map()
    if (!existing) stores.set(name, this.store)
  }

  async upsert(id: string, payload: Payload): Promise<void> {
    this.store.set(id, payload)
  }

  async find(id: string): Promise<Payload | undefined> {
    return this.store.get(id)
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    return [...this.store.values()].find((payload) => payload.uid === uid)
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    return [...this.store.values()].find((payload) => payload.userCode === userCode)
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(id)
    if (payload) payload.consumed = Math.floor(Date.now() / 1000)
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(id)
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, payload] of this.store) if (payload.grantId === grantId) this.store.delete(id)
  }
}

/** One provider's adapter class: oidc-provider constructs it once per model name. */
function adapterFor(stores: Map<string, Map<string, Payload>>) {
  return class extends MapAdapter {
    constructor(name: string) {
      super(stores, name)
    }
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
