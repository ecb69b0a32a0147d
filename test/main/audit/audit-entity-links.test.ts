import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppConnection, AuditEntry, AuditPage, AuditVerification } from '../../../src/shared/contract'
import { connectionsHarness, insertRemote, secretText, type ConnectionsHarness } from '../connections/support'

// A connection's history (audit.list with entityId) walks per-entity links (schema 9) instead of an
// index on the whole log. Checked against the log itself: the same entries, in the same order, on
// every page, in both directions, for every kind of writer; and audit.verify finds an edited link.

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

const list = (input: Record<string, unknown>) => h.call<AuditPage>('audit.list', input)

/** What the history must be: every entry about the entity in the whole log, newest first. */
function fromTheLog(entityId: string, actions?: string[]): number[] {
  return (
    h.session.db
      .prepare('SELECT seq, action FROM audit_log WHERE entity_id = ? ORDER BY seq DESC')
      .all(entityId) as { seq: number; action: string }[]
  )
    .filter((row) => !actions || actions.includes(row.action))
    .map((row) => row.seq)
}

/** Pages older with next until the end, then back newer with previous until the start. */
async function bothWays(input: Record<string, unknown>): Promise<{ older: number[]; newer: number[] }> {
  const pages: AuditPage[] = []
  let page = await list(input)
  pages.push(page)
  while (page.next) {
    page = await list({ ...input, cursor: page.next })
    pages.push(page)
  }
  const newer: number[][] = [page.data.map((e: AuditEntry) => e.seq)]
  while (page.previous) {
    page = await list({ ...input, cursor: page.previous })
    newer.unshift(page.data.map((e: AuditEntry) => e.seq))
  }
  return { older: pages.flatMap((p) => p.data.map((e) => e.seq)), newer: newer.flat() }
}

async function everyWriter(): Promise<AppConnection[]> {
  const a = await h.upsert({ displayName: 'A' })
  const b = await h.upsert({ displayName: 'B' })
  await h.call('connections.upsertBatch', {
    items: [
      { ...batchItem('A2'), externalId: a.externalId },
      batchItem('C'),
      { ...batchItem('B2'), externalId: b.externalId },
    ],
  })
  await h.call('connections.rotate', { id: a.id, value: secretText('rotated') })
  await h.call('connections.update', { id: b.id, displayName: 'B renamed' })
  await h.call('connections.reveal', { id: a.id })
  await h.call('clipboard.copySecret', { connectionId: b.id })
  await h.upsert({ displayName: 'A3', externalId: a.externalId })
  return [a, b]
}

function batchItem(displayName: string) {
  return {
    remoteId: null,
    displayName,
    pieceName: '@activepieces/piece-slack',
    pieceVersion: '0.10.0',
    type: 'SECRET_TEXT',
    externalId: `ext_${displayName}`,
    projectIds: [],
    scope: 'PROJECT',
    value: secretText(),
  }
}

describe("a connection's history by its links", () => {
  it('is the log filtered by entity, whoever wrote the entries: upsert, batch, rotate, rename, reveal, copy', async () => {
    const [a, b] = await everyWriter()
    for (const connection of [a, b]) {
      const expected = fromTheLog(connection.id)
      expect(expected.length).toBeGreaterThanOrEqual(4)
      for (const limit of [1, 2, 3, 50]) {
        expect(await bothWays({ entityId: connection.id, limit })).toEqual({
          older: expected,
          newer: expected,
        })
      }
      const actions = ['connection.reveal', 'connection.copy', 'connection.rotate']
      const picked = fromTheLog(connection.id, actions)
      expect(picked.length).toBeGreaterThan(0)
      expect((await bothWays({ entityId: connection.id, actions, limit: 1 })).older).toEqual(picked)
    }
    expect(await h.call<AuditVerification>('audit.verify')).toMatchObject({ ok: true })
  })

  it('keeps a deleted connection’s history, and a remote’s (no connection row) has its own', async () => {
    const [a] = await everyWriter()
    const before = fromTheLog(a.id)
    await h.call('connections.delete', { id: a.id })
    const after = fromTheLog(a.id)
    expect(after.slice(1)).toEqual(before)
    expect((await bothWays({ entityId: a.id, limit: 2 })).older).toEqual(after)
    insertRemote(h.session, 'remote_links')
    for (let i = 0; i < 3; i += 1)
      h.session.transaction(() =>
        h.session.audit({
          action: 'settings.change',
          origin: 'test',
          entityType: 'remote',
          entityId: 'remote_links',
        }),
      )
    expect((await bothWays({ entityId: 'remote_links', limit: 2 })).older).toEqual(fromTheLog('remote_links'))
    expect(await h.call<AuditVerification>('audit.verify')).toMatchObject({ ok: true })
  })

  it('an entity with no entry has an empty history', async () => {
    await everyWriter()
    expect(await list({ entityId: 'conn_nobody', limit: 10 })).toEqual({
      data: [],
      next: null,
      previous: null,
    })
  })

  it('audit.verify reports an edited link and an edited head as entries hidden from the history', async () => {
    const [a, b] = await everyWriter()
    const db = h.session.db
    db.exec('DROP TRIGGER audit_log_no_update')
    const [newestOfA, , thirdOfA] = fromTheLog(a.id)
    // The link past one entry: the history skips it.
    db.prepare('UPDATE audit_log SET entity_prev = ? WHERE seq = ?').run(thirdOfA, newestOfA)
    // The head one entry back: the history starts below the newest.
    const [newestOfB, secondOfB] = fromTheLog(b.id)
    db.prepare('UPDATE connections SET audit_head = ? WHERE id = ?').run(secondOfB, b.id)
    const verification = await h.call<AuditVerification>('audit.verify')
    expect(verification.ok).toBe(false)
    expect(verification.breaks).toEqual(
      [newestOfA!, newestOfB!]
        .sort((x, y) => x - y)
        .map((seq) => ({ fromSeq: seq, toSeq: seq, reason: 'unlinked' })),
    )
    // The chain itself holds: every entry still matches its hash and MAC.
    expect(verification.anchor).toBeUndefined()
  })

  it('a link that loops or wanders into another entity ends the walk instead of showing wrong entries', async () => {
    const [a, b] = await everyWriter()
    const db = h.session.db
    db.exec('DROP TRIGGER audit_log_no_update')
    const [newestOfA] = fromTheLog(a.id)
    const [newestOfB] = fromTheLog(b.id)
    db.prepare('UPDATE audit_log SET entity_prev = ? WHERE seq = ?').run(newestOfA, newestOfA)
    expect((await list({ entityId: a.id, limit: 50 })).data.map((e) => e.seq)).toEqual([newestOfA])
    db.prepare('UPDATE audit_log SET entity_prev = ? WHERE seq = ?').run(newestOfB, newestOfA)
    const shown = (await list({ entityId: a.id, limit: 50 })).data
    expect(shown.every((entry) => entry.entityId === a.id)).toBe(true)
  })
})
