import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectionScope, ConnectionStatus, ListSort, SortOrder } from '../../../src/shared/contract'
import { defaultOrderOf, LIST_SORTS, SORT_ORDERS } from '../../../src/shared/contract/connections'
import {
  compareCodePoints,
  createListIndex,
  type ListEntry,
  type ListIndex,
} from '../../../src/main/connections/list-index'
import { createListIndexes } from '../../../src/main/connections/list-index-source'
import { statusSortKey, type ListFilter } from '../../../src/main/connections/list-query'
import { connectionsHarness, type ConnectionsHarness } from './support'

// The connections list in memory (src/main/connections/list-index.ts): its orders must stay what a
// fresh read would build, through any sequence of puts and removes, few (moved one by one) or many
// (merged); and the notes that keep it up to date (list-index-source.ts) must see every statement.

const NAMES = ['Slack', 'slack', 'Ops', 'über', 'Zebra', 'a😀', 'a\uE000', 'İstanbul', '']

const entryArbitrary = fc.record({
  id: fc.constantFrom(
    ...Array.from({ length: 40 }, (_, i) => `conn_${String(i).padStart(2, '0')}`),
    'conn_😀',
    'conn_\uE000',
  ),
  displayName: fc.constantFrom(...NAMES),
  // Pieces arrive in any order, so their ranks (the pieceName sort) are worked out again as they do.
  pieceName: fc.constantFrom('slack', 'gmail', 'asana', '😀piece', '\uE000piece'),
  status: fc.constantFrom<ConnectionStatus>('ACTIVE', 'MISSING', 'ERROR'),
  scope: fc.constantFrom<ConnectionScope>('PROJECT', 'PLATFORM'),
  remoteKey: fc.constantFrom('', 'remote_a'),
  createdMs: fc.integer({ min: 0, max: 3 }),
  updatedMs: fc.integer({ min: 0, max: 3 }),
  expiryKey: fc.constantFrom(5, 10, 100, 86_400_010, 8_640_000_000_000_001),
  projectIds: fc.subarray(['p1', 'p2']),
})

/** The cursor position of a row: its sort key and id, as a page's last row gives it. */
function positionOf(entry: ListEntry, sort: ListSort) {
  const keys: Record<ListSort, string | number> = {
    updated: entry.updatedMs,
    created: entry.createdMs,
    displayName: entry.displayName,
    expiry: entry.expiryKey,
    status: statusSortKey(entry.status, entry.expiryKey),
    pieceName: entry.pieceName,
  }
  return { key: keys[sort], id: entry.id }
}

const compareIds = (a: string, b: string) => compareCodePoints(a, b)
const STATUS_RANK: Record<ConnectionStatus, number> = { ERROR: 0, MISSING: 1, ACTIVE: 2 }
const nocase = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase())

