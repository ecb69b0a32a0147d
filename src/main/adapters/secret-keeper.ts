/**
 * The OS keychain as the vault sees it: something that can wrap the vault key so that only this
 * user on this machine can unwrap it (Electron safeStorage on the desktop; the Secret Service,
 * macOS Keychain or Windows Credential Manager in browser mode). The wrapped blob is stored in the
 * vault header; the keeper never sees the password.
 */
export interface SecretKeeper {
  availability(): Promise<KeeperAvailability>
  /** `vaultId` names the vault, for keepers that store an entry per vault. */
  wrap(vaultId: string, vaultKey: Buffer): Promise<Buffer>
  unwrap(vaultId: string, wrapped: Buffer): Promise<Buffer>
  /** Removes whatever the keeper stored for this vault (the keychain entry), when it stores anything. */
  forget(vaultId: string): Promise<void>
}

export interface KeeperAvailability {
  available: boolean
  /** Why not, in words for a person. */
  reason: string | null
}

/** A keeper's refusal; its message is written for a person and never quotes a secret. */
export class KeeperError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KeeperError'
  }
}
