import { cancelled } from './http-call'
import type { RemoteConnection } from './remote-client'
import { creationSecond } from './activepieces-records'

export interface ListPage {
  data: RemoteConnection[]
  next: string | null
}

export type FetchListPage = (
  query: { limit: number; cursor: string | undefined },
  signal: AbortSignal,
) => Promise<ListPage>

/**
 * The list cursor as paginator.ts builds it: base64("next_" + base64("created:" + epochMillis)).
 * The server keeps rows whose creation time, cut to the second, is after the cursor's instant.
 */
export function nextCursorAt(epochMillis: number): string {
  const inner = Buffer.from(`created:${epochMillis}`).toString('base64')
  return Buffer.from(`next_${inner}`).toString('base64')
}

/** A cursor whose page starts with every row created in `second` (whole second S is after S*1000 − 1 ms). */
export function cursorFromSecond(second: number): string {
  return nextCursorAt(second * 1000 - 1)
}

/** True when the server's cursor is the second-precision kind this pager knows how to craft. */
export function isSecondPrecisionCursor(cursor: string): boolean {
  const outer = Buffer.from(cursor, 'base64').toString('utf8')
  if (!outer.startsWith('next_')) return false
  const inner = Buffer.from(outer.slice('next_'.length), 'base64').toString('utf8')
  return /^created:-?\d+$/.test(inner)
}

/**
 * Every row exactly once, a page at a time, although the server's cursor compares creation times
 * to the second with no tie-breaker: following its `next` skips the rows of the page's last second
 * that did not fit (REFERENCE.md §1.2). So a page is trusted only for the seconds before its last
 * one; the next request starts AT that last second (a cursor crafted one millisecond before it).
 * When a whole page is one second, the limit doubles until the second fits — the server enforces
 * no bound — and drops back afterwards. Memory holds one page: at most twice the larger of the
 * page size and the biggest same-second group.
 *
 * A server whose cursor is another kind (a newer paginator with a tie-breaker) is followed as is,
 * with rows of the boundary second de-duplicated by id in case it repeats them.
 */
export async function* pagesWithoutGaps(
  fetchPage: FetchListPage,
  pageSize: number,
  signal: AbortSignal,
): AsyncIterable<RemoteConnection[]> {
  let cursor: string | undefined
  let limit = pageSize
  let followServer = false
  let boundary = { second: Number.NEGATIVE_INFINITY, ids: new Set<string>() }

  for (;;) {
    if (signal.aborted) throw cancelled()
    const page = await fetchPage({ limit, cursor }, signal)
    if (page.data.length === 0) return
    if (page.next !== null && !followServer && !isSecondPrecisionCursor(page.next)) followServer = true

    if (followServer) {
      const fresh = page.data.filter(
        (row) => !(creationSecond(row) === boundary.second && boundary.ids.has(row.remoteId)),
      )
      const last = page.data[page.data.length - 1]!
      const lastSecond = creationSecond(last)
      if (lastSecond !== boundary.second) boundary = { second: lastSecond, ids: new Set() }
      for (const row of page.data) if (creationSecond(row) === lastSecond) boundary.ids.add(row.remoteId)
      if (fresh.length > 0) yield fresh
      if (page.next === null) return
      cursor = page.next
      continue
    }

    if (page.next === null) {
      yield page.data
      return
    }
    const lastSecond = creationSecond(page.data[page.data.length - 1]!)
    const complete = page.data.filter((row) => creationSecond(row) < lastSecond)
    if (complete.length === 0) {
      // The whole page is one second and more rows follow: that second may not be whole yet.
      limit *= 2
      continue
    }
    yield complete
    cursor = cursorFromSecond(lastSecond)
    limit = pageSize
  }
}
