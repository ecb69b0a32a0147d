import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type {
  AppConnection,
  ConnectionScope,
  ConnectionStatus,
  ListSort,
  Page,
} from '../../../src/shared/contract'
import { defaultOrderOf, LIST_SORTS, SORT_ORDERS } from '../../../src/shared/contract/connections'
import { DEFAULT_SETTINGS } from '../../../src/shared/contract/settings'
import { createListIndexes, type ListIndexTuning } from '../../../src/main/connections/list-index-source'
import { TEST_PASSWORD } from '../../support/vault'
import { connectionsHarness, insertRemote, SLACK, type ConnectionsHarness } from './support'

// connections.list and connections.slice through the router: every filter, every sort, the
// keyset cursor's guarantees (REFERENCE.md §1.2: Activepieces skips and repeats rows that share a
// second, and answers 500 or silently restarts on a bad cursor), and a property test against a
// brute-force filter and sort in memory.

const GMAIL = '@activepieces/piece-gmail'
const OPENAI = '@activepieces/piece-openai'
/** 2026-01-01T00:00:00Z in Unix seconds, as an OAuth2 value's claimed_at. */
const CLAIMED_AT = Date.UTC(2026, 0, 1) / 1000

type Query = Record<string, unknown>
type Pages = Page<AppConnection>[]

const ids = (connections: readonly AppConnection[]) => connections.map((c) => c.id)

function list(h: ConnectionsHarness, input: Query = {}): Promise<Page<AppConnection>> {
  return h.call<Page<AppConnection>>('connections.list', input)
}

/** An OAuth2 connection whose token expires `expiresIn` seconds after CLAIMED_AT. */
function expiring(expiresIn: number): Query {
  return {
    type: 'OAUTH2',
    value: {
      type: 'OAUTH2',
      access_token: 'access-token',
      token_url: 'https://oauth.example.com/token',
      expires_in: expiresIn,
      claimed_at: CLAIMED_AT,
    },
  }
}

/** ERROR is set by the token refresher; tests set it on the row as connections.test.ts does. */
function markError(h: ConnectionsHarness, id: string): void {
  h.session.db
    .prepare(`UPDATE connections SET status = 'ERROR', status_reason = 'invalid_grant' WHERE id = ?`)
    .run(id)
}

/** MISSING the real way: a forced delete of a connection a flow references leaves a placeholder. */
async function makeMissing(h: ConnectionsHarness, id: string): Promise<void> {
  await h.call('flows.link', { flowId: `flow_of_${id}`, connectionId: id })
  await h.call('connections.delete', { id, force: true })
}

/** Follows `next` from the first page to the last. */
async function walkForward(h: ConnectionsHarness, query: Query): Promise<Pages> {
  const pages: Pages = [await list(h, query)]
  for (let page = pages[0]!; page.next !== null;) {
    page = await list(h, { ...query, cursor: page.next })
    pages.push(page)
    if (pages.length > 1000) throw new Error('next never ended')
  }
  return pages
}

/** Follows `previous` from `last` back to the first page; answers the pages in list order. */
async function walkBackward(h: ConnectionsHarness, query: Query, last: Page<AppConnection>): Promise<Pages> {
  const pages: Pages = [last]
  for (let page = last; page.previous !== null;) {
    page = await list(h, { ...query, cursor: page.previous })
    pages.unshift(page)
    if (pages.length > 1000) throw new Error('previous never ended')
  }
  return pages
}

/**
 * Walks a list both ways and checks what a keyset cursor promises: every expected row exactly once,
 * in order, full pages except the last, next/previous null exactly at the ends, and the same pages
 * on the way back.
 */
async function expectWalk(
  h: ConnectionsHarness,
  query: Query,
  limit: number,
  expected: readonly string[],
): Promise<Pages> {
  const forward = await walkForward(h, { ...query, limit })
  expect(forward.flatMap((page) => ids(page.data))).toEqual(expected)
  if (expected.length === 0) {
    expect(forward).toEqual([{ data: [], next: null, previous: null }])
    return forward
  }
  expect(forward).toHaveLength(Math.ceil(expected.length / limit))
  forward.forEach((page, index) => {
    const isFirst = index === 0
    const isLast = index === forward.length - 1
    expect(page.data.length).toBe(isLast ? expected.length - limit * index : limit)
    expect(page.previous === null).toBe(isFirst)
    expect(page.next === null).toBe(isLast)
  })
  const backward = await walkBackward(h, { ...query, limit }, forward.at(-1)!)
  expect(backward.map((page) => ids(page.data))).toEqual(forward.map((page) => ids(page.data)))
  backward.forEach((page, index) => {
    expect(page.previous === null).toBe(index === 0)
    expect(page.next === null).toBe(index === backward.length - 1)
  })
  return forward
}

// The brute-force model: what each filter and sort means, written independently of the SQL.

/** SQLite's NOCASE, which the displayName sort uses: ASCII letters fold, nothing else does. */
const nocase = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase())
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const expiryMs = (c: AppConnection) =>
  c.health.tokenExpiresAt === null ? Infinity : Date.parse(c.health.tokenExpiresAt)

function compareFor(sort: ListSort): (a: AppConnection, b: AppConnection) => number {
  switch (sort) {
    case 'updated':
      return (a, b) => Date.parse(b.updated) - Date.parse(a.updated) || compareText(b.id, a.id)
    case 'created':
      return (a, b) => Date.parse(b.created) - Date.parse(a.created) || compareText(b.id, a.id)
    case 'displayName':
      return (a, b) => compareText(nocase(a.displayName), nocase(b.displayName)) || compareText(a.id, b.id)
    case 'expiry':
      return (a, b) => {
        const [x, y] = [expiryMs(a), expiryMs(b)]
        return x < y ? -1 : x > y ? 1 : compareText(a.id, b.id)
      }
    case 'status':
      return (a, b) => {
        const [x, y] = [expiryMs(a), expiryMs(b)]
        const byExpiry = x < y ? -1 : x > y ? 1 : 0
        return STATUS_RANK[a.status] - STATUS_RANK[b.status] || byExpiry || compareText(a.id, b.id)
      }
    case 'pieceName':
      return (a, b) => compareText(a.pieceName, b.pieceName) || compareText(a.id, b.id)
  }
}

/** The status sort: problems first. */
const STATUS_RANK: Record<ConnectionStatus, number> = { ERROR: 0, MISSING: 1, ACTIVE: 2 }
const DAY_MS = 24 * 60 * 60 * 1000
/** The vault's settings are never changed here: 'expiring' looks the default days ahead. */
const SOON_MS = DEFAULT_SETTINGS.expiringSoonDays * DAY_MS

/** The expiry filter as the contract states it: expired ≤ now < expiring ≤ now + expiringSoonDays. */
function expiryMatches(c: AppConnection, states: string[] | undefined, now: number): boolean {
  if (states === undefined) return true
  const at = expiryMs(c)
  return (
    (states.includes('expired') && at <= now) ||
    (states.includes('expiring') && at > now && at <= now + SOON_MS)
  )
}