/** What each sort means in the ascending direction, written apart from the index. */
function ascending(sort: ListSort): (a: ListEntry, b: ListEntry) => number {
  const byId = (a: ListEntry, b: ListEntry) => compareIds(a.id, b.id)
  const keyed: Record<ListSort, (a: ListEntry, b: ListEntry) => number> = {
    updated: (a, b) => a.updatedMs - b.updatedMs,
    created: (a, b) => a.createdMs - b.createdMs,
    displayName: (a, b) => compareCodePoints(nocase(a.displayName), nocase(b.displayName)),
    expiry: (a, b) => a.expiryKey - b.expiryKey,
    status: (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.expiryKey - b.expiryKey,
    pieceName: (a, b) => compareCodePoints(a.pieceName, b.pieceName),
  }
  return (a, b) => keyed[sort](a, b) || byId(a, b)
}

/** The filter and sort by brute force: expiry as the contract states it, (now, now + soonMs], 24 h unless given. */
function modelOf(entries: ListEntry[], filter: ListFilter): string[] {
  const soon = filter.soonMs ?? 24 * 60 * 60 * 1000
  const now = filter.now ?? 0
  const inExpiry = (e: ListEntry) =>
    !filter.expiry ||
    (filter.expiry.includes('expired') && e.expiryKey <= now) ||
    (filter.expiry.includes('expiring') && e.expiryKey > now && e.expiryKey <= now + soon)
  const matching = entries.filter(
    (e) =>
      (filter.pieceName === undefined || e.pieceName === filter.pieceName) &&
      (filter.status === undefined || filter.status.includes(e.status)) &&
      (filter.scope === undefined || e.scope === filter.scope) &&
      (filter.remoteId === undefined || e.remoteKey === (filter.remoteId ?? '')) &&
      (filter.projectId === undefined || e.projectIds.includes(filter.projectId)) &&
      (filter.displayName === undefined || e.displayName.toLowerCase().includes(filter.displayName)) &&
      inExpiry(e),
  )
  const sorted = matching.sort(ascending(filter.sort))
  if ((filter.order as SortOrder) === 'desc') sorted.reverse()
  return sorted.map((e) => e.id)
}

/** Every id of the list in a sort's order, walked a page at a time; `entries` holds each row as it is now. */
function walkAll(index: ListIndex, filter: ListFilter, entries: ReadonlyMap<string, ListEntry>): string[] {
  const seen: string[] = []
  let page = index.page(filter, 'next', null, 3)
  while (page.length > 0) {
    seen.push(...page)
    page = index.page(filter, 'next', positionOf(entries.get(page.at(-1)!)!, filter.sort), 3)
  }
  return seen
}

describe('the list in memory', () => {
  it.each([
    ['gathering the few rows of a piece, remote or project', undefined],
    ['walking every order', 0],
  ])(
    'keeps every order and filter as a fresh build has them, through puts and removes few and many (%s)',
    (_, fewCandidates) => {
      fc.assert(
        fc.property(
          fc.array(entryArbitrary, { maxLength: 30 }),
          fc.array(
            fc.record({
              put: fc.array(entryArbitrary, { maxLength: 80 }),
              remove: fc.array(fc.nat(60), { maxLength: 10 }),
            }),
            { maxLength: 5 },
          ),
          (initial, batches) => {
            const index = createListIndex({ fewCandidates })
            const latest = new Map<string, ListEntry>()
            const put = (entries: ListEntry[]) => entries.forEach((entry) => latest.set(entry.id, entry))
            index.apply(initial, [])
            put(initial)
            // Orders and filters built before the changes, so apply must keep them up to date.
            for (const sort of LIST_SORTS) walkAll(index, { sort, order: defaultOrderOf(sort) }, latest)
            index.slice({ sort: 'updated', order: 'desc', displayName: 's', projectId: 'p1' }, 0, 5)
            // A longer search is narrowed from the kept matches of a shorter one inside it.
            index.slice({ sort: 'updated', order: 'desc', displayName: 'sl' }, 0, 5)
            index.facets()
            for (const batch of batches) {
              const ids = [...latest.keys()]
              const removed = batch.remove.map((n) => ids[n % Math.max(1, ids.length)]!).filter(Boolean)
              index.apply(batch.put, removed)
              removed.forEach((id) => latest.delete(id))
              put(batch.put)
            }
            const fresh = createListIndex()
            fresh.apply([...latest.values()], [])
            expect(index.size).toBe(latest.size)
            const filters: Omit<ListFilter, 'sort' | 'order'>[] = [
              {},
              { displayName: 's', projectId: 'p1' },
              { displayName: 's' },
              { displayName: 'sl' },
              { displayName: 'ack' },
              { projectId: 'p1' },
              { status: ['ERROR', 'MISSING'], remoteId: null },
              { pieceName: 'gmail', scope: 'PLATFORM', remoteId: 'remote_a' },
              { projectId: 'p2' },
              { expiry: ['expired'], now: 10 },
              { expiry: ['expiring'], now: 10 },
              { expiry: ['expiring'], now: 10, soonMs: 90 },
              { expiry: ['expired', 'expiring'], now: 10, status: ['ACTIVE'] },
            ]
            for (const sort of LIST_SORTS) {
              for (const order of SORT_ORDERS) {
                for (const filter of filters) {
                  const full = { ...filter, sort, order }
                  const walked = walkAll(index, full, latest)
                  expect(walked).toEqual(walkAll(fresh, full, latest))
                  expect(walked).toEqual(modelOf([...latest.values()], full))
                  expect(index.slice(full, 1, 4)).toEqual(fresh.slice(full, 1, 4))
                }
              }
            }
            expect(index.facets()).toEqual(fresh.facets())
            expect(index.facets().pieces.reduce((sum, piece) => sum + piece.count, 0)).toBe(latest.size)
          },
        ),
        { numRuns: 150 },
      )
    },
  )

  it('moves a few updated rows within each order as a fresh build places them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.nat(59), entryArbitrary), { minLength: 1, maxLength: 8 }), {
          minLength: 1,
          maxLength: 6,
        }),
        (updates) => {
          const ids = Array.from({ length: 60 }, (_, i) => `conn_${String(i).padStart(2, '0')}`)
          const latest = new Map<string, ListEntry>()
          const start = fc.sample(entryArbitrary, { numRuns: 60, seed: 7 })
          ids.forEach((id, i) => latest.set(id, { ...start[i]!, id }))
          const index = createListIndex()
          index.apply([...latest.values()], [])
          for (const sort of LIST_SORTS) walkAll(index, { sort, order: defaultOrderOf(sort) }, latest)
          // Rows that stay: the same number in every order before and after, so they move in place.
          for (const batch of updates) {
            const put = batch.map(([n, entry]) => ({ ...entry, id: ids[n]! }))
            index.apply(put, [])
            put.forEach((entry) => latest.set(entry.id, entry))
          }
          for (const sort of LIST_SORTS) {
            const filter = { sort, order: defaultOrderOf(sort) }
            expect(walkAll(index, filter, latest)).toEqual(modelOf([...latest.values()], filter))
          }
        },
      ),
      { numRuns: 100 },
    )
  })

  it('compares text as SQLite does, by UTF-8 bytes (code points), not by UTF-16 units', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))
        expect(Math.sign(compareCodePoints(a, b))).toBe(bytes)
      }),
    )
    expect(compareCodePoints('a😀', 'a\uE000')).toBeGreaterThan(0)
    expect('a😀' < 'a\uE000').toBe(true)
  })

  it('answers nothing for a piece, remote or project it has never seen', () => {
    const index = createListIndex()
    index.apply(
      [
        {
          id: 'c1',
          displayName: 'Slack',
          pieceName: 'slack',
          status: 'ACTIVE',
          scope: 'PROJECT',
          remoteKey: '',
          createdMs: 1,
          updatedMs: 1,
          expiryKey: 1,
          projectIds: ['p1'],
        },
      ],
      [],
    )
    for (const filter of [{ pieceName: 'gmail' }, { remoteId: 'remote_x' }, { projectId: 'p9' }]) {
      expect(index.slice({ ...filter, sort: 'updated', order: 'desc' }, 0, 10)).toEqual({ total: 0, ids: [] })
      expect(index.page({ ...filter, sort: 'updated', order: 'desc' }, 'next', null, 10)).toEqual([])
    }
    expect(index.slice({ projectId: 'p1', sort: 'updated', order: 'desc' }, 0, 10)).toEqual({
      total: 1,
      ids: ['c1'],
    })
  })
})

