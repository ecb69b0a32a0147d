import { create } from 'zustand'
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/contract/settings'
import type { AppError } from '../../../shared/errors'
import { api, asAppError } from './api'

interface SettingsStore {
  settings: Settings
  status: 'idle' | 'loading' | 'error'
  error: AppError | null
  load(): Promise<void>
  save(patch: Partial<Settings>): Promise<boolean>
}

export const useSettingsStore = create<SettingsStore>()((set) => ({
  // Until main answers, the contract's defaults keep reveal and clipboard timers sensible.
  settings: DEFAULT_SETTINGS,
  status: 'idle',
  error: null,
  load: async () => {
    set({ status: 'loading', error: null })
    try {
      set({ settings: await api().settings.get(), status: 'idle' })
    } catch (failure) {
      set({ status: 'error', error: asAppError(failure) })
    }
  },
  save: async (patch) => {
    set({ status: 'loading', error: null })
    try {
      set({ settings: await api().settings.set(patch), status: 'idle' })
      return true
    } catch (failure) {
      set({ status: 'error', error: asAppError(failure) })
      return false
    }
  },
}))

export const settingsSelectors = {
  revealHideSeconds: (s: SettingsStore) => s.settings.revealHideSeconds,
  clipboardClearSeconds: (s: SettingsStore) => s.settings.clipboardClearSeconds,
}
