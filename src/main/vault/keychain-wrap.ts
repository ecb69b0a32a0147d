import { createHash } from 'node:crypto'
import type { RandomBytes } from '../adapters/random'
import type { SecretKeeper } from '../adapters/secret-keeper'
import { deriveSubkey, EnvelopeError, KEY_BYTES, open, seal } from './envelope'
import { KEY_WRAP_ROW } from './header'

export interface KeychainWrapping {
  /** Header bytes: the keeper's blob, then the vault key sealed under the key the keeper holds. */
  wrap(vaultKey: Buffer, keyVersion: number): Promise<Buffer>
  /** The vault key; throws the keeper's KeeperError, or EnvelopeError for bytes that do not open. */
  unwrap(stored: Buffer, keyVersion: number): Promise<Buffer>
  /** Removes this vault's entry from the keychain. */
  forget(): Promise<void>
}

/** The name a keeper files this vault under: stable for the file's path, and no path in the keychain. */
export function keychainVaultId(vaultPath: string): string {
  return createHash('sha256').update(vaultPath).digest('hex').slice(0, 32)
}

/**
 * The keychain never holds the vault key itself: it wraps a random key-encryption key, and the
 * vault key is sealed under that with AES-GCM. A keeper answering with the wrong bytes then fails
 * authentication cleanly instead of yielding a wrong vault key.
 */
export function createKeychainWrapping(
  keeper: SecretKeeper,
  random: RandomBytes,
  vaultPath: string,
): KeychainWrapping {
  const vaultId = keychainVaultId(vaultPath)
  return {
    async wrap(vaultKey, keyVersion) {
      const kek = random(KEY_BYTES)
      const subkey = deriveSubkey(kek, 'key-wrap-keychain')
      try {
        const keeperBlob = await keeper.wrap(vaultId, kek)
        const sealed = seal({
          subkey,
          purpose: 'key-wrap-keychain',
          rowId: KEY_WRAP_ROW,
          keyVersion,
          plaintext: vaultKey,
          random,
        })
        const length = Buffer.alloc(4)
        length.writeUInt32BE(keeperBlob.length)
        return Buffer.concat([length, keeperBlob, sealed])
      } finally {
        kek.fill(0)
        subkey.fill(0)
      }
    },
    async unwrap(stored, keyVersion) {
      if (stored.length < 4) throw new EnvelopeError('malformed')
      const blobLength = stored.readUInt32BE(0)
      if (stored.length < 4 + blobLength) throw new EnvelopeError('malformed')
      const kek = await keeper.unwrap(vaultId, stored.subarray(4, 4 + blobLength))
      let subkey: Buffer
      try {
        // A keeper answering with the wrong length makes this throw: the key is zeroed all the same.
        subkey = deriveSubkey(kek, 'key-wrap-keychain')
      } finally {
        kek.fill(0)
      }
      try {
        return open({
          subkey,
          purpose: 'key-wrap-keychain',
          rowId: KEY_WRAP_ROW,
          keyVersion,
          envelope: stored.subarray(4 + blobLength),
        })
      } finally {
        subkey.fill(0)
      }
    },
    forget: () => keeper.forget(vaultId),
  }
}
