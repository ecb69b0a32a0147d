import { create } from 'zustand'
import type { KeychainStatus, LockReason, VaultState } from '../../../shared/contract'
import type { AppError } from '../../../shared/errors'
import { api, asAppError } from './api'

type Status = 'idle' | 'loading' | 'error'

interface VaultStore {
  /** null until the first vault.status answers. */
  state: VaultState | null
  keychain: KeychainStatus
  path: string
  /** Why the vault last locked, so the unlock screen can say "locked after 15 minutes idle". */
  lockReason: LockReason | null
  status: Status
  error: AppError | null
  refresh(): Promise<void>
  create(password: string, useKeychain: boolean): Promise<boolean>
  unlock(password: string): Promise<boolean>
  unlockWithKeychain(): Promise<boolean>
  lock(): Promise<void>
  /** Settings' keychain switch; answers the refusal instead of showing it on the vault screens. */
  setKeychainUnlock(enabled: boolean): Promise<AppError | null>
  /** Main told us (event) or answered VAULT_LOCKED: drop to the unlock screen. */
  markLocked(reason: LockReason): void
  clearError(): void
}

const noKeychain: KeychainStatus = { available: false, enrolled: false, reason: null }

// Passwords pass through these actions as arguments only; nothing here keeps them.
export const useVaultStore = create<VaultStore>()((set, get) => {
  async function run(work: () => Promise<{ state: VaultState; keychain: KeychainStatus; path: string }>) {
    set({ status: 'loading', error: null })
    try {
      const status = await work()
      set({ ...status, status: 'idle', lockReason: status.state === 'locked' ? get().lockReason : null })
      return true
    } catch (failure) {
      set({ status: 'error', error: asAppError(failure) })
      return false
    }
  }
  /** Updates only the keychain's status, keeping the error of the attempt that prompted it. */
  async function refreshKeychain() {
    try {
      set({ keychain: (await api().vault.status()).keychain })
    } catch {
      // The error already shown says enough; a failed status is not worth replacing it.
    }
  }
  return {
    state: null,
    keychain: noKeychain,
    path: '',
    lockReason: null,
    status: 'idle',
    error: null,
    refresh: async () => {
      await run(() => api().vault.status())
    },
    create: (password, useKeychain) => run(() => api().vault.create({ password, useKeychain })),
    unlock: (password) => run(() => api().vault.unlock({ password })),
    unlockWithKeychain: async () => {
      const ok = await run(() => api().vault.unlock({ method: 'keychain' }))
      // A refused keychain is often a keychain gone (keyring stopped, entry deleted): ask main again,
      // so the screen says why instead of offering the same button.
      if (!ok) await refreshKeychain()
      return ok
    },
    lock: async () => {
      set({ lockReason: 'manual' })
      await run(() => api().vault.lock())
    },
    setKeychainUnlock: async (enabled) => {
      try {
        set({ keychain: (await api().vault.setKeychainUnlock({ enabled })).keychain })
        return null
      } catch (failure) {
        await refreshKeychain()
        return asAppError(failure)
      }
    },
    markLocked: (reason) => set({ state: 'locked', lockReason: reason }),
    clearError: () => set({ error: null, status: 'idle' }),
  }
})

export const vaultSelectors = {
  state: (s: VaultStore) => s.state,
  isUnlocked: (s: VaultStore) => s.state === 'unlocked',
  busy: (s: VaultStore) => s.status === 'loading',
  error: (s: VaultStore) => s.error,
  keychain: (s: VaultStore) => s.keychain,
  lockReason: (s: VaultStore) => s.lockReason,
  path: (s: VaultStore) => s.path,
}

/** Any call that answers VAULT_LOCKED means auto-lock won a race with us: show the unlock screen. */
export function handleLockedError(failure: unknown): void {
  if (asAppError(failure).code === 'VAULT_LOCKED') useVaultStore.getState().markLocked('idle')
}