function matches(c: AppConnection, query: Query, now: number): boolean {
  const { pieceName, displayName, status, scope, projectId, remoteId, expiry } = query as {
    expiry?: string[]
    pieceName?: string
    displayName?: string
    status?: ConnectionStatus[]
    scope?: ConnectionScope
    projectId?: string
    remoteId?: string | null
  }
  return (
    (pieceName === undefined || c.pieceName === pieceName) &&
    (displayName === undefined || c.displayName.toLowerCase().includes(displayName.toLowerCase())) &&
    (status === undefined || status.includes(c.status)) &&
    (scope === undefined || c.scope === scope) &&
    (projectId === undefined || c.projectIds.includes(projectId)) &&
    (remoteId === undefined || c.remoteId === remoteId) &&
    expiryMatches(c, expiry, now)
  )
}

/** `now` is the harness clock's, which the expiry filter is judged against. */
function expectedOf(all: readonly AppConnection[], query: Query, now = 0): AppConnection[] {
  const sort = (query.sort as ListSort | undefined) ?? 'updated'
  const sorted = all.filter((c) => matches(c, query, now)).sort(compareFor(sort))
  // compareFor is each sort's natural way; the other way is its exact reverse, ties included.
  const order = (query.order as string | undefined) ?? defaultOrderOf(sort)
  return order === defaultOrderOf(sort) ? sorted : sorted.reverse()
}

