import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { inOrder } from '../../../src/main/connections/list-cache'
import { readNameIndex, stopNotingNames } from '../../../src/main/connections/name-index'
import { connectionsHarness, type ConnectionsHarness } from './support'

// The in-memory name index (src/main/connections/name-index.ts) keeps up with writes through temp
// triggers instead of being read again after each one. Rows are written with plain SQL here: the
// triggers must see every path, not only the connections service.

describe('name index', () => {
  let h: ConnectionsHarness
  beforeEach(async () => {
    h = await connectionsHarness()
  })
  afterEach(async () => {
    await h.dispose()
  })

  const db = () => h.session.db
  const rowidOf = (id: string) =>
    db().prepare('SELECT rowid FROM connections WHERE id = ?').pluck().get(id) as number
  const insert = (id: string, name: string) =>
    db()
      .prepare(
        `INSERT INTO connections (id, external_id, display_name, type, piece_name, scope, status, created_ms, updated_ms)
         VALUES (?, ?, ?, 'NO_AUTH', 'piece', 'PROJECT', 'ACTIVE', 0, 0)`,
      )
      .run(id, id, name)
  const sorted = (rowids: readonly number[]) => [...rowids].sort((a, b) => a - b)

  it('catches up with rows inserted, renamed and deleted by any statement, as a fresh read sees them', async () => {
    for (let i = 0; i < 6; i++) insert(`c${i}`, `Slack ${i}`)
    const index = readNameIndex(db())
    expect(index.matching('sl')).toHaveLength(6)
    insert('c6', 'Gmail 6')
    db().prepare(`UPDATE connections SET display_name = 'ÜBER 1' WHERE id = 'c1'`).run()
    db().prepare(`DELETE FROM connections WHERE id = 'c2'`).run()
    // A column other than the name: no note, nothing to do.
    db().prepare(`UPDATE connections SET status = 'ERROR' WHERE id = 'c3'`).run()
    // The deleted row's rowid taken again by a new row.
    const last = rowidOf('c6')
    db().prepare(`DELETE FROM connections WHERE id = 'c6'`).run()
    insert('c7', 'Slack reused')
    expect(rowidOf('c7')).toBe(last)
    expect(index.catchUp()).toBe(true)
    const fresh = readNameIndex(db())
    for (const needle of ['sl', 'ü', 'über', 'gm', 'reused', '1', 's']) {
      expect(sorted(index.matching(needle)), needle).toEqual(sorted(fresh.matching(needle)))
    }
    expect(sorted(index.matching('sl'))).toEqual(sorted(['c0', 'c3', 'c4', 'c5', 'c7'].map(rowidOf)))
    expect(index.matching('über')).toEqual([rowidOf('c1')])
  })

  it('forgets the notes of a write that rolled back, with the write', async () => {
    insert('c0', 'Slack 0')
    const index = readNameIndex(db())
    expect(() =>
      db().transaction(() => {
        insert('c1', 'Slack 1')
        db().prepare(`UPDATE connections SET display_name = 'Jira' WHERE id = 'c0'`).run()
        throw new Error('abort')
      })(),
    ).toThrow('abort')
    expect(db().prepare('SELECT count(*) FROM temp.latchkey_name_changes').pluck().get()).toBe(0)
    expect(index.catchUp()).toBe(true)
    expect(index.matching('sl')).toEqual([rowidOf('c0')])
  })

  it('will not catch up when a change went unnoted (REPLACE deletes without delete triggers): the caller reads afresh', async () => {
    insert('c0', 'Slack 0')
    insert('c1', 'Slack 1')
    const index = readNameIndex(db())
    db()
      .prepare(
        `INSERT OR REPLACE INTO connections (id, external_id, display_name, type, piece_name, scope, status, created_ms, updated_ms)
         VALUES ('c0', 'c0', 'Gmail', 'NO_AUTH', 'piece', 'PROJECT', 'ACTIVE', 0, 0)`,
      )
      .run()
    expect(index.catchUp()).toBe(false)
  })

  it('stops noting changes when told to (the vault locked)', async () => {
    readNameIndex(db())
    const temp = () =>
      db()
        .prepare(`SELECT name FROM sqlite_temp_master WHERE name LIKE 'latchkey_name%' ORDER BY name`)
        .pluck()
        .all()
    expect(temp()).toEqual([
      'latchkey_name_changes',
      'latchkey_name_deleted',
      'latchkey_name_inserted',
      'latchkey_name_renamed',
    ])
    stopNotingNames(db())
    expect(temp()).toEqual([])
    insert('c0', 'Slack 0')
  })
})

describe('inOrder', () => {
  it('keeps the rowids of the order that are in every set, in its order, for dense and sparse rowids', () => {
    expect(inOrder([5, 3, 9, 1, 7], [[1, 3, 7, 8]])).toEqual([3, 1, 7])
    expect(
      inOrder(
        [5, 3, 9, 1, 7],
        [
          [1, 3, 7],
          [7, 5, 3],
        ],
      ),
    ).toEqual([3, 7])
    expect(inOrder([5, 3], [[]])).toEqual([])
    const far = 2 ** 40
    expect(
      inOrder(
        [far + 2, 4, far, far + 1],
        [
          [far, 4, far + 2],
          [far + 2, far],
        ],
      ),
    ).toEqual([far + 2, far])
  })
})
