import { setImmediate as nextTurn } from 'node:timers/promises'
import { NEEDS_SIGN_IN } from '../../shared/contract/oauth'
import { isAppError } from '../../shared/errors'
import type { Clock } from '../adapters/clock'
import type { Fetch } from '../adapters/fetch'
import { providerForRefresh } from './provider'
import { refreshDueMs } from './refresh-policy'
import { requestToken, TokenRequestError } from './token-request'
import type { TokenStore } from './token-store'
import { storedProviderOf, tokenValue, type OAuth2Value } from './token-value'

export type RefreshOutcome =
  | { result: 'refreshed' }
  /** Not due (another refresh or a person made it fresh meanwhile): nothing was sent; look again at `dueMs`. */
  | { result: 'fresh'; dueMs: number | null }
  /** A person rotated or reconnected while the request was out: their value was kept. */
  | { result: 'superseded' }
  | { result: 'failed'; error: TokenRequestError }

export const NEEDS_SIGN_IN_REASON = `${NEEDS_SIGN_IN}: the token expired and the provider issued no refresh token. Reconnect to sign in again.`

/**
 * Refreshes one connection's token. At most one refresh per connection is in flight: a second
 * caller (the scheduler, "Refresh now", 20 at once) gets the first one's promise. The row is read
 * again before sending (another refresh may have just finished) and before writing (a person may
 * have rotated meanwhile).
 */
export function createRefresher(dependencies: { store: TokenStore; fetch: Fetch; clock: Clock }) {
  const { store, clock } = dependencies
  const inFlight = new Map<string, Promise<RefreshOutcome>>()
  /**
   * Tokens issued while the vault locked under a request in flight. The provider may have rotated
   * the refresh token already, so dropping them would kill the connection; they wait in memory for
   * the next unlock (saveUnsaved), which the person would otherwise answer with a Reconnect.
   */
  const unsaved = new Map<string, Parameters<TokenStore['storeTokens']>>()

  function refresh(id: string, origin: string, force = false): Promise<RefreshOutcome> {
    const running = inFlight.get(id)
    if (running) return running
    const started = run(id, origin, force).finally(() => inFlight.delete(id))
    inFlight.set(id, started)
    return started
  }

  async function run(id: string, origin: string, force: boolean): Promise<RefreshOutcome> {
    const stored = store.read(id)
    const value = stored.value
    const nowMs = clock.now()
    if (!force && !isDue(value, nowMs)) return { result: 'fresh', dueMs: dueOf(value) }
    const provider = providerForRefresh(value, storedProviderOf(value))
    const clientCredentials = value.grant_type === 'client_credentials'
    if (!clientCredentials && !value.refresh_token) {
      const error = new TokenRequestError('refused', NEEDS_SIGN_IN, NEEDS_SIGN_IN_REASON)
      // Still valid: nothing to do until it expires, when it is reported as needing sign-in.
      if (!isExpired(value, nowMs) && !force) return { result: 'fresh', dueMs: expiryOf(value) }
      if (isExpired(value, nowMs)) store.recordFailure(id, 'refused', NEEDS_SIGN_IN_REASON, origin, nowMs)
      return { result: 'failed', error }
    }
    try {
      const response = await requestToken(
        provider,
        clientCredentials
          ? { type: 'client_credentials' }
          : { type: 'refresh_token', refreshToken: value.refresh_token! },
        dependencies.fetch,
        [value.access_token],
      )
      const answeredMs = clock.now()
      const next = tokenValue(
        provider,
        response,
        clientCredentials ? 'client_credentials' : 'authorization_code',
        answeredMs,
        undefined,
        value,
      )
      const audit = {
        action: 'connection.refresh' as const,
        origin,
        nowMs: answeredMs,
        details: { grant: clientCredentials ? 'client_credentials' : 'refresh_token' },
      }
      const wrote = await store.queueTokens(id, next, stored.envelope, audit).catch((error: unknown) => {
        if (isAppError(error, 'VAULT_LOCKED')) unsaved.set(id, [id, next, stored.envelope, audit])
        throw error
      })
      return wrote ? { result: 'refreshed' } : { result: 'superseded' }
    } catch (error) {
      if (!(error instanceof TokenRequestError)) throw error
      // Each failure's transaction in its own turn of the event loop: a catch-up's requests fail
      // together (one DNS or network outage), and their writes in one turn held main ~30 ms.
      await nextTurn()
      store.recordFailure(id, error.kind, error.reason, origin, clock.now())
      return { result: 'failed', error }
    }
  }

  /** On unlock, before anything else: writes what a lock interrupted (unless a person changed the value since). */
  function saveUnsaved(): void {
    for (const [id, write] of unsaved) {
      unsaved.delete(id)
      try {
        store.storeTokens(...write)
      } catch {
        // Deleted meanwhile, or locked again at once: nothing left to keep it for.
      }
    }
  }

  return { refresh, saveUnsaved, inFlight: () => inFlight.size }
}

export type Refresher = ReturnType<typeof createRefresher>

function expiryOf(value: OAuth2Value): number | null {
  if (value.expires_in === undefined || value.claimed_at === undefined) return null
  return (value.claimed_at + value.expires_in) * 1000
}

function dueOf(value: OAuth2Value): number | null {
  const expiresMs = expiryOf(value)
  return expiresMs === null ? null : refreshDueMs(expiresMs, value.claimed_at! * 1000)
}

/** A token with no stated lifetime is never due by time (Nango: no expires_at, no refresh). */
function isDue(value: OAuth2Value, nowMs: number): boolean {
  const dueMs = dueOf(value)
  return dueMs !== null && nowMs >= dueMs
}

function isExpired(value: OAuth2Value, nowMs: number): boolean {
  const expiresMs = expiryOf(value)
  return expiresMs !== null && nowMs >= expiresMs
}
