import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection, ConnectionFacets, Page } from '../../../src/shared/contract'
import { createListIndexes } from '../../../src/main/connections/list-index-source'
import { connectionsHarness, insertRemote, SLACK, type ConnectionsHarness } from './support'

// The filters and sorts a person needs to find what is broken (issue 12): expired and expiring
// tokens against main's clock, the status sort (problems first), every sort both ways, and the
// facets the filter bar's pickers list. Both answerers are checked: the list in memory, and SQL
// inside a transaction.

const GMAIL = '@activepieces/piece-gmail'
const HOUR_S = 3600
const DAY_MS = 24 * 3600 * 1000

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

const ids = (connections: readonly AppConnection[]) => connections.map((c) => c.id)

/** An OAuth2 connection whose token was issued now and lives `expiresIn` seconds. */
function token(name: string, expiresIn: number): Promise<AppConnection> {
  return h.upsert({
    displayName: name,
    type: 'OAUTH2',
    value: {
      type: 'OAUTH2',
      access_token: 'access-token',
      token_url: 'https://oauth.example.com/token',
      expires_in: expiresIn,
      claimed_at: Math.floor(h.clock.now() / 1000),
    },
  })
}

/** The same query from the list in memory and from SQL (inside a transaction): both must agree. */
async function both(query: Record<string, unknown>): Promise<string[]> {
  const fromIndex = await h.call<Page<AppConnection>>('connections.list', { limit: 100, ...query })
  h.session.db.exec('BEGIN')
  try {
    const fromSql = await h.call<Page<AppConnection>>('connections.list', { limit: 100, ...query })
    expect(ids(fromSql.data)).toEqual(ids(fromIndex.data))
  } finally {
    h.session.db.exec('ROLLBACK')
  }
  return ids(fromIndex.data)
}

describe('the expiry filter', () => {
  it("expired is at or before now, expiring within the settings' days (3 by default), judged again on every call", async () => {
    const fresh = await token('fresh', 5 * 24 * HOUR_S)
    const soon = await token('soon', 2 * HOUR_S)
    const day = await token('a day', 24 * HOUR_S)
    const edge = await token('edge of three days', 3 * 24 * HOUR_S)
    const gone = await token('gone', 60)
    const never = await h.upsert({ displayName: 'api key' })
    h.clock.jump(60_000)
    expect(await both({ expiry: ['expired'], sort: 'displayName' })).toEqual([gone.id])
    expect(await both({ expiry: ['expiring'], sort: 'displayName' })).toEqual([day.id, edge.id, soon.id])
    expect(await both({ expiry: ['expiring', 'expired'], sort: 'expiry' })).toEqual([
      gone.id,
      soon.id,
      day.id,
      edge.id,
    ])
    // Three hours on, "soon" has expired too; two days on, "fresh" is due within three days.
    // Nothing without an expiry ever matches.
    h.clock.jump(3 * 3600_000)
    expect(await both({ expiry: ['expired'], sort: 'expiry' })).toEqual([gone.id, soon.id])
    expect(await both({ expiry: ['expiring'], sort: 'expiry' })).toEqual([day.id, edge.id])
    h.clock.jump(2 * DAY_MS)
    expect(await both({ expiry: ['expiring'], sort: 'expiry' })).toEqual([edge.id, fresh.id])
    expect(await both({ expiry: ['expired', 'expiring'] })).not.toContain(never.id)
  })

  it('follows the expiringSoonDays setting, as the badges and the Health view do', async () => {
    const hours = await token('hours', 5 * HOUR_S)
    const twoDays = await token('two days', 2 * 24 * HOUR_S)
    const sixDays = await token('six days', 6 * 24 * HOUR_S)
    expect(await both({ expiry: ['expiring'], sort: 'expiry' })).toEqual([hours.id, twoDays.id])
    await h.call('settings.set', { expiringSoonDays: 1 })
    expect(await both({ expiry: ['expiring'], sort: 'expiry' })).toEqual([hours.id])
    await h.call('settings.set', { expiringSoonDays: 7 })
    expect(await both({ expiry: ['expiring'], sort: 'expiry' })).toEqual([hours.id, twoDays.id, sixDays.id])
    const slice = await h.call<{ total: number }>('connections.slice', {
      expiry: ['expiring'],
      offset: 0,
      limit: 10,
    })
    expect(slice.total).toBe(3)
    // Expired alone never looks ahead: the setting does not widen it.
    expect(await both({ expiry: ['expired'] })).toEqual([])
  })

  it('a cursor is bound to the filter, not to the instant: the next page judges again and never repeats', async () => {
    for (let i = 0; i < 6; i += 1) await token(`t${i}`, 60 * (i + 1))
    const first = await h.call<Page<AppConnection>>('connections.list', {
      expiry: ['expiring'],
      sort: 'expiry',
      limit: 3,
    })
    expect(first.data).toHaveLength(3)
    h.clock.jump(60_000 * 4 + 1)
    const second = await h.call<Page<AppConnection>>('connections.list', {
      expiry: ['expiring'],
      sort: 'expiry',
      limit: 3,
      cursor: first.next,
    })
    // t3 has expired meanwhile and leaves; t4 and t5 follow; nothing of page one comes back.
    expect(second.data.map((c) => c.displayName)).toEqual(['t4', 't5'])
    expect(
      await h.errorOf('connections.list', { expiry: ['expired'], sort: 'expiry', cursor: first.next }),
    ).toMatchObject({ code: 'VALIDATION' })
  })

  it('refuses an unknown state', async () => {
    expect(await h.errorOf('connections.list', { expiry: ['stale'] })).toMatchObject({ code: 'VALIDATION' })
    expect(await h.errorOf('connections.list', { expiry: [] })).toMatchObject({ code: 'VALIDATION' })
  })
})

