import { create } from 'zustand'

interface SelectionStore {
  /** Row index in the current (filtered, sorted) list; the table keeps it in view. */
  index: number | null
  /** The connection the detail panel shows; survives re-sorting because it is an id. */
  openId: string | null
  select(index: number | null): void
  open(id: string | null): void
}

export const useSelectionStore = create<SelectionStore>()((set) => ({
  index: null,
  openId: null,
  select: (index) => set({ index }),
  open: (openId) => set({ openId }),
}))

export const selectionSelectors = {
  index: (s: SelectionStore) => s.index,
  openId: (s: SelectionStore) => s.openId,
  isSelected: (index: number) => (s: SelectionStore) => s.index === index,
}
