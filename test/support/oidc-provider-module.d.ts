// oidc-provider ships no types and @types/oidc-provider is not installed: the few parts the test
// harness uses, declared by hand.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface OidcClient {
    grantTypeAllowed(grant: string): boolean
  }

  interface Model {
    save(): Promise<string>
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    Client: { find(id: string): Promise<unknown> }
    Grant: new (fields: {
      accountId: string
      clientId: string
    }) => Model & { addOIDCScope(scope: string): void }
    RefreshToken: new (fields: Record<string, unknown>) => Model
    callback(): (request: IncomingMessage, response: ServerResponse) => void
    on(event: string, listener: (...args: unknown[]) => void): this
  }

  export type { OidcClient }
}