describe('connections.list', () => {
  let h: ConnectionsHarness
  beforeEach(async () => {
    h = await connectionsHarness()
  })
  afterEach(async () => {
    await h.dispose()
  })

  /** Every connection as connections.get answers it, for the model. */
  async function everything(created: readonly AppConnection[]): Promise<AppConnection[]> {
    return Promise.all(created.map((c) => h.call<AppConnection>('connections.get', { id: c.id })))
  }

  describe('filters', () => {
    it('pieceName matches exactly: not a prefix, a suffix or another case', async () => {
      const slack = await h.upsert({ pieceName: SLACK })
      await h.upsert({ pieceName: GMAIL })
      await h.upsert({ pieceName: `${SLACK}-extra` })
      await h.upsert({ pieceName: 'slack' })
      expect(ids((await list(h, { pieceName: SLACK })).data)).toEqual([slack.id])
      expect((await list(h, { pieceName: 'piece-slack' })).data).toEqual([])
      expect((await list(h, { pieceName: SLACK.toUpperCase() })).data).toEqual([])
    })

    it('displayName is a case-insensitive partial match, from one character up', async () => {
      const company = await h.upsert({ displayName: 'Company Slack' })
      const personal = await h.upsert({ displayName: 'personal SLACK bot' })
      const gmail = await h.upsert({ displayName: 'Gmail (ops)' })
      const name = async (displayName: string) =>
        ids((await list(h, { displayName, sort: 'displayName' })).data)
      expect(await name('slack')).toEqual([company.id, personal.id])
      expect(await name('SLA')).toEqual([company.id, personal.id])
      expect(await name('sl')).toEqual([company.id, personal.id])
      expect(await name('K')).toEqual([company.id, personal.id])
      expect(await name('o')).toEqual([company.id, gmail.id, personal.id])
      expect(await name('(OPS)')).toEqual([gmail.id])
      expect(await name('ny sl')).toEqual([company.id])
      expect(await name('slacker')).toEqual([])
      expect(await name('q')).toEqual([])
    })

    it("displayName treats % and _ as the characters they are, not as wildcards (unlike Activepieces' ILIKE)", async () => {
      const percent = await h.upsert({ displayName: 'Save 50% now' })
      const underscore = await h.upsert({ displayName: 'api_key main' })
      // What the same text would match as a LIKE pattern.
      await h.upsert({ displayName: 'Save 500 now' })
      await h.upsert({ displayName: 'apiXkey main' })
      const name = async (displayName: string) => new Set(ids((await list(h, { displayName })).data))
      expect(await name('50%')).toEqual(new Set([percent.id]))
      expect(await name('%')).toEqual(new Set([percent.id]))
      expect(await name('0%')).toEqual(new Set([percent.id]))
      expect(await name('api_key')).toEqual(new Set([underscore.id]))
      expect(await name('_')).toEqual(new Set([underscore.id]))
      expect(await name('i_')).toEqual(new Set([underscore.id]))
      expect(await name('%%')).toEqual(new Set())
      expect(await name('5_0')).toEqual(new Set())
      // Nor is any query syntax (quotes, OR, *).
      const quoted = await h.upsert({ displayName: 'The "prod" key' })
      expect(await name('"prod"')).toEqual(new Set([quoted.id]))
      expect(await name('prod OR 500')).toEqual(new Set())
      expect(await name('*')).toEqual(new Set())
    })

    it('displayName ignores case beyond ASCII too, as Postgres ILIKE does', async () => {
      const german = await h.upsert({ displayName: 'ÜBERWEISUNG Bank' })
      const russian = await h.upsert({ displayName: 'Почта России' })
      const greek = await h.upsert({ displayName: 'Ωμέγα' })
      const name = async (displayName: string) => ids((await list(h, { displayName })).data)
      expect(await name('überweisung')).toEqual([german.id])
      expect(await name('üb')).toEqual([german.id])
      expect(await name('почта')).toEqual([russian.id])
      expect(await name('ПОЧТА РОССИИ')).toEqual([russian.id])
      expect(await name('по')).toEqual([russian.id])
      expect(await name('ωμέ')).toEqual([greek.id])
      expect(await name('ΩΜ')).toEqual([greek.id])
      expect(
        (await h.call<{ total: number }>('connections.slice', { displayName: 'почта', offset: 0 })).total,
      ).toBe(1)
    })

    it('status takes any subset of ACTIVE, MISSING and ERROR, in any order', async () => {
      const active = await h.upsert()
      const broken = await h.upsert()
      const missing = await h.upsert()
      markError(h, broken.id)
      await makeMissing(h, missing.id)
      const status = async (...statuses: ConnectionStatus[]) =>
        new Set(ids((await list(h, { status: statuses })).data))
      expect(await status('ACTIVE')).toEqual(new Set([active.id]))
      expect(await status('ERROR')).toEqual(new Set([broken.id]))
      expect(await status('MISSING')).toEqual(new Set([missing.id]))
      expect(await status('ERROR', 'MISSING')).toEqual(new Set([broken.id, missing.id]))
      expect(await status('MISSING', 'ACTIVE', 'MISSING')).toEqual(new Set([active.id, missing.id]))
      expect(await status('ACTIVE', 'ERROR', 'MISSING')).toEqual(new Set([active.id, broken.id, missing.id]))
      for (const bad of [[], ['BROKEN'], 'ACTIVE']) {
        expect(await h.errorOf('connections.list', { status: bad })).toMatchObject({
          statusCode: 400,
          code: 'VALIDATION',
          params: { message: expect.stringMatching(/status/i) },
        })
      }
    })

    it('scope and projectId: a PLATFORM connection is found under each of its projects', async () => {
      const project = await h.upsert({ scope: 'PROJECT', projectIds: ['project_a'] })
      const projectless = await h.upsert({ scope: 'PROJECT' })
      const platform = await h.upsert({ scope: 'PLATFORM', projectIds: ['project_a', 'project_b'] })
      const platformB = await h.upsert({ scope: 'PLATFORM', projectIds: ['project_b'] })
      const found = async (query: Query) => new Set(ids((await list(h, query)).data))
      expect(await found({ scope: 'PROJECT' })).toEqual(new Set([project.id, projectless.id]))
      expect(await found({ scope: 'PLATFORM' })).toEqual(new Set([platform.id, platformB.id]))
      expect(await found({ projectId: 'project_a' })).toEqual(new Set([project.id, platform.id]))
      expect(await found({ projectId: 'project_b' })).toEqual(new Set([platform.id, platformB.id]))
      expect(await found({ projectId: 'project_b', scope: 'PROJECT' })).toEqual(new Set())
      expect(await found({ projectId: 'project_a', scope: 'PLATFORM' })).toEqual(new Set([platform.id]))
      expect(await found({ projectId: 'project_unknown' })).toEqual(new Set())
      expect((await h.errorOf('connections.list', { scope: 'GLOBAL' })).code).toBe('VALIDATION')
    })

    it('remoteId: one remote, null for local-only, absent for all', async () => {
      insertRemote(h.session, 'remote_a')
      insertRemote(h.session, 'remote_b', 'weavz')
      const local = await h.upsert()
      const a = await h.upsert({ remoteId: 'remote_a' })
      const b = await h.upsert({ remoteId: 'remote_b' })
      const found = async (query: Query) => new Set(ids((await list(h, query)).data))
      expect(await found({ remoteId: 'remote_a' })).toEqual(new Set([a.id]))
      expect(await found({ remoteId: 'remote_b' })).toEqual(new Set([b.id]))
      expect(await found({ remoteId: null })).toEqual(new Set([local.id]))
      expect(await found({})).toEqual(new Set([local.id, a.id, b.id]))
      expect(await found({ remoteId: 'remote_unknown' })).toEqual(new Set())
      expect((await h.errorOf('connections.list', { remoteId: '' })).code).toBe('VALIDATION')
    })

    it('combines every filter with AND', async () => {
      insertRemote(h.session, 'remote_a')
      const base = {
        pieceName: SLACK,
        displayName: 'Ops Slack',
        scope: 'PLATFORM',
        projectIds: ['project_a'],
        remoteId: 'remote_a',
      }
      const hit = await h.upsert(base)
      const created = [
        hit,
        await h.upsert({ ...base, pieceName: GMAIL }),
        await h.upsert({ ...base, displayName: 'Sales Slack' }),
        await h.upsert({ ...base, scope: 'PROJECT' }),
        await h.upsert({ ...base, projectIds: ['project_b'] }),
        await h.upsert({ ...base, remoteId: null }),
        await h.upsert(base),
      ]
      markError(h, created.at(-1)!.id)
      const query = {
        pieceName: SLACK,
        displayName: 'ops',
        status: ['ACTIVE'],
        scope: 'PLATFORM',
        projectId: 'project_a',
        remoteId: 'remote_a',
      }
      expect(ids((await list(h, query)).data)).toEqual([hit.id])
      const all = await everything(created)
      expect(ids(expectedOf(all, query))).toEqual([hit.id])
      expect(ids(expectedOf(all, { ...query, status: ['ERROR'] }))).toEqual(
        ids((await list(h, { ...query, status: ['ERROR'] })).data),
      )
    })
  })

  describe('sorts', () => {
    it('defaults to most recently updated first; created is newest first; an update moves only updated', async () => {
      const first = await h.upsert({ displayName: 'First' })
      h.clock.advance(1000)
      const second = await h.upsert({ displayName: 'Second' })
      h.clock.advance(1000)
      const third = await h.upsert({ displayName: 'Third' })
      h.clock.advance(1000)
      await h.call('connections.update', { id: first.id, displayName: 'First, renamed' })
      expect(ids((await list(h)).data)).toEqual([first.id, third.id, second.id])
      expect(ids((await list(h, { sort: 'updated' })).data)).toEqual([first.id, third.id, second.id])
      expect(ids((await list(h, { sort: 'created' })).data)).toEqual([third.id, second.id, first.id])
    })

    it('displayName sorts A to Z ignoring case, equal names by id', async () => {
      const banana = await h.upsert({ displayName: 'banana' })
      const apple = await h.upsert({ displayName: 'Apple' })
      const cherry = await h.upsert({ displayName: 'Cherry' })
      const appleLower = await h.upsert({ displayName: 'apple' })
      const apples = [apple.id, appleLower.id].sort()
      expect(ids((await list(h, { sort: 'displayName' })).data)).toEqual([...apples, banana.id, cherry.id])
    })

    it('expiry sorts soonest first, connections without an expiry last, and is filterable like any sort', async () => {
      const hour = await h.upsert(expiring(3600))
      const never = await h.upsert()
      const minute = await h.upsert(expiring(60))
      const day = await h.upsert({ ...expiring(86_400), pieceName: GMAIL })
      const neverToo = await h.upsert({ type: 'NO_AUTH', value: undefined })
      expect(minute.health.tokenExpiresAt).toBe(new Date((CLAIMED_AT + 60) * 1000).toISOString())
      const withoutExpiry = [never.id, neverToo.id].sort()
      expect(ids((await list(h, { sort: 'expiry' })).data)).toEqual([
        minute.id,
        hour.id,
        day.id,
        ...withoutExpiry,
      ])
      expect(ids((await list(h, { sort: 'expiry', pieceName: SLACK })).data)).toEqual([
        minute.id,
        hour.id,
        ...withoutExpiry,
      ])
      // A MISSING placeholder has no token, so it moves to the end.
      await makeMissing(h, minute.id)
      expect(ids((await list(h, { sort: 'expiry', status: ['ACTIVE', 'MISSING'] })).data)).toEqual([
        hour.id,
        day.id,
        ...[never.id, neverToo.id, minute.id].sort(),
      ])
      await expectWalk(h, { sort: 'expiry' }, 2, [
        hour.id,
        day.id,
        ...[never.id, neverToo.id, minute.id].sort(),
      ])
    })

    it('refuses an unknown sort', async () => {
      expect(await h.errorOf('connections.list', { sort: 'name' })).toMatchObject({
        statusCode: 400,
        code: 'VALIDATION',
        params: { message: expect.stringMatching(/sort/i) },
      })
    })
  })

  describe('rows that share a timestamp (where Activepieces skips and repeats)', () => {
    it.each(LIST_SORTS)('sort %s pages through them exactly once each, ties broken by id', async (sort) => {
      // The clock never moves: every row has the same created and updated time, and the same name
      // and expiry up to case, so only the id tells them apart.
      const created: AppConnection[] = []
      for (let i = 0; i < 23; i++) {
        created.push(await h.upsert({ displayName: i % 2 ? 'Same name' : 'SAME NAME', ...expiring(3600) }))
      }
      const byId = ids(created).sort()
      const expected = sort === 'updated' || sort === 'created' ? byId.reverse() : byId
      for (const limit of [1, 4, 10, 23, 100]) await expectWalk(h, { sort }, limit, expected)
    })

    it('keeps its place when the row a cursor points at is deleted', async () => {
      const created: AppConnection[] = []
      for (let i = 0; i < 9; i++) created.push(await h.upsert())
      const order = ids(created).sort().reverse()
      const first = await list(h, { limit: 3 })
      expect(ids(first.data)).toEqual(order.slice(0, 3))
      await h.call('connections.delete', { id: order[2] })
      const second = await list(h, { limit: 3, cursor: first.next })
      expect(ids(second.data)).toEqual(order.slice(3, 6))
      const back = await list(h, { limit: 3, cursor: second.previous })
      expect(ids(back.data)).toEqual(order.slice(0, 2))
      expect(back.previous).toBeNull()
      // With nothing left before it, the same cursor's page says so.
      await h.call('connections.delete', { id: order[0] })
      await h.call('connections.delete', { id: order[1] })
      const alone = await list(h, { limit: 3, cursor: first.next })
      expect(ids(alone.data)).toEqual(order.slice(3, 6))
      expect(alone.previous).toBeNull()
      expect(alone.next).not.toBeNull()
    })
  })

  describe('limit and cursors', () => {
    it('defaults to 10 and accepts 1 to 100', async () => {
      const created: AppConnection[] = []
      for (let i = 0; i < 12; i++) {
        h.clock.advance(1)
        created.push(await h.upsert())
      }
      const newestFirst = ids(created).reverse()
      const page = await list(h)
      expect(ids(page.data)).toEqual(newestFirst.slice(0, 10))
      expect(page.previous).toBeNull()
      expect(page.next).not.toBeNull()
      const rest = await list(h, { cursor: page.next })
      expect(ids(rest.data)).toEqual(newestFirst.slice(10))
      expect(rest.next).toBeNull()
      expect(rest.previous).not.toBeNull()
      expect(ids((await list(h, { limit: 1 })).data)).toEqual(newestFirst.slice(0, 1))
      const all = await list(h, { limit: 100 })
      expect(all).toEqual({ data: await everything(created.reverse()), next: null, previous: null })
    })

    it.each([
      ['0', 0],
      ['101', 101],
      ['-1', -1],
      ['2.5', 2.5],
      ['a string', '10'],
      ['null', null],
    ])('refuses limit %s with VALIDATION in the seed error shape', async (_name, limit) => {
      const error = await h.errorOf('connections.list', { limit })
      expect(error).toEqual({
        statusCode: 400,
        code: 'VALIDATION',
        params: {
          message: expect.stringMatching(/limit/i),
          issues: [expect.objectContaining({ path: 'limit' })],
        },
      })
    })

    it('answers an empty list with both cursors null', async () => {
      expect(await list(h)).toEqual({ data: [], next: null, previous: null })
      await h.upsert({ displayName: 'Something' })
      expect(await list(h, { displayName: 'nothing like it' })).toEqual({
        data: [],
        next: null,
        previous: null,
      })
    })

    it('accepts a cursor after a page-size change and with the status array reordered', async () => {
      const created: AppConnection[] = []
      for (let i = 0; i < 7; i++) created.push(await h.upsert())
      markError(h, created[0]!.id)
      const order = ids(created).sort().reverse()
      const first = await list(h, { limit: 2, status: ['ERROR', 'ACTIVE'] })
      const next = await list(h, { limit: 4, status: ['ACTIVE', 'ERROR', 'ACTIVE'], cursor: first.next })
      expect(ids(next.data)).toEqual(order.slice(2, 6))
    })

    it('refuses a cursor made for another filter set or sort', async () => {
      insertRemote(h.session, 'remote_a')
      for (let i = 0; i < 3; i++) await h.upsert({ displayName: `Slack ${i}`, projectIds: ['project_a'] })
      const query = { limit: 1, displayName: 'slack', sort: 'displayName' }
      const cursor = (await list(h, query)).next
      expect(cursor).not.toBeNull()
      const others: Query[] = [
        { ...query, sort: 'updated' },
        { ...query, sort: undefined },
        { ...query, displayName: 'Slack' },
        { ...query, displayName: undefined },
        { ...query, pieceName: SLACK },
        { ...query, status: ['ACTIVE'] },
        { ...query, scope: 'PROJECT' },
        { ...query, projectId: 'project_a' },
        { ...query, remoteId: null },
        { ...query, remoteId: 'remote_a' },
      ]
      for (const other of others) {
        expect(await h.errorOf('connections.list', { ...other, cursor })).toMatchObject({
          statusCode: 400,
          code: 'VALIDATION',
          params: { message: expect.stringContaining('cursor') },
        })
      }
      // The same filters (and so the same cursor) still work.
      expect((await list(h, { ...query, cursor })).data).toHaveLength(1)
    })

    it("refuses another list's cursor", async () => {
      for (const email of ['a@example.com', 'b@example.com']) {
        const connection = await h.upsert()
        h.session.db.prepare('UPDATE connections SET owner_email = ? WHERE id = ?').run(email, connection.id)
      }
      const owners = await h.call<Page<unknown>>('connections.owners', { limit: 1 })
      expect(owners.next).not.toBeNull()
      expect((await h.errorOf('connections.list', { cursor: owners.next })).code).toBe('VALIDATION')
    })

    it("refuses a forged, damaged or another session's cursor with VALIDATION, never a 500 or a silent restart", async () => {
      for (let i = 0; i < 3; i++) await h.upsert()
      const cursor = (await list(h, { limit: 1 })).next!
      const [body, signature] = cursor.split('.') as [string, string]
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { at: { id: string } }
      const reencode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
      const forgedBody = reencode({ ...payload, at: { ...payload.at, id: 'conn_zzzz' } })
      const other = await connectionsHarness()
      let foreign: string
      try {
        for (let i = 0; i < 3; i++) await other.upsert()
        foreign = (await list(other, { limit: 1 })).next!
      } finally {
        await other.dispose()
      }
      const bad = [
        'garbage',
        'a.b',
        `${body}.`,
        `.${signature}`,
        `${body}.${signature}.extra`,
        `${forgedBody}.${signature}`,
        // A character in the middle: each carries six whole bits, whereas the last one's spare bits
        // decode the same (a tampered tail could, 1 run in ~1,000, still be the right signature).
        `${body}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`,
        `${body.slice(1)}.${signature}`,
        Buffer.from('next_' + Buffer.from('created:0').toString('base64')).toString('base64'),
        foreign,
        'x'.repeat(2001),
      ]
      for (const token of bad) {
        const error = await h.errorOf('connections.list', { limit: 1, cursor: token })
        expect(error).toMatchObject({ statusCode: 400, code: 'VALIDATION' })
        expect(error.params.message).toEqual(expect.any(String))
      }
      expect((await h.errorOf('connections.list', { cursor: '' })).code).toBe('VALIDATION')
      expect((await h.errorOf('connections.list', { cursor: 42 })).code).toBe('VALIDATION')
    })

    it('refuses unknown fields', async () => {
      expect((await h.errorOf('connections.list', { page: 2 })).code).toBe('VALIDATION')
      expect((await h.errorOf('connections.list', { expiresBefore: '2026-01-01T00:00:00Z' })).code).toBe(
        'VALIDATION',
      )
    })
  })

  describe('connections.slice', () => {
    it('answers rows [offset, offset + limit) of the same filtered, sorted list, and the total', async () => {
      const created: AppConnection[] = []
      for (let i = 0; i < 14; i++) {
        if (i % 3 === 0) h.clock.advance(1000)
        created.push(await h.upsert({ displayName: i % 2 ? `Ops ${i}` : `Sales ${i}` }))
      }
      const all = await everything(created)
      for (const sort of LIST_SORTS) {
        const query = { sort, displayName: 'OPS' }
        const expected = expectedOf(all, query)
        for (const [offset, limit] of [
          [0, 3],
          [2, 4],
          [5, 100],
          [7, 1],
          [8, 3],
        ] as const) {
          const slice = await h.call<{ data: AppConnection[]; total: number }>('connections.slice', {
            ...query,
            offset,
            limit,
          })
          expect(slice).toEqual({ data: expected.slice(offset, offset + limit), total: 7 })
        }
      }
      const slice = await h.call<{ data: AppConnection[]; total: number }>('connections.slice', { offset: 0 })
      expect(slice.total).toBe(14)
      expect(slice.data).toHaveLength(14)
      for (const bad of [
        { offset: -1 },
        { offset: 0, limit: 0 },
        { offset: 0, limit: 501 },
        { offset: 1.5 },
        {},
      ]) {
        expect((await h.errorOf('connections.slice', bad)).code).toBe('VALIDATION')
      }
    })
  })

  describe('with more than a thousand rows', () => {
    // Rows are inserted directly: only the list reads them.
    it('walks and slices large filtered lists in every sort', async () => {
      const insert = h.session.db.prepare(
        `INSERT INTO connections (id, external_id, display_name, type, piece_name, scope, status, created_ms, updated_ms)
         VALUES (?, ?, ?, 'NO_AUTH', ?, 'PLATFORM', 'ACTIVE', ?, ?)`,
      )
      const link = h.session.db.prepare(
        'INSERT INTO connection_projects (connection_id, project_id) VALUES (?, ?)',
      )
      const rows: { id: string; name: string; piece: string; ms: number; projects: string[] }[] = []
      h.session.db.transaction(() => {
        for (let i = 0; i < 1300; i++) {
          const row = {
            id: `conn_${String((i * 7919) % 1300).padStart(5, '0')}`,
            name: i % 5 === 0 ? `Rare Thing ${i}` : `Common Slack ${i % 40}`,
            piece: i % 2 ? SLACK : GMAIL,
            ms: Date.UTC(2026, 0, 1) + Math.floor(i / 50),
            projects: i % 7 === 0 ? ['project_small', 'project_big'] : ['project_big'],
          }
          rows.push(row)
          insert.run(row.id, row.id, row.name, row.piece, row.ms, row.ms)
          for (const project of row.projects) link.run(row.id, project)
        }
      })()
      const model = rows.map(
        (row) =>
          ({
            id: row.id,
            displayName: row.name,
            pieceName: row.piece,
            projectIds: row.projects,
            status: 'ACTIVE',
            scope: 'PLATFORM',
            remoteId: null,
            created: new Date(row.ms).toISOString(),
            updated: new Date(row.ms).toISOString(),
            health: { tokenExpiresAt: null },
          }) as unknown as AppConnection,
      )
      const queries: Query[] = [
        { displayName: 'common slack' },
        { displayName: 'rare thing' },
        { displayName: 'slack 1', sort: 'displayName' },
        { projectId: 'project_big', pieceName: SLACK },
        { projectId: 'project_small', sort: 'created' },
        { projectId: 'project_big', displayName: 'ng 3', sort: 'displayName' },
      ]
      for (const query of queries) {
        const expected = ids(expectedOf(model, query))
        expect(expected.length).toBeGreaterThan(0)
        await expectWalk(h, query, 100, expected)
        const slice = await h.call<{ data: AppConnection[]; total: number }>('connections.slice', {
          ...query,
          offset: 10,
          limit: 25,
        })
        expect(slice.total).toBe(expected.length)
        expect(ids(slice.data)).toEqual(expected.slice(10, 35))
      }
    })
  })
})

