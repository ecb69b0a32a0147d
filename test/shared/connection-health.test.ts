import { describe, expect, it } from 'vitest'
import { healthOf, type HealthInput } from '../../src/shared/connection-health'
import { createManualClock } from '../support/manual-clock'

// The badge's word for every combination the data allows, with a clock driven by hand: the same
// connection reads Active, then Expiring, then Expired as time passes, never Active once expired.

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const iso = (ms: number) => new Date(ms).toISOString()

function connection(
  overrides: Partial<HealthInput['health']> = {},
  rest: Partial<HealthInput> = {},
): HealthInput {
  return {
    status: 'ACTIVE',
    statusReason: null,
    health: {
      tokenExpiresAt: null,
      lastRefreshSuccessAt: null,
      lastRefreshFailureAt: null,
      lastRefreshFailureReason: null,
      refreshAttempts: 0,
      lastUsedAt: null,
      lastRotatedAt: null,
      ...overrides,
    },
    ...rest,
  }
}

describe('healthOf', () => {
  it('an OAuth2 token reads Active, then Expiring within 24 h, then Expired at its expiry', () => {
    const clock = createManualClock()
    const token = connection({ tokenExpiresAt: iso(clock.now() + 25 * HOUR) })
    expect(healthOf(token, clock.now())).toMatchObject({ state: 'active', label: 'Active', tone: 'ok' })
    clock.jump(HOUR)
    expect(healthOf(token, clock.now())).toMatchObject({ state: 'expiring', label: 'Expiring', tone: 'warn' })
    clock.jump(24 * HOUR - 1)
    expect(healthOf(token, clock.now()).state).toBe('expiring')
    clock.jump(1)
    expect(healthOf(token, clock.now())).toMatchObject({ state: 'expired', label: 'Expired', tone: 'bad' })
    clock.jump(HOUR)
    expect(healthOf(token, clock.now()).state).toBe('expired')
  })

  it('a token that expired an hour ago and cannot be refreshed reads Needs sign-in, never Active', () => {
    const now = Date.UTC(2026, 0, 1)
    const token = connection({ tokenExpiresAt: iso(now - HOUR) }, { canRefresh: false })
    expect(healthOf(token, now)).toMatchObject({
      state: 'needs-sign-in',
      label: 'Needs sign-in',
      tone: 'bad',
    })
    // Unknown whether it can refresh: still expired, never Active.
    expect(healthOf({ ...token, canRefresh: undefined }, now).state).toBe('expired')
    // The refresher's verdict on such a token: ERROR, worded as needing sign-in.
    const refused = connection(
      { tokenExpiresAt: iso(now - HOUR) },
      {
        status: 'ERROR',
        statusReason: 'needs_sign_in: the token expired and the provider issued no refresh token.',
      },
    )
    expect(healthOf(refused, now)).toMatchObject({ state: 'needs-sign-in', label: 'Needs sign-in' })
  })

  it('a refresh that failed after the last success reads Refresh failing, with its reason and attempts', () => {
    const now = Date.UTC(2026, 0, 1)
    const failing = connection({
      tokenExpiresAt: iso(now + 10 * MINUTE),
      lastRefreshSuccessAt: iso(now - 2 * HOUR),
      lastRefreshFailureAt: iso(now - MINUTE),
      lastRefreshFailureReason: 'invalid_grant',
      refreshAttempts: 3,
    })
    expect(healthOf(failing, now)).toEqual({
      state: 'refresh-failing',
      label: 'Refresh failing',
      tone: 'warn',
      detail: 'Refresh failed: invalid_grant (3 attempts).',
    })
    // Once the token has expired too, it is unusable: bad, not warn.
    expect(healthOf(failing, now + HOUR).tone).toBe('bad')
    // A failure before the last success is history, not health.
    const recovered = connection({
      tokenExpiresAt: iso(now + 10 * HOUR * 24),
      lastRefreshFailureAt: iso(now - 2 * HOUR),
      lastRefreshSuccessAt: iso(now - HOUR),
    })
    expect(healthOf(recovered, now).state).toBe('active')
  })

  it('keeps the stored statuses first: MISSING and ERROR whatever the token says', () => {
    const now = Date.UTC(2026, 0, 1)
    expect(healthOf(connection({}, { status: 'MISSING' }), now)).toMatchObject({
      state: 'missing',
      tone: 'muted',
    })
    expect(
      healthOf(
        connection(
          { tokenExpiresAt: iso(now + 30 * 24 * HOUR) },
          { status: 'ERROR', statusReason: 'revoked' },
        ),
        now,
      ),
    ).toEqual({ state: 'error', label: 'Error', tone: 'bad', detail: 'revoked' })
  })

  it('a connection without an expiry (an API key) is Active for ever', () => {
    const clock = createManualClock()
    const key = connection()
    clock.jump(10 * 365 * 24 * HOUR)
    expect(healthOf(key, clock.now()).state).toBe('active')
  })
})
