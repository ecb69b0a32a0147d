import { create } from 'zustand'
import type { ConnectionFacets } from '../../../shared/contract'
import { api } from './api'
import { handleLockedError } from './vault-store'

/**
 * The vault's pieces, projects and remotes with their counts, for the filter bar's pickers. Main
 * counts them from the list in memory (connections.facets), so asking again after every change is
 * cheap; the last answer stays on screen meanwhile.
 */
interface FacetsStore {
  facets: ConnectionFacets | null
  load(): void
}

let asked = 0

export const useFacetsStore = create<FacetsStore>()((set) => ({
  facets: null,
  load: () => {
    const ticket = (asked += 1)
    api()
      .connections.facets({})
      .then((facets) => {
        if (ticket === asked) set({ facets })
      })
      .catch((failure: unknown) => handleLockedError(failure))
  },
}))