// The property: for random data and random queries, walking next visits every matching connection
// exactly once in the model's order, walking previous back gives the same pages, and slice agrees.

const PIECES = [SLACK, GMAIL, OPENAI]
const PROJECTS = ['project_a', 'project_b', 'project_c']
const REMOTES = ['remote_a', 'remote_b']
const WORDS = [
  'slack',
  'Slack',
  'SLACK',
  'ops',
  'Ops',
  'prod',
  'PROD',
  '50%',
  'a_b',
  'über',
  'ÜBER',
  'Почта',
  'x',
]
const NEEDLES = [
  's',
  'SL',
  'slack',
  'LACK',
  'ops',
  'PROD',
  '%',
  '50%',
  '_',
  'a_b',
  'Ü',
  'übe',
  'почта',
  'x',
  'k o',
  'zz',
]

/** Mostly absent, so random queries still match something. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary, weight: 1 })

const rowArbitrary = fc.record({
  pieceName: fc.constantFrom(...PIECES),
  words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  status: fc.constantFrom<ConnectionStatus>('ACTIVE', 'ACTIVE', 'ERROR', 'MISSING'),
  scope: fc.constantFrom<ConnectionScope>('PROJECT', 'PLATFORM'),
  projectIds: fc.subarray(PROJECTS),
  remoteId: fc.constantFrom(null, ...REMOTES),
  /** Mostly no time at all between writes, so timestamps tie. */
  step: fc.constantFrom(0, 0, 0, 1, 1000),
  // Expiring within the look-ahead (3 days) or not; none expires, nor comes due for refresh, while the clock moves
  // (minutes at most): the token refresher would mark it ERROR between the model's read and the
  // list's. Expired tokens are covered by list-index.test.ts and list-health.test.ts.
  expiresIn: fc.constantFrom(null, 3600, 7200, 2 * 86_400, 4 * 86_400),
  /** Later renamed (after this many ms), so updated and created differ. */
  renameAfter: fc.constantFrom(null, null, 0, 1, 5000),
})

