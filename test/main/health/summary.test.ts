import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection, HealthSummary } from '../../../src/shared/contract'
import { healthOf, expiringSoonMsOf } from '../../../src/shared/connection-health'
import { CHUNKED_TRIES } from '../../../src/main/health/health-scan'
import { createHealth } from '../../../src/main/health/health-summary'
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

// health.summary reads the vault in rowid slices with a turn of the event loop between them, so a
// keystroke typed after an unlock is not held behind the whole scan. What a person sees must not
// change: the same answer as one pass, and never a mix of the vault before and after a write.

/**
 * A vault with a bit of everything the summary lists, spread over many rowids. The clock stays put:
 * past the unlock's settle the refresher would start changing rows under the comparison.
 */
async function seedMixed(count: number): Promise<string[]> {
  const ids: string[] = []
  const nowS = Math.floor(h.clock.now() / 1000)
  for (let i = 0; i < count; i += 1) {
    const kind = i % 6
    if (kind === 0) {
      ids.push((await h.upsert({ displayName: `Plain ${i}` })).id)
      continue
    }
    // Expired hours ago, expiring within days, or later than the chart: each with or without a refresh token.
    const expiresIn = [-(i + 1) * HOUR_S, (i % 5) * DAY_S + 60, 40 * DAY_S, i * HOUR_S, -60][kind - 1]!
    const connection = await h.upsert({
      displayName: `Token ${i}`,
      type: 'OAUTH2',
      value: {
        type: 'OAUTH2',
        access_token: 'access-token',
        ...(i % 2 === 0 ? { refresh_token: `refresh-${i}` } : {}),
        token_url: 'https://oauth.example.com/token',
        expires_in: Math.max(0, expiresIn + 10 * DAY_S),
        claimed_at: nowS - 10 * DAY_S,
      },
    })
    ids.push(connection.id)
  }
  const db = h.session.db
  db.prepare(
    `UPDATE connections SET status = 'ERROR', status_reason = 'invalid_grant: revoked' WHERE id = ?`,
  ).run(ids[1]!)
  db.prepare(`UPDATE connections SET status = 'MISSING' WHERE id = ?`).run(ids[6]!)
  db.prepare(
    `UPDATE connections SET last_refresh_failure_ms = ?, last_refresh_failure_reason = 'server_error', refresh_attempts = 2 WHERE id = ?`,
  ).run(h.clock.now() - 5000, ids[8]!)
  return ids
}

function health(options: { chunkRows?: number; yieldTurn?: () => Promise<void> } = {}) {
  return createHealth({ session: () => h.core.vault.requireSession(), clock: h.clock, ...options })
}

const onePass = () => health({ chunkRows: Infinity }).summary()

describe('health.summary in slices', () => {
  it('answers what one pass answers, whatever the slice size', async () => {
    await seedMixed(40)
    const whole = await onePass()
    expect(whole.counts.expired).toBeGreaterThan(0)
    expect(whole.counts.expiring).toBeGreaterThan(0)
    expect(whole.counts.errors).toBe(1)
    expect(whole.counts.missing).toBe(1)
    expect(whole.counts.refreshFailures).toBe(1)
    let turns = 0
    for (const chunkRows of [1, 3, 7, 64]) {
      const sliced = await health({
        chunkRows,
        yieldTurn: async () => {
          turns += 1
        },
      }).summary()
      expect(sliced).toEqual(whole)
    }
    // It did yield between slices (40 rows in slices of 1, 3 and 7), and once before sync's status.
    expect(turns).toBe(39 + 13 + 5 + 4)
    // And through the router, with the product's slices (and its sync source, absent above).
    const { sync: _sync, ...routed } = await h.call<HealthSummary>('health.summary')
    const { sync: _none, ...expected } = whole
    expect(routed).toEqual(expected)
  })

  it('reflects a write made between two slices, never half of it', async () => {
    const ids = await seedMixed(30)
    let wrote = false
    const sliced = health({
      chunkRows: 4,
      yieldTurn: async () => {
        if (wrote) return
        wrote = true
        // The first slice has been read; this row is in it. Then a new row beyond every slice.
        h.session.db
          .prepare(
            `UPDATE connections SET status = 'ERROR', status_reason = 'revoked meanwhile' WHERE id = ?`,
          )
          .run(ids[0]!)
        await h.upsert({ displayName: 'Added meanwhile' })
        h.session.db
          .prepare(`UPDATE connections SET status = 'MISSING' WHERE display_name = 'Added meanwhile'`)
          .run()
      },
    }).summary()
    const answer = await sliced
    expect(wrote).toBe(true)
    expect(answer.errors.map((e) => e.reason)).toContain('revoked meanwhile')
    expect(answer.missing.map((m) => m.displayName)).toContain('Added meanwhile')
    expect(answer).toEqual(await onePass())
  })

  it('still ends while every turn brings a write: one pass after a few tries', async () => {
    const ids = await seedMixed(24)
    let writes = 0
    const answer = await health({
      chunkRows: 2,
      yieldTurn: async () => {
        // The last turn (before sync's status) comes after the vault has been read.
        if (writes === CHUNKED_TRIES) return
        writes += 1
        h.session.db
          .prepare(`UPDATE connections SET last_refresh_failure_ms = ?, refresh_attempts = 1 WHERE id = ?`)
          .run(h.clock.now() - writes, ids[(writes * 7) % ids.length]!)
      },
    }).summary()
    expect(writes).toBe(CHUNKED_TRIES)
    expect(answer).toEqual(await onePass())
  })

  it('says the vault is locked when it locks between slices', async () => {
    await seedMixed(12)
    const error = await health({
      chunkRows: 2,
      yieldTurn: async () => {
        await h.call('vault.lock')
      },
    })
      .summary()
      .then(
        () => null,
        (thrown: unknown) => thrown,
      )
    expect(error).toMatchObject({ code: 'VAULT_LOCKED' })
  })
})
