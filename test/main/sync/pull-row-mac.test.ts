import { afterEach, expect, it } from 'vitest'
import { verifyRowMac } from '../../../src/main/vault/row-mac'
import { SLACK, syncHarness, type SyncHarness } from './support'

// The pull binds each new row's MAC in its own INSERT (the insert trigger steps aside): that MAC
// must be the one every later check expects, or the first use of a pulled row would be INTEGRITY.

let harness: SyncHarness | null = null
afterEach(async () => {
  await harness?.dispose()
  harness = null
})

it('a pulled row carries the MAC its checks expect, and a wrong one is still caught', async () => {
  harness = await syncHarness({ dialect: 'activepieces' })
  const h = harness
  h.server.seed('activepieces', [
    { externalId: 'one', pieceName: SLACK, displayName: 'First' },
    { externalId: 'two', pieceName: SLACK, displayName: 'Second' },
  ])
  expect((await h.sync()).pulled).toBe(2)
  const local = await h.local()
  const ids = ['one', 'two'].map((externalId) => local.get(externalId)!.id)
  for (const id of ids) expect(() => verifyRowMac(h.session.db, id)).not.toThrow()

  // The same check refuses a row whose stored MAC is not its own.
  const macOf = h.session.db.prepare('SELECT row_mac FROM connections WHERE id = ?').pluck()
  h.session.transaction(() =>
    h.session.db.prepare('UPDATE connections SET row_mac = ? WHERE id = ?').run(macOf.get(ids[1]), ids[0]),
  )
  expect(() => verifyRowMac(h.session.db, ids[0]!)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }))
})