type GeneratedRow = typeof rowArbitrary extends fc.Arbitrary<infer Row> ? Row : never

/** Writes one generated row through connections.upsert, after its step on the clock. */
async function upsertGenerated(h: ConnectionsHarness, row: GeneratedRow): Promise<AppConnection> {
  h.clock.advance(row.step)
  return h.upsert({
    displayName: row.words.join(' '),
    pieceName: row.pieceName,
    scope: row.scope,
    projectIds: row.scope === 'PROJECT' ? row.projectIds.slice(0, 1) : row.projectIds,
    remoteId: row.remoteId,
    ...(row.expiresIn === null ? {} : expiring(row.expiresIn)),
  })
}

const queryArbitrary = fc.record({
  pieceName: sometimes(fc.constantFrom(...PIECES, 'slack')),
  displayName: sometimes(fc.constantFrom(...NEEDLES)),
  status: sometimes(fc.subarray(['ACTIVE', 'MISSING', 'ERROR'], { minLength: 1 })),
  scope: sometimes(fc.constantFrom('PROJECT', 'PLATFORM')),
  projectId: sometimes(fc.constantFrom(...PROJECTS, 'project_none')),
  remoteId: sometimes(fc.constantFrom(null, ...REMOTES)),
  expiry: sometimes(fc.subarray(['expired', 'expiring'], { minLength: 1 })),
  /** Absent means the default, updated. */
  sort: fc.constantFrom(undefined, ...LIST_SORTS),
  /** Absent means the sort's own way. */
  order: sometimes(fc.constantFrom(...SORT_ORDERS)),
  limit: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 7 }), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 100 }), weight: 1 },
  ),
  offset: fc.integer({ min: 0, max: 70 }),
})

