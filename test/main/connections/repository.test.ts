import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createConnectionsRepository } from '../../../src/main/connections/repository'
import { CONNECTION_COLUMNS } from '../../../src/main/connections/rows'
import { connectionsHarness, type ConnectionsHarness } from './support'

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

describe('the connections repository', () => {
  it('reads the row an upsert updates column for column as SQLite names them', async () => {
    const connection = await h.upsert({
      metadata: { team: 'ops' },
      scope: 'PLATFORM',
      projectIds: ['p2', 'p1'],
    })
    h.session.db
      .prepare(
        `UPDATE connections SET platform_id = 'plat', owner_id = 'u1', owner_email = 'ann@example.com',
           owner_first_name = 'Ann', owner_last_name = 'Lee', status_reason = 'why',
           last_refresh_failure_ms = 5, last_refresh_failure_reason = 'invalid_grant', last_used_ms = 7
         WHERE id = ?`,
      )
      .run(connection.id)
    const byName = h.session.db
      .prepare(
        `SELECT c.rowid AS rowid, ${CONNECTION_COLUMNS}, c.project_ids, c.row_mac, c.audit_head
         FROM connections c WHERE c.id = ?`,
      )
      .get(connection.id) as Record<string, unknown>
    const read = createConnectionsRepository(h.session.db).byNaturalKey(
      '',
      connection.pieceName,
      connection.externalId,
    )
    expect(read).toEqual(byName)
    expect(Object.keys(read!)).toEqual(Object.keys(byName))
    expect(Object.values(byName).filter((value) => value === null)).toEqual([null, null])
  })
})
