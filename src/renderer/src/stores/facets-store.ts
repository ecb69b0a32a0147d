import { create } from 'zustand'
import type { ConnectionFacets } from '../../../shared/contract'
import { api } from './api'
import { handleLockedError } from './vault-store'

/**
 * The vault's pieces, projects and remotes with their counts, for the filter bar's pickers. Main
 * counts them from the list in memory (connections.facets, one pass), so asking again after a
 * change is cheap; the last answer stays on screen meanwhile.
 */
interface FacetsStore {
  facets: ConnectionFacets | null
  load(): void
}

/**
 * At most one question in flight and one a second: a sync or the token refresher can change
 * thousands of connections in a burst, each announced, and counts a second old are fine for a picker.
 */
const AT_MOST_EVERY_MS = 1000

export const useFacetsStore = create<FacetsStore>()((set) => {
  let busy = false
  let again = false
  let lastAt = -Infinity

  function ask(): void {
    busy = true
    again = false
    lastAt = performance.now()
    api()
      .connections.facets({})
      .then((facets) => {
        // Main is still reading the list after the vault opened: keep what is shown, ask again.
        if (facets.partial) again = true
        else set({ facets })
      })
      .catch((failure: unknown) => handleLockedError(failure))
      .finally(() => {
        busy = false
        if (again) schedule()
      })
  }

  function schedule(): void {
    if (busy) {
      again = true
      return
    }
    const wait = lastAt + AT_MOST_EVERY_MS - performance.now()
    if (wait <= 0) return ask()
    busy = true
    setTimeout(() => {
      busy = false
      ask()
    }, wait)
  }

  return { facets: null, load: schedule }
})
