import type { SyncStore } from './store'

/** What the routes share: the store, the credentials it accepts, and the server's own clock. */
export interface ServerContext {
  store: SyncStore
  now(): number
  apiKey: string
  /** A real key without write permission: answers 403. */
  forbiddenApiKey: string
  projectId: string
  platformId: string
  orgId: string
  owner: { id: string; email: string; firstName: string; lastName: string }
  /** Where an Activepieces upsert claims an OAuth2 code for this piece. */
  tokenUrlFor(pieceName: string): string
  weavzShape: 'document' | 'sdk'
}
