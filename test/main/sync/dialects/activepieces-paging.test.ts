import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSyncServer, type SyncServer } from '../../../support/sync-server'
import { clientFor, pullAll } from './support'

const SECOND = Date.UTC(2026, 5, 1, 12, 0, 0)

let server: SyncServer

beforeEach(async () => {
  server = await startSyncServer({ dialect: 'activepieces' })
})
afterEach(async () => {
  await server.close()
})

function seedInOneSecond(count: number, second = SECOND): string[] {
  return server
    .seed(
      'activepieces',
      Array.from({ length: count }, (_, index) => ({
        externalId: `same-${second}-${index}`,
        createdMs: second + (index % 1000),
      })),
    )
    .map((row) => row.id)
}

/** What a client that trusts the server's `next` gets: the trap this server sets on purpose. */
async function followServerCursors(limit: number): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  do {
    const url = new URL('/api/v1/app-connections', server.url)
    url.searchParams.set('projectId', server.projectId)
    url.searchParams.set('limit', String(limit))
    if (cursor) url.searchParams.set('cursor', cursor)
    const answer = await fetch(url, { headers: { authorization: `Bearer ${server.apiKey}` } })
    const page = (await answer.json()) as { data: { id: string }[]; next: string | null }
    ids.push(...page.data.map((row) => row.id))
    cursor = page.next
  } while (cursor)
  return ids
}

describe('Activepieces pull over a cursor that compares seconds with no tie-breaker', () => {
  it('the server really skips same-second rows for a client that follows its cursor', async () => {
    seedInOneSecond(500)
    const naive = await followServerCursors(7)
    expect(naive.length).toBe(7)
  })

  it('pulls 500 rows created in the same second across small pages: every row once, none twice', async () => {
    const seeded = seedInOneSecond(500)
    const { rows, pages } = await pullAll(clientFor(server.target, { pageSize: 7 }))

    const ids = rows.map((row) => row.remoteId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual([...seeded].sort())
    // Bounded: a request asks for at most twice the crowded second, and doubling needs few requests.
    const limits = server.requests().map((request) => Number(new URLSearchParams(request.query).get('limit')))
    expect(Math.max(...limits)).toBeLessThan(2 * 500)
    expect(limits.length).toBeLessThanOrEqual(Math.ceil(Math.log2(500 / 7)) + 1)
    expect(Math.max(...pages)).toBe(500)
  })

  it('pulls 500 same-second rows between busy neighbouring seconds without loss or repeat', async () => {
    const seeded = [
      ...seedInOneSecond(13, SECOND - 1000),
      ...seedInOneSecond(500, SECOND),
      ...seedInOneSecond(9, SECOND + 1000),
      ...seedInOneSecond(1, SECOND + 5000),
    ]
    const { rows } = await pullAll(clientFor(server.target, { pageSize: 10 }))
    const ids = rows.map((row) => row.remoteId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual([...seeded].sort())
    // Oldest first, as the server orders.
    const seconds = rows.map((row) => Math.floor(Date.parse(row.created) / 1000))
    expect([...seconds].sort((a, b) => a - b)).toEqual(seconds)
  })

  it('goes back to small requests after a crowded second', async () => {
    seedInOneSecond(300, SECOND)
    for (let index = 1; index <= 40; index += 1) seedInOneSecond(1, SECOND + index * 1000)
    await pullAll(clientFor(server.target, { pageSize: 10 }))
    const limits = server.requests().map((request) => Number(new URLSearchParams(request.query).get('limit')))
    expect(Math.max(...limits)).toBe(320)
    expect(limits.at(-1)).toBe(10)
  })

  it('for any spread of creation seconds and any page size, yields each row exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 120 }),
        fc.integer({ min: 1, max: 12 }),
        async (secondOffsets, pageSize) => {
          const local = await startSyncServer({ dialect: 'activepieces' })
          try {
            const seeded = local
              .seed(
                'activepieces',
                secondOffsets.map((offset, index) => ({
                  externalId: `p-${index}`,
                  createdMs: SECOND + offset * 1000 + (index % 997),
                })),
              )
              .map((row) => row.id)
            const { rows } = await pullAll(clientFor(local.target, { pageSize }))
            const ids = rows.map((row) => row.remoteId)
            expect(ids.length).toBe(seeded.length)
            expect(new Set(ids)).toEqual(new Set(seeded))
          } finally {
            await local.close()
          }
        },
      ),
      { numRuns: 30 },
    )
  })
})
