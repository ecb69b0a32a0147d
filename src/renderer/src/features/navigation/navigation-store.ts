import { create } from 'zustand'

/** The view on screen. Its own store, so a feature can send the person elsewhere without importing the registry. */
interface NavigationStore {
  view: string
  go(view: string): void
}

export const DEFAULT_VIEW = 'connections'

export const useNavigationStore = create<NavigationStore>()((set) => ({
  view: DEFAULT_VIEW,
  go: (view) => set({ view }),
}))

export const navigationSelectors = {
  view: (s: NavigationStore) => s.view,
}