describe('sorts', () => {
  it('status puts problems first: ERROR, MISSING, then ACTIVE by expiry (expired, expiring, fresh, none)', async () => {
    const none = await h.upsert({ displayName: 'none' })
    const fresh = await token('fresh', 30 * 24 * HOUR_S)
    const soon = await token('soon', HOUR_S)
    const expired = await token('expired', 1)
    const broken = await token('broken', 30 * 24 * HOUR_S)
    const missing = await h.upsert({ displayName: 'missing' })
    h.session.db
      .prepare(`UPDATE connections SET status = 'ERROR', status_reason = 'invalid_grant' WHERE id = ?`)
      .run(broken.id)
    await h.call('flows.link', { flowId: 'flow_1', connectionId: missing.id })
    await h.call('connections.delete', { id: missing.id, force: true })
    h.clock.jump(10_000)
    const order = [broken.id, missing.id, expired.id, soon.id, fresh.id, none.id]
    expect(await both({ sort: 'status' })).toEqual(order)
    expect(await both({ sort: 'status', order: 'asc' })).toEqual(order)
    expect(await both({ sort: 'status', order: 'desc' })).toEqual([...order].reverse())
  })

  it('every sort runs both ways, each the exact reverse of the other, and pages both ways', async () => {
    for (let i = 0; i < 7; i += 1) {
      h.clock.jump(i % 2 === 0 ? 0 : 1000)
      await token(`${String.fromCharCode(103 - i)} name`, (i % 3) * HOUR_S + 60)
      if (i % 2 === 0) await h.upsert({ displayName: `key ${i}`, pieceName: GMAIL })
    }
    for (const sort of ['updated', 'created', 'displayName', 'expiry', 'status', 'pieceName']) {
      const asc = await both({ sort, order: 'asc' })
      const desc = await both({ sort, order: 'desc' })
      expect(desc).toEqual([...asc].reverse())
      // One at a time forward, then back: the same rows, once each.
      const walked: string[] = []
      let page = await h.call<Page<AppConnection>>('connections.list', { sort, order: 'desc', limit: 2 })
      walked.push(...ids(page.data))
      while (page.next) {
        page = await h.call<Page<AppConnection>>('connections.list', {
          sort,
          order: 'desc',
          limit: 2,
          cursor: page.next,
        })
        walked.push(...ids(page.data))
      }
      expect(walked).toEqual(desc)
      const other = await h.errorOf('connections.list', {
        sort,
        order: 'asc',
        limit: 2,
        cursor: page.previous,
      })
      expect(other).toMatchObject({ code: 'VALIDATION' })
    }
  })

  it('pieceName sorts by package name; the slice agrees with the list', async () => {
    const slack = await h.upsert({ displayName: 'a', pieceName: SLACK })
    const gmail = await h.upsert({ displayName: 'b', pieceName: GMAIL })
    const asana = await h.upsert({ displayName: 'c', pieceName: '@activepieces/piece-asana' })
    expect(await both({ sort: 'pieceName' })).toEqual([asana.id, gmail.id, slack.id])
    const slice = await h.call<{ data: AppConnection[] }>('connections.slice', {
      sort: 'pieceName',
      order: 'desc',
      offset: 0,
    })
    expect(ids(slice.data)).toEqual([slack.id, gmail.id, asana.id])
  })
})

describe('connections.facets', () => {
  it('counts pieces, projects and remotes, most used first, and the list in memory agrees with SQL', async () => {
    insertRemote(h.session, 'remote_a')
    await h.upsert({ pieceName: SLACK, projectIds: ['p1'] })
    await h.upsert({ pieceName: SLACK, projectIds: ['p1'], remoteId: 'remote_a' })
    await h.upsert({ pieceName: SLACK, scope: 'PLATFORM', projectIds: ['p1', 'p2'] })
    await h.upsert({ pieceName: GMAIL })
    const expected: ConnectionFacets = {
      partial: false,
      total: 4,
      pieces: [
        { pieceName: SLACK, count: 3 },
        { pieceName: GMAIL, count: 1 },
      ],
      projects: [
        { projectId: 'p1', count: 3 },
        { projectId: 'p2', count: 1 },
      ],
      remotes: [
        { remoteId: null, count: 3 },
        { remoteId: 'remote_a', count: 1 },
      ],
    }
    expect(await h.call('connections.facets', {})).toEqual(expected)
    h.session.db.exec('BEGIN')
    try {
      expect(await h.call('connections.facets', {})).toEqual(expected)
    } finally {
      h.session.db.exec('ROLLBACK')
    }
    // A change is counted at once.
    await h.upsert({ pieceName: GMAIL, externalId: 'ext_new' })
    const after = await h.call<ConnectionFacets>('connections.facets', {})
    expect(after.pieces).toEqual([
      { pieceName: SLACK, count: 3 },
      { pieceName: GMAIL, count: 2 },
    ])
    expect(after.total).toBe(5)
  })

  it('while the list is first read after opening, answers partial at once instead of scanning the table', async () => {
    // A list whose chunks are never read: it stays "being read".
    const reading = await connectionsHarness({
      listIndexes: createListIndexes({ schedule: () => undefined }),
    })
    try {
      await reading.upsert({ pieceName: SLACK })
      expect(await reading.call('connections.facets', {})).toEqual({
        partial: true,
        total: 0,
        pieces: [],
        projects: [],
        remotes: [],
      })
    } finally {
      await reading.dispose()
    }
  })

  it('refuses any input field', async () => {
    expect(await h.errorOf('connections.facets', { pieceName: SLACK })).toMatchObject({ code: 'VALIDATION' })
  })
})
