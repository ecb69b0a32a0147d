import { create } from 'zustand'

/** Which dialog is open. Radix dialogs are driven from here so shortcuts and the palette can open them. */
export type Dialog =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'edit'; id: string }
  | { kind: 'rotate'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'palette' }
  | { kind: 'settings' }

interface UiStore {
  dialog: Dialog
  openDialog(dialog: Dialog): void
  closeDialog(): void
}

export const useUiStore = create<UiStore>()((set) => ({
  dialog: { kind: 'none' },
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: { kind: 'none' } }),
}))

export const uiSelectors = {
  dialog: (s: UiStore) => s.dialog,
}
