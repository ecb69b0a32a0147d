// oidc-provider ships no types and @types/oidc-provider is not installed: the few parts the test
// harness uses, declared by hand.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface OidcClient {
    grantTypeAllowed(grant: string): boolean
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    callback(): (request: IncomingMessage, response: ServerResponse) => void
    on(event: string, listener: (...args: unknown[]) => void): this
  }

  export type { OidcClient }
}
