import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuditEntry, AuditPage } from '../../../src/shared/contract'
import { connectionsHarness, type ConnectionsHarness } from '../connections/support'

// audit.list's filters (action, connection, time) and paging, through the router on a real vault.

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

const list = (input: Record<string, unknown> = {}) => h.call<AuditPage>('audit.list', input)
const MINUTE = 60_000

/** Walks every page of a listing by its next cursor, newest first. */
async function everything(input: Record<string, unknown>): Promise<AuditEntry[]> {
  const seen: AuditEntry[] = []
  let cursor: string | undefined
  do {
    const page = await list({ ...input, ...(cursor ? { cursor } : {}) })
    seen.push(...page.data)
    cursor = page.next ?? undefined
  } while (cursor)
  return seen
}

describe('audit.list filters', () => {
  it('keeps only the actions asked for, newest first, across pages', async () => {
    const made = []
    for (let i = 0; i < 5; i += 1) made.push(await h.upsert({ displayName: `Conn ${i}` }))
    for (const connection of made) await h.call('connections.reveal', { id: connection.id })
    const reveals = await everything({ actions: ['connection.reveal'], limit: 2 })
    expect(reveals.map((e) => e.entityId)).toEqual(made.map((c) => c.id).reverse())
    expect(new Set(reveals.map((e) => e.action))).toEqual(new Set(['connection.reveal']))
    const both = await everything({ actions: ['connection.reveal', 'connection.create'], limit: 3 })
    expect(both).toHaveLength(10)
  })

  it('keeps only one connection, combined with an action', async () => {
    const a = await h.upsert()
    const b = await h.upsert()
    await h.call('connections.reveal', { id: a.id })
    await h.call('connections.reveal', { id: b.id })
    const onA = await everything({ entityId: a.id })
    expect(onA.length).toBeGreaterThanOrEqual(2)
    expect(onA.every((e) => e.entityId === a.id)).toBe(true)
    expect(await everything({ entityId: a.id, actions: ['connection.reveal'] })).toHaveLength(1)
  })

  it('keeps a time range: from inclusive, until exclusive', async () => {
    const start = h.clock.now()
    await h.upsert({ displayName: 'First' })
    // The person keeps working (keys and pointer reach main as vault.touch), so idle lock waits.
    h.clock.advance(10 * MINUTE)
    await h.call('vault.touch')
    await h.upsert({ displayName: 'Second' })
    h.clock.advance(10 * MINUTE)
    await h.call('vault.touch')
    await h.upsert({ displayName: 'Third' })
    const iso = (ms: number) => new Date(ms).toISOString()
    const middle = await everything({
      actions: ['connection.create'],
      since: iso(start + 10 * MINUTE),
      until: iso(start + 20 * MINUTE),
    })
    expect(middle.map((e) => e.details.displayName)).toEqual(['Second'])
    const fromMiddle = await everything({ actions: ['connection.create'], since: iso(start + 10 * MINUTE) })
    expect(fromMiddle.map((e) => e.details.displayName)).toEqual(['Third', 'Second'])
  })

  it('pages back with previous to exactly the page before', async () => {
    for (let i = 0; i < 5; i += 1) await h.upsert()
    const first = await list({ actions: ['connection.create'], limit: 2 })
    const second = await list({ actions: ['connection.create'], limit: 2, cursor: first.next })
    const back = await list({ actions: ['connection.create'], limit: 2, cursor: second.previous })
    expect(back.data.map((e) => e.seq)).toEqual(first.data.map((e) => e.seq))
    expect(back.previous).toBeNull()
  })

  it('refuses a range that ends before it starts, and a time that is not one, with VALIDATION', async () => {
    const backwards = await h.errorOf('audit.list', {
      since: '2026-01-02T00:00:00Z',
      until: '2026-01-01T00:00:00Z',
    })
    expect(backwards).toMatchObject({ code: 'VALIDATION', statusCode: 400 })
    expect(backwards.params.message).toContain('before its end')
    const notATime = await h.errorOf('audit.list', { since: 'yesterday' })
    expect(notATime).toMatchObject({ code: 'VALIDATION', statusCode: 400 })
  })
})