function withoutUndefined(record: Record<string, unknown>): Query {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined))
}

describe('connections.list, property', () => {
  it('walks every matching connection exactly once, in order, both ways, for random data and queries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArbitrary, { maxLength: 60, size: 'max' }),
        fc.array(queryArbitrary, { minLength: 1, maxLength: 3 }),
        async (rows, queries) => {
          const h = await connectionsHarness()
          try {
            for (const remote of REMOTES) insertRemote(h.session, remote)
            const created: AppConnection[] = []
            for (const row of rows) {
              created.push(await upsertGenerated(h, row))
            }
            for (const [index, row] of rows.entries()) {
              if (row.renameAfter === null) continue
              h.clock.advance(row.renameAfter)
              await h.call('connections.update', {
                id: created[index]!.id,
                displayName: [...row.words].reverse().join('-'),
              })
            }
            for (const [index, row] of rows.entries()) {
              if (row.status === 'ERROR') markError(h, created[index]!.id)
              if (row.status === 'MISSING') await makeMissing(h, created[index]!.id)
            }
            const all = await Promise.all(
              created.map((c) => h.call<AppConnection>('connections.get', { id: c.id })),
            )

            for (const generated of queries) {
              const { limit, offset, ...filters } = generated
              const query = withoutUndefined(filters)
              const expected = expectedOf(all, query, h.clock.now())
              const forward = await expectWalk(h, query, limit, ids(expected))
              expect(forward.flatMap((page) => page.data)).toEqual(expected)
              // Inside a transaction SQL answers instead of the list in memory: the same pages.
              h.session.db.exec('BEGIN')
              try {
                expect(await expectWalk(h, query, limit, ids(expected))).toEqual(forward)
              } finally {
                h.session.db.exec('ROLLBACK')
              }
              const slice = await h.call<{ data: AppConnection[]; total: number }>('connections.slice', {
                ...query,
                offset,
                limit,
              })
              expect(slice).toEqual({ data: expected.slice(offset, offset + limit), total: expected.length })
            }
          } finally {
            await h.dispose()
          }
        },
      ),
      { numRuns: 30 },
    )
  })
})

// connections.list and connections.slice answer from the connections list in memory
// (src/main/connections/list-index.ts), read in chunks and then kept up to date from notes of every
// write (list-index-source.ts), and from SQL inside a transaction and while the list is first read.
// These check that nothing kept in memory outlives the data it was read from, and that both answer
// the same rows. Low thresholds reach every path with a few rows.

type Slice = { data: AppConnection[]; total: number }

function slice(h: ConnectionsHarness, query: Query, offset = 0, limit = 100): Promise<Slice> {
  return h.call<Slice>('connections.slice', { ...query, offset, limit })
}

/** Every connection as connections.get answers it, read from SQL (inside a transaction). */
async function allConnections(h: ConnectionsHarness): Promise<AppConnection[]> {
  const rows = h.session.db.prepare('SELECT id FROM connections').pluck().all() as string[]
  return Promise.all(rows.map((id) => h.call<AppConnection>('connections.get', { id })))
}

/** Read on the spot, in chunks of two rows; any write after that read again rather than caught up. */
const EAGER: Partial<ListIndexTuning> = { schedule: null, chunkRows: 2, catchUpAtMost: 0 }

