import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection } from '../../../src/shared/contract'
import { createTokenStore, scheduleOf } from '../../../src/main/oauth/token-store'
import { connectionsHarness, SLACK, type ConnectionsHarness } from '../connections/support'

// The refresher takes a written connection's due time from the connections service's event detail
// (the answer of the write) instead of reading the row back. It must be exactly what the read would
// give: the same rows selected, the same expiry, issue time and attempts.

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

const HOUR_MS = 3_600_000

function oauthItem(externalId: string, expiresInS: number | null, overrides: Record<string, unknown> = {}) {
  return {
    remoteId: null,
    displayName: `OAuth ${externalId}`,
    pieceName: SLACK,
    pieceVersion: '0.10.0',
    type: 'OAUTH2',
    externalId,
    projectIds: [],
    scope: 'PROJECT',
    value: {
      type: 'OAUTH2',
      access_token: `at-${externalId}`,
      refresh_token: 'rt',
      token_url: 'https://auth.example.com/token',
      client_id: 'client',
      ...(expiresInS === null ? {} : { expires_in: expiresInS }),
    },
    ...overrides,
  }
}

describe('a schedule row from a write’s answer', () => {
  it('equals what reading the committed row gives, for every kind of row a batch writes', async () => {
    const store = createTokenStore({ session: () => h.session, events: { emit: () => undefined } })
    const expect2 = (connections: readonly AppConnection[]) => {
      for (const connection of connections) {
        expect(scheduleOf(connection), connection.displayName).toEqual(
          store.schedulesOf([connection.id])[0] ?? null,
        )
      }
    }
    const first = await h.call<{ results: { connection: AppConnection }[] }>('connections.upsertBatch', {
      items: [
        oauthItem('a', 3600),
        oauthItem('b', null),
        oauthItem('c', 60),
        { ...oauthItem('d', 3600), type: 'SECRET_TEXT', value: { type: 'SECRET_TEXT', secret_text: 's' } },
      ],
    })
    expect2(first.results.map((entry) => entry.connection))
    expect(first.results.filter((entry) => scheduleOf(entry.connection)).length).toBe(2)

    // A refresh's record, an ERROR, then a batch that writes the same connections again (and one twice).
    const [a, , c] = first.results.map((entry) => entry.connection)
    h.session.db
      .prepare('UPDATE connections SET last_refresh_success_ms = ?, refresh_attempts = 2 WHERE id = ?')
      .run(h.clock.now() + HOUR_MS, a!.id)
    h.session.db.prepare(`UPDATE connections SET status = 'ERROR' WHERE id = ?`).run(c!.id)
    // The person keeps working (keys reach main as vault.touch), so idle lock waits.
    h.clock.advance(5 * 60_000)
    await h.call('vault.touch')
    const second = await h.call<{ results: { connection: AppConnection }[] }>('connections.upsertBatch', {
      items: [oauthItem('a', 7200), oauthItem('c', 7200), oauthItem('a', 10)],
    })
    const last = second.results.map((entry) => entry.connection)
    expect2([last[1]!, last[2]!])

    const rotated = await h.call<AppConnection>('connections.rotate', {
      id: a!.id,
      value: oauthItem('a', 99).value,
    })
    expect2([rotated])
    const renamed = await h.call<AppConnection>('connections.update', { id: a!.id, displayName: 'Renamed' })
    expect2([renamed])
  })
})
