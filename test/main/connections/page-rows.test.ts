import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection } from '../../../src/shared/contract'
import { readPageRows } from '../../../src/main/connections/page-rows'
import { toConnection } from '../../../src/main/connections/rows'
import { connectionsHarness, type ConnectionsHarness } from './support'

// A page's rows are read by the rowid the list in memory last saw (page-rows.ts). Whatever rowids it
// is given (right, unknown, pointing at another row, or at nothing), it must answer exactly what
// connections.get answers for each id, in the order asked, leaving out ids that are gone.

describe('reading a page of rows', () => {
  let h: ConnectionsHarness
  beforeEach(async () => {
    h = await connectionsHarness()
  })
  afterEach(async () => {
    await h.dispose()
  })

  async function fixture() {
    const made: AppConnection[] = []
    for (let i = 0; i < 5; i++)
      made.push(await h.upsert({ scope: 'PLATFORM', projectIds: i % 2 === 0 ? [`p${i}`, 'p_all'] : [] }))
    for (const [flow, index] of [
      ['flow_b', 0],
      ['flow_a', 0],
      ['flow_c', 2],
    ] as const)
      await h.call('flows.link', {
        flowId: flow,
        connectionId: made[index]!.id,
        flowName: flow,
        active: true,
      })
    const ids = made.map((connection) => connection.id)
    const rowidOf = h.session.db
      .prepare<[string], number>('SELECT rowid FROM connections WHERE id = ?')
      .pluck()
    return { ids, rowids: ids.map((id) => rowidOf.get(id)!) }
  }

  const expected = (ids: string[]) =>
    Promise.all(ids.map((id) => h.call<AppConnection>('connections.get', { id })))
  const read = (ids: string[], rowids: number[] | null) => {
    const { rows, related } = readPageRows(h.session.db, ids, rowids)
    return rows.map((row) => toConnection(row, related))
  }

  it('answers what connections.get does, in the order asked, whatever rowids it is told', async () => {
    const { ids, rowids } = await fixture()
    const order = [ids[3]!, ids[0]!, ids[4]!, ids[2]!, ids[1]!]
    const want = await expected(order)
    expect(want[1]!.flowIds).toEqual(['flow_a', 'flow_b'])
    expect(want[1]!.projectIds).toEqual(['p0', 'p_all'])
    const rowidOf = (id: string) => rowids[ids.indexOf(id)]!
    expect(read(order, order.map(rowidOf))).toEqual(want)
    expect(read(order, null)).toEqual(want)
    expect(
      read(
        order,
        order.map(() => NaN),
      ),
    ).toEqual(want)
    // Each id told another row's rowid (as after a VACUUM renumbered them), or one nothing has.
    expect(read(order, [...order.slice(1), order[0]!].map(rowidOf))).toEqual(want)
    expect(
      read(
        order,
        order.map((_, i) => 10_000 + i),
      ),
    ).toEqual(want)
  })

  it('leaves out an id that is gone, even when its rowid now holds another connection', async () => {
    const { ids, rowids } = await fixture()
    await h.call('connections.delete', { id: ids[4]! })
    // The largest rowid was freed, so the next row takes it.
    const next = await h.upsert()
    const rowidOf = h.session.db
      .prepare<[string], number>('SELECT rowid FROM connections WHERE id = ?')
      .pluck()
    expect(rowidOf.get(next.id)).toBe(rowids[4])
    expect(read([ids[4]!, ids[2]!], [rowids[4]!, rowids[2]!])).toEqual(await expected([ids[2]!]))
    expect(read([next.id, ids[0]!], [rowids[4]!, rowids[0]!])).toEqual(await expected([next.id, ids[0]!]))
    expect(read([], [])).toEqual([])
  })
})
