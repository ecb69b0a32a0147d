import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection, HealthSummary } from '../../../src/shared/contract'
import { healthOf, expiringSoonMsOf } from '../../../src/shared/connection-health'
import { connectionsHarness, type ConnectionsHarness } from '../connections/support'

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

const HOUR_S = 3600
const DAY_S = 24 * HOUR_S
const summary = () => h.call<HealthSummary>('health.summary')

/** An OAuth2 connection whose token expires `expiresIn` seconds from now (negative: already expired). */
function token(name: string, expiresIn: number, refreshToken?: string): Promise<AppConnection> {
  const nowS = Math.floor(h.clock.now() / 1000)
  return h.upsert({
    displayName: name,
    type: 'OAUTH2',
    value: {
      type: 'OAUTH2',
      access_token: 'access-token',
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      token_url: 'https://oauth.example.com/token',
      expires_in: Math.max(0, expiresIn + 10 * DAY_S),
      claimed_at: nowS - 10 * DAY_S,
    },
  })
}

describe('health.summary', () => {
  it('lists errors, missing placeholders with their flows, expired and expiring tokens, refresh failures', async () => {
    await h.upsert({ displayName: 'Fine' })
    const expired = await token('Expired', -HOUR_S)
    const renewable = await token('Renewable', -60, 'refresh-me')
    const soon = await token('Soon', 2 * DAY_S)
    const later = await token('Later', 5 * DAY_S)
    const failing = await token('Failing', 10 * DAY_S)
    const broken = await h.upsert({ displayName: 'Broken' })
    const used = await h.upsert({ displayName: 'Used' })
    await h.call('flows.link', {
      flowId: 'flow_1',
      connectionId: used.id,
      flowName: 'Nightly sync',
      active: true,
    })
    await h.call('connections.delete', { id: used.id, force: true })
    h.session.db
      .prepare(
        `UPDATE connections SET status = 'ERROR', status_reason = 'invalid_grant: revoked' WHERE id = ?`,
      )
      .run(broken.id)
    h.session.db
      .prepare(
        `UPDATE connections SET last_refresh_failure_ms = ?, last_refresh_failure_reason = 'server_error', refresh_attempts = 4 WHERE id = ?`,
      )
      .run(h.clock.now() - 1000, failing.id)

    const result = await summary()
    expect(result.expiringSoonDays).toBe(3)
    expect(result.errors).toEqual([
      expect.objectContaining({ id: broken.id, reason: 'invalid_grant: revoked' }),
    ])
    expect(result.missing).toEqual([
      expect.objectContaining({
        id: used.id,
        flowCount: 1,
        flows: [{ flowId: 'flow_1', flowName: 'Nightly sync', active: true }],
      }),
    ])
    expect(result.expired.map((e) => [e.id, e.canRefresh])).toEqual([
      [expired.id, false],
      [renewable.id, true],
    ])
    expect(result.expiring.map((e) => e.id)).toEqual([soon.id])
    expect(result.refreshFailures).toEqual([
      expect.objectContaining({ id: failing.id, attempts: 4, reason: 'server_error' }),
    ])
    expect(result.counts).toEqual({ errors: 1, missing: 1, expired: 2, expiring: 1, refreshFailures: 1 })
    // broken, missing, two expired, soon, failing: each once.
    expect(result.attention).toBe(6)
    expect(result.sync).toEqual({ available: false, reason: expect.stringMatching(/not set up/) })
    expect(result.timeline).toHaveLength(30)
    expect(result.timeline.reduce((sum, day) => sum + day.count, 0)).toBe(3)
    expect(result.timeline[5]!.count + result.timeline[6]!.count).toBe(1)
    expect(JSON.stringify(result)).not.toContain('access-token')

    // The badge on the list says the same thing, with the same window.
    const listed = await h.call<AppConnection>('connections.get', { id: later.id })
    expect(healthOf(listed, h.clock.now(), expiringSoonMsOf(result.expiringSoonDays)).state).toBe('active')
    const soonListed = await h.call<AppConnection>('connections.get', { id: soon.id })
    expect(healthOf(soonListed, h.clock.now(), expiringSoonMsOf(result.expiringSoonDays)).state).toBe(
      'expiring',
    )
  })

  it('follows the expiry look-ahead setting', async () => {
    const later = await token('Later', 5 * DAY_S)
    expect((await summary()).expiring).toEqual([])
    await h.call('settings.set', { expiringSoonDays: 7 })
    const result = await summary()
    expect(result.expiring.map((e) => e.id)).toEqual([later.id])
    expect(result.attention).toBe(1)
    expect((await h.errorOf('settings.set', { expiringSoonDays: 0 })).params.message).toMatch(/1 to 30/)
  })

  it('counts a token the refresher marked "needs sign-in" as expired, and once in the badge', async () => {
    const gone = await token('Gone', -HOUR_S)
    h.session.db
      .prepare(
        `UPDATE connections SET status = 'ERROR', status_reason = 'needs_sign_in: no refresh token' WHERE id = ?`,
      )
      .run(gone.id)
    const result = await summary()
    expect(result.expired.map((e) => e.id)).toEqual([gone.id])
    expect(result.errors.map((e) => e.id)).toEqual([gone.id])
    expect(result.attention).toBe(1)
  })

  it('puts each expiry on its day of the chart, whatever the time of day', async () => {
    h.clock.jump(7 * HOUR_S * 1000 + 123)
    await token('Two and a bit', 2 * DAY_S + 5 * HOUR_S)
    const days = (await summary()).timeline
    expect(days[2]!.count).toBe(1)
    expect(days.reduce((sum, day) => sum + day.count, 0)).toBe(1)
  })

  it('needs an unlocked vault', async () => {
    await h.call('vault.lock')
    expect((await h.errorOf('health.summary', {})).code).toBe('VAULT_LOCKED')
  })
})