describe('the notes that keep it up to date', () => {
  let h: ConnectionsHarness
  beforeEach(async () => {
    h = await connectionsHarness({ listIndexes: createListIndexes({ schedule: null, catchUpAtMost: 1000 }) })
  })
  afterEach(async () => {
    await h.dispose()
  })

  const db = () => h.session.db
  const insert = (id: string, name: string, externalId = id) =>
    db()
      .prepare(
        `INSERT INTO connections (id, external_id, display_name, type, piece_name, scope, status, created_ms, updated_ms)
         VALUES (?, ?, ?, 'NO_AUTH', 'piece', 'PROJECT', 'ACTIVE', 0, 0)`,
      )
      .run(id, externalId, name)
  /** Every connection as id:name by name, and the total, which must count exactly those. */
  const names = async () => {
    const answer = await h.call<{ data: { id: string; displayName: string }[]; total: number }>(
      'connections.slice',
      { sort: 'displayName', offset: 0, limit: 100 },
    )
    expect(answer.total).toBe(answer.data.length)
    return answer.data.map((c) => `${c.id}:${c.displayName}`)
  }

  it('sees rows inserted, renamed, deleted and re-linked by any statement', async () => {
    for (let i = 0; i < 4; i++) insert(`c${i}`, `Slack ${i}`)
    expect(await names()).toEqual(['c0:Slack 0', 'c1:Slack 1', 'c2:Slack 2', 'c3:Slack 3'])
    insert('c4', 'Gmail 4')
    db().prepare(`UPDATE connections SET display_name = 'ÜBER 1' WHERE id = 'c1'`).run()
    db().prepare(`DELETE FROM connections WHERE id = 'c2'`).run()
    db().prepare(`INSERT INTO connection_projects (connection_id, project_id) VALUES ('c3', 'p1')`).run()
    expect(await names()).toEqual(['c4:Gmail 4', 'c0:Slack 0', 'c3:Slack 3', 'c1:ÜBER 1'])
    const inProject = await h.call<{ total: number }>('connections.slice', {
      projectId: 'p1',
      offset: 0,
      limit: 5,
    })
    expect(inProject.total).toBe(1)
  })

  it('reads every row in chunks, whatever its rowid (negative, or beyond what a double holds exactly)', async () => {
    const chunked = await connectionsHarness({
      listIndexes: createListIndexes({ schedule: null, chunkRows: 2 }),
    })
    try {
      const put = chunked.session.db.prepare(
        `INSERT INTO connections (rowid, id, external_id, display_name, type, piece_name, scope, status, created_ms, updated_ms)
         VALUES (?, ?, ?, ?, 'NO_AUTH', 'piece', 'PROJECT', 'ACTIVE', 0, 0)`,
      )
      const rowids = [-(2n ** 62n), -1n, 5n, 2n ** 53n + 1n, 2n ** 53n + 2n, 2n ** 62n]
      rowids.forEach((rowid, i) => put.run(rowid, `c${i}`, `c${i}`, `Row ${i}`))
      const answer = await chunked.call<{ data: { id: string }[]; total: number }>('connections.slice', {
        sort: 'displayName',
        offset: 0,
        limit: 10,
      })
      expect(answer.total).toBe(rowids.length)
      expect(answer.data.map((c) => c.id)).toEqual(rowids.map((_, i) => `c${i}`))
    } finally {
      await chunked.dispose()
    }
  })

  it('sees a row that INSERT OR REPLACE deletes over the natural key, under another id', async () => {
    insert('c0', 'Slack 0', 'ext')
    insert('c1', 'Slack 1')
    expect(await names()).toEqual(['c0:Slack 0', 'c1:Slack 1'])
    db()
      .prepare(
        `INSERT OR REPLACE INTO connections (id, external_id, display_name, type, piece_name, scope, status, created_ms, updated_ms)
         VALUES ('c9', 'ext', 'Gmail', 'NO_AUTH', 'piece', 'PROJECT', 'ACTIVE', 0, 0)`,
      )
      .run()
    expect(await names()).toEqual(['c9:Gmail', 'c1:Slack 1'])
  })

  it('sees a row whose id an UPDATE changes: the old id goes, the new one comes', async () => {
    insert('c0', 'Slack 0')
    insert('c1', 'Slack 1')
    expect(await names()).toEqual(['c0:Slack 0', 'c1:Slack 1'])
    db().prepare(`UPDATE connections SET id = 'c7' WHERE id = 'c0'`).run()
    db().prepare(`UPDATE connections SET id = id, display_name = 'Gmail' WHERE id = 'c1'`).run()
    expect(await names()).toEqual(['c1:Gmail', 'c7:Slack 0'])
  })

  it('forgets the notes of a write that rolled back, with the write', async () => {
    insert('c0', 'Slack 0')
    expect(await names()).toEqual(['c0:Slack 0'])
    expect(() =>
      db().transaction(() => {
        insert('c1', 'Slack 1')
        db().prepare(`UPDATE connections SET display_name = 'Jira' WHERE id = 'c0'`).run()
        throw new Error('abort')
      })(),
    ).toThrow('abort')
    expect(db().prepare('SELECT count(*) FROM temp.latchkey_list_changes').pluck().get()).toBe(0)
    expect(await names()).toEqual(['c0:Slack 0'])
  })
})