describe('connections.slice caches', () => {
  it('a slice after a write sees the new total and rows', async () => {
    const h = await connectionsHarness({ listIndexes: createListIndexes(EAGER) })
    try {
      for (let i = 0; i < 6; i++) await h.upsert({ displayName: `Ops ${i}` })
      for (const query of [{}, { displayName: 'op' }, { displayName: 'ops' }, { sort: 'displayName' }]) {
        expect((await slice(h, query, 2)).total).toBe(6)
      }
      h.clock.advance(1000)
      const added = await h.upsert({ displayName: 'Ops new' })
      for (const query of [{}, { displayName: 'op' }, { displayName: 'ops' }]) {
        const after = await slice(h, query)
        expect(after.total).toBe(7)
        expect(after.data[0]!.id).toBe(added.id)
      }
      const byName = await slice(h, { sort: 'displayName' }, 6)
      expect(ids(byName.data)).toEqual([added.id])
      await h.call('connections.delete', { id: added.id })
      expect((await slice(h, { displayName: 'op' })).total).toBe(6)
      const renamed = (await slice(h, {})).data[0]!
      await h.call('connections.update', { id: renamed.id, displayName: 'Sales' })
      expect((await slice(h, { displayName: 'op' })).total).toBe(5)
      expect(ids((await slice(h, { displayName: 'sa' })).data)).toEqual([renamed.id])
    } finally {
      await h.dispose()
    }
  })

  it('never serves a cached count or row after a change by any path: SQL outside the service, a rolled-back transaction', async () => {
    const h = await connectionsHarness({ listIndexes: createListIndexes(EAGER) })
    try {
      const created: AppConnection[] = []
      for (let i = 0; i < 5; i++) created.push(await h.upsert({ displayName: `Gmail ${i}` }))
      expect((await slice(h, { status: ['ERROR'] })).total).toBe(0)
      expect((await slice(h, { displayName: 'l 3' })).total).toBe(1)
      // The token refresher and the sync engine write rows without the service.
      markError(h, created[1]!.id)
      expect(ids((await slice(h, { status: ['ERROR'] })).data)).toEqual([created[1]!.id])
      h.session.db
        .prepare(`UPDATE connections SET display_name = 'Gmail 33' WHERE id = ?`)
        .run(created[0]!.id)
      expect((await slice(h, { displayName: 'l 3' }, 1)).total).toBe(2)
      // Rolled back: the data is as it was, and so is every answer.
      expect(() =>
        h.session.transaction(() => {
          h.session.db.prepare(`DELETE FROM connections WHERE id = ?`).run(created[2]!.id)
          throw new Error('abort')
        }),
      ).toThrow('abort')
      expect((await slice(h, {}, 1)).total).toBe(5)
      expect((await slice(h, { displayName: 'l 3' })).total).toBe(2)
    } finally {
      await h.dispose()
    }
  })

  it('inside a transaction neither reads nor fills a cache', async () => {
    const h = await connectionsHarness({ listIndexes: createListIndexes(EAGER) })
    try {
      for (let i = 0; i < 4; i++) await h.upsert({ displayName: `Jira ${i}` })
      expect((await slice(h, { displayName: 'ji' }, 1)).total).toBe(4)
      h.session.db.exec('BEGIN IMMEDIATE')
      await h.upsert({ displayName: 'Jira uncommitted' })
      const inside = await slice(h, { displayName: 'ji' }, 1)
      expect(inside.total).toBe(5)
      h.session.db.exec('ROLLBACK')
      const after = await slice(h, { displayName: 'ji' }, 1)
      expect(after.total).toBe(4)
      expect(after.data.map((c) => c.displayName)).not.toContain('Jira uncommitted')
    } finally {
      await h.dispose()
    }
  })

  it('a lock keeps the list (it holds no value) and an unlock answers from it, caught up; closing drops it and its triggers', async () => {
    const indexes = createListIndexes({ schedule: null })
    const h = await connectionsHarness({ listIndexes: indexes })
    const db = h.session.db
    try {
      for (let i = 0; i < 5; i++) await h.upsert({ displayName: `Notion ${i}` })
      expect((await slice(h, { displayName: 'no', status: ['ACTIVE'] }, 1)).total).toBe(5)
      // Five matching names are gathered and sorted on their own: no order of every row is built.
      expect(indexes.stats()).toMatchObject({
        held: true,
        ready: true,
        size: 5,
        orders: 0,
        slices: 1,
        names: 1,
      })
      await h.call('vault.lock')
      expect(indexes.stats()).toMatchObject({ held: true, size: 5 })
      // Whatever writes while the vault is locked (nothing in Latchkey does) is still noted.
      db.prepare(
        `UPDATE connections SET display_name = 'Notion renamed' WHERE display_name = 'Notion 4'`,
      ).run()
      await h.call('vault.unlock', { password: TEST_PASSWORD })
      expect((await slice(h, { displayName: 'n 4' })).total).toBe(0)
      expect((await slice(h, { displayName: 'renamed' })).data.map((c) => c.displayName)).toEqual([
        'Notion renamed',
      ])
      const noting = () =>
        db.prepare(`SELECT count(*) FROM sqlite_temp_master WHERE name LIKE 'latchkey_list%'`).pluck().get()
      // The notes table and its triggers on connections: insert, update, an id's change, delete
      // (projects are a column of the row).
      expect(noting()).toBe(5)
      indexes.forget()
      expect(indexes.stats()).toMatchObject({ held: false, size: 0 })
      // Nor do writes keep noting changes for a list nobody holds.
      expect(noting()).toBe(0)
    } finally {
      await h.dispose()
    }
  })

  it('while the list is first read, chunk by chunk, SQL answers; writes between chunks are folded in', async () => {
    const steps: (() => void)[] = []
    const indexes = createListIndexes({ chunkRows: 3, schedule: (step) => steps.push(step) })
    const h = await connectionsHarness({ listIndexes: indexes })
    try {
      const made: AppConnection[] = []
      for (let i = 0; i < 10; i++) made.push(await h.upsert({ displayName: `Asana ${i}` }))
      const query = { displayName: 'asana', sort: 'displayName' }
      const expected = async () => ids(expectedOf(await allConnections(h), query))
      let reads = 0
      do {
        // Each answer is SQL's until the last chunk is read, then the list's: the same rows.
        expect(ids((await slice(h, query, 0, 100)).data)).toEqual(await expected())
        await expectWalk(h, query, 4, await expected())
        h.clock.advance(1)
        const target = made[reads % made.length]!
        if (reads % 3 === 0)
          await h.call('connections.update', { id: target.id, displayName: `Asana z${reads}` })
        if (reads === 2) await h.call('connections.delete', { id: made[9]!.id })
        if (reads === 3) made.push(await h.upsert({ displayName: 'Asana late' }))
        steps.shift()?.()
        reads += 1
      } while (!indexes.stats().ready && reads < 50)
      expect(indexes.stats()).toMatchObject({ ready: true, size: 10 })
      expect(ids((await slice(h, query, 0, 100)).data)).toEqual(await expected())
      await expectWalk(h, query, 4, await expected())
    } finally {
      await h.dispose()
    }
  })

  // A lone surrogate is refused at the boundary (test/main/api/valid-input-bounds.test.ts), so no name holds one.
  it('the list in memory folds and sorts every name as SQL does: beyond ASCII, with a NUL', async () => {
    const h = await connectionsHarness({ listIndexes: createListIndexes(EAGER) })
    try {
      const names = [
        'İstanbul',
        'ΟΔΟΣ',
        'οδος ΣΑΣ',
        'Kelvin \u212A',
        'Straße ẞ',
        'ǅemal',
        'ﬃ ligature',
        'Ⓐ circled',
        '\u1C90 mtavruli',
        'smile 😀',
        'a\u0307 dotted',
        'Plain Ops',
      ]
      for (const displayName of names) await h.upsert({ displayName })
      const needles = ['i', 'İ', 'i\u0307', 'ς', 'σ', 'Σ', 'k', '\u212A', 'ß', 'ẞ', 'ⓐ', 'Ⓐ', 'ა', '😀']
      needles.push('ǆ', 'ǅ', 'ﬃ', '\0', 'l\0', '\uFFFD', 'o', 'op', 'ops', 'οδο', 'ΟΔΟ', 'straße')
      const compare = async () => {
        for (const displayName of needles) {
          const cached = await slice(h, { displayName, sort: 'displayName' })
          const walked = await walkForward(h, { displayName, sort: 'displayName', limit: 100 })
          // Inside a transaction nothing in memory is used: this is SQL's own answer.
          h.session.db.exec('BEGIN')
          const bySql = await slice(h, { displayName, sort: 'displayName' })
          h.session.db.exec('ROLLBACK')
          expect(cached, JSON.stringify(displayName)).toEqual(bySql)
          expect(walked.flatMap((page) => ids(page.data))).toEqual(ids(bySql.data))
        }
      }
      await compare()
      // A NUL in a name splits the one-pass read wrongly: the index is then read row by row.
      await h.upsert({ displayName: 'nul\0name İ' })
      await compare()
    } finally {
      await h.dispose()
    }
  })

  it.each([
    ['read whole', { schedule: null }],
    ['read in chunks of 97 rows', { schedule: null, chunkRows: 97 }],
  ] as [string, Partial<ListIndexTuning>][])(
    'answers deep slices and 1–2 character names among 1,300 rows as the model does (%s)',
    async (_, tuning) => {
      const h = await connectionsHarness({ listIndexes: createListIndexes(tuning) })
      try {
        // As in 'with more than a thousand rows': inserted directly, only the list reads them.
        const insert = h.session.db.prepare(
          `INSERT INTO connections (id, external_id, display_name, type, piece_name, scope, status, created_ms, updated_ms)
         VALUES (?, ?, ?, 'NO_AUTH', ?, ?, ?, ?, ?)`,
        )
        const model: AppConnection[] = []
        h.session.db.transaction(() => {
          for (let i = 0; i < 1300; i++) {
            const id = `conn_${String((i * 7919) % 1300).padStart(5, '0')}`
            const name = i % 5 === 0 ? `Rare Thing ${i}` : `Common Slack ${i % 40}`
            const piece = i % 2 ? SLACK : GMAIL
            const scope = i % 3 ? 'PROJECT' : 'PLATFORM'
            const status = i % 11 ? 'ACTIVE' : 'ERROR'
            const ms = Date.UTC(2026, 0, 1) + Math.floor(i / 50)
            insert.run(id, id, name, piece, scope, status, ms, ms)
            model.push({
              id,
              displayName: name,
              pieceName: piece,
              projectIds: [],
              status,
              scope,
              remoteId: null,
              created: new Date(ms).toISOString(),
              updated: new Date(ms).toISOString(),
              health: { tokenExpiresAt: null },
            } as unknown as AppConnection)
          }
        })()
        const queries: Query[] = [
          {},
          { sort: 'displayName' },
          { displayName: 'co' },
          { displayName: 'ra', sort: 'created' },
          { displayName: 'co', scope: 'PLATFORM', sort: 'displayName' },
          { displayName: 'ra', status: ['ACTIVE'] },
          { displayName: 'common', sort: 'expiry' },
          { status: ['ACTIVE'], sort: 'displayName' },
          { scope: 'PROJECT', pieceName: SLACK },
          { displayName: 'zz' },
        ]
        for (const query of queries) {
          const expected = ids(expectedOf(model, query))
          for (const offset of [0, 150, 199, 200, 433, 1040, 1299]) {
            const answer = await slice(h, query, offset, 60)
            expect(answer.total).toBe(expected.length)
            expect(ids(answer.data)).toEqual(expected.slice(offset, offset + 60))
          }
        }
        await expectWalk(h, { displayName: 'co' }, 100, ids(expectedOf(model, { displayName: 'co' })))
        await expectWalk(h, { displayName: 'ra' }, 100, ids(expectedOf(model, { displayName: 'ra' })))
      } finally {
        await h.dispose()
      }
    },
  )
})

