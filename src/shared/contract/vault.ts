import { z } from 'zod'
import { event, procedure } from './define'

export type VaultState = 'uninitialized' | 'locked' | 'unlocked'

export interface KeychainStatus {
  /** Whether this host has a usable OS keychain at all (Electron safeStorage, Secret Service…). */
  available: boolean
  /** Whether the vault key is currently wrapped by it, so "unlock with keychain" can work. */
  enrolled: boolean
  /** Why it is unavailable, in words for a person ("No Secret Service is running"). */
  reason: string | null
}

export interface VaultStatus {
  state: VaultState
  keychain: KeychainStatus
  /** The vault file, so the user can find and back it up. */
  path: string
}

/** restore: a backup was restored in place of the vault, which opens with the backup's password. */
export type LockReason = 'manual' | 'idle' | 'suspend' | 'shutdown' | 'restore'

/** Limits a person can understand; strength is judged in main (vault/password-policy.ts). */
export const PASSWORD_MAX_LENGTH = 1024
const password = z
  .string()
  .min(1, 'Enter your master password.')
  .max(PASSWORD_MAX_LENGTH, `A master password can be at most ${PASSWORD_MAX_LENGTH} characters.`)

export const vaultProcedures = {
  'vault.status': procedure(z.object({}).strict()).returns<VaultStatus>(),
  'vault.create': procedure(
    z.object({ password, useKeychain: z.boolean().default(false) }).strict(),
  ).returns<VaultStatus>(),
  'vault.unlock': procedure(
    z.union([z.object({ password }).strict(), z.object({ method: z.literal('keychain') }).strict()]),
  ).returns<VaultStatus>(),
  'vault.lock': procedure(z.object({}).strict()).returns<VaultStatus>(),
  'vault.changePassword': procedure(
    z.object({ currentPassword: password, newPassword: password }).strict(),
  ).returns<VaultStatus>(),
  /**
   * Turns "unlock with the system keychain" on or off while unlocked. Off deletes the keychain's
   * entry and the header's wrap; the master password always keeps working.
   */
  'vault.setKeychainUnlock': procedure(z.object({ enabled: z.boolean() }).strict()).returns<VaultStatus>(),
  /** The renderer reports user activity (throttled) so idle auto-lock measures the person, not timers. */
  'vault.touch': procedure(z.object({}).strict()).returns<null>(),
}

export const vaultEvents = {
  'vault.stateChanged': event<{ state: VaultState; reason: LockReason | 'unlock' | 'create' }>(),
}
