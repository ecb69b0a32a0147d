/**
 * The connection list's first page goes first after an unlock. Everything else the shell reads when
 * it mounts (the pickers' facets, the Health count) is a whole-vault pass in main, and main answers
 * one request at a time: at 100k connections those passes held the first rows back by hundreds of
 * milliseconds, and in browser mode they also took the few connections a browser opens to one
 * host. So background readers wait here until the first page has landed, and at most
 * FIRST_PAGE_AT_MOST_MS, so they never wait for a list nobody is looking at.
 */
export const FIRST_PAGE_AT_MOST_MS = 1500

let landed = false
const waiting = new Set<() => void>()
let cap: ReturnType<typeof setTimeout> | null = null

/** Runs `task` once the first page has landed (now, if it has). Returns a cancel. */
export function afterFirstPage(task: () => void): () => void {
  if (landed) {
    task()
    return () => {}
  }
  waiting.add(task)
  cap ??= setTimeout(firstPageLanded, FIRST_PAGE_AT_MOST_MS)
  return () => waiting.delete(task)
}

/** The list's first page answered (rows, none, or an error): let the others ask. */
export function firstPageLanded(): void {
  if (cap !== null) clearTimeout(cap)
  cap = null
  if (landed) return
  landed = true
  const tasks = [...waiting]
  waiting.clear()
  for (const task of tasks) task()
}

/** The vault locked: the next unlock's first page goes first again. */
export function forgetFirstPage(): void {
  if (cap !== null) clearTimeout(cap)
  cap = null
  landed = false
  waiting.clear()
}