type GeneratedQuery = typeof queryArbitrary extends fc.Arbitrary<infer T> ? T : never

describe('connections.slice caches, property', () => {
  it('answers what the model does at any threshold, through writes by the service and by SQL outside it', async () => {
    const tuningArbitrary = fc.record({
      schedule: fc.constant(null),
      chunkRows: fc.constantFrom(1, 3, 4000),
      catchUpAtMost: fc.constantFrom(0, 2, 1000),
    })
    const actionArbitrary = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('query' as const), query: queryArbitrary }), weight: 4 },
      {
        arbitrary: fc.record({
          kind: fc.constantFrom(
            'rename' as const,
            'renameBySql' as const,
            'error' as const,
            'delete' as const,
          ),
          index: fc.nat(),
          words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
        }),
        weight: 1,
      },
    )
    await fc.assert(
      fc.asyncProperty(
        tuningArbitrary,
        fc.array(rowArbitrary, { maxLength: 40, size: 'max' }),
        fc.array(actionArbitrary, { minLength: 1, maxLength: 8 }),
        async (tuning, rows, actions) => {
          const h = await connectionsHarness({ listIndexes: createListIndexes(tuning) })
          try {
            for (const remote of REMOTES) insertRemote(h.session, remote)
            let live: string[] = []
            for (const row of rows) {
              const created = await upsertGenerated(h, row)
              live.push(created.id)
              if (row.status === 'ERROR') markError(h, created.id)
            }
            const check = async (generated: GeneratedQuery) => {
              const all = await Promise.all(
                live.map((id) => h.call<AppConnection>('connections.get', { id })),
              )
              const { limit, offset, ...filters } = generated
              const query = withoutUndefined(filters)
              const expected = expectedOf(all, query, h.clock.now())
              for (const at of [offset, offset, 0]) {
                expect(await slice(h, query, at, limit)).toEqual({
                  data: expected.slice(at, at + limit),
                  total: expected.length,
                })
              }
              const name = query.displayName as string | undefined
              if (name !== undefined && [...name].length < 3) await expectWalk(h, query, limit, ids(expected))
            }
            // Every query again after each change: a cache from before the change must not answer it.
            let last: GeneratedQuery | undefined
            for (const action of actions) {
              if (action.kind === 'query') {
                await check(action.query)
                last = action.query
                continue
              }
              if (live.length === 0) continue
              const id = live[action.index % live.length]!
              h.clock.advance(1)
              if (action.kind === 'rename') {
                await h.call('connections.update', { id, displayName: action.words.join(' ') })
              } else if (action.kind === 'renameBySql') {
                h.session.db
                  .prepare('UPDATE connections SET display_name = ? WHERE id = ?')
                  .run(action.words.join('-'), id)
              } else if (action.kind === 'error') markError(h, id)
              else {
                await h.call('connections.delete', { id })
                live = live.filter((other) => other !== id)
              }
              if (last) await check(last)
              // And a search for what a rename wrote (or a deleted row held).
              await check({
                displayName: action.words[0]!.slice(0, 2),
                offset: 0,
                limit: 7,
              } as GeneratedQuery)
            }
          } finally {
            await h.dispose()
          }
        },
      ),
      { numRuns: 40 },
    )
  })
})
