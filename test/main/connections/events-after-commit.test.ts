import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEventBus } from '../../../src/main/api/event-bus'
import { createConnectionsService, type ConnectionsService } from '../../../src/main/connections/service'
import { createManualClock } from '../../support/manual-clock'
import { createUnlockedTestCore, type UnlockedTestCore } from '../../support/vault'
import { SLACK, secretText } from './support'

// A refresher or a sync engine writes through the service, not the router: the service itself
// must announce its writes, and only once they are durable.
let t: UnlockedTestCore
let service: ConnectionsService
let heard: { ids: string[]; kind: string; inTransaction: boolean; visible: boolean }[]

const item = (externalId: string, overrides: Record<string, unknown> = {}) => ({
  displayName: `Slack ${externalId}`,
  pieceName: SLACK,
  pieceVersion: '0.10.0',
  type: 'SECRET_TEXT' as const,
  externalId,
  scope: 'PROJECT' as const,
  projectIds: [],
  preSelectForNewProjects: false,
  remoteId: null,
  value: secretText(),
  ...overrides,
})

beforeEach(async () => {
  t = await createUnlockedTestCore()
  const events = createEventBus()
  const clock = createManualClock()
  service = createConnectionsService({
    session: () => t.core.vault.requireSession(),
    clock,
    random: randomBytes,
    events,
  })
  heard = []
  events.subscribe((name, payload) => {
    if (name !== 'connections.changed') return
    const { ids, kind } = payload as { ids: string[]; kind: string }
    // What a window does on the event: read the row back. It must already be there, outside any transaction.
    const visible = t.session.db.prepare('SELECT 1 FROM connections WHERE id = ?').get(ids[0]) !== undefined
    heard.push({ ids, kind, inTransaction: t.session.db.inTransaction, visible })
  })
})

afterEach(async () => {
  await t.dispose()
})

describe('connections.changed from the service', () => {
  it('is emitted by a write that does not go through the router, after its transaction commits', () => {
    const { connection } = service.save(item('a'), 'upsert', 'refresher')
    expect(heard).toEqual([{ ids: [connection.id], kind: 'created', inTransaction: false, visible: true }])
    service.update({ id: connection.id, displayName: 'Renamed' }, 'refresher')
    expect(heard[1]).toEqual({ ids: [connection.id], kind: 'updated', inTransaction: false, visible: true })
  })

  it('is not emitted for a write that rolls back', () => {
    // The second item names a remote that does not exist: the first item's row is written, then
    // the whole transaction rolls back.
    expect(() =>
      service.saveBatch([item('b'), item('c', { remoteId: 'no-such-remote' })] as never, 'refresher'),
    ).toThrow()
    expect(heard).toEqual([])
    expect(t.session.db.prepare('SELECT count(*) AS n FROM connections').get()).toEqual({ n: 0 })
  })

  it('goes through the router once per write: the handlers no longer emit their own', async () => {
    const seen: string[] = []
    t.core.events.subscribe((name) => seen.push(name))
    await t.call('connections.upsert', item('d'))
    expect(seen).toEqual(['connections.changed'])
  })
})
