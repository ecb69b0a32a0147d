import type { RandomBytes } from '../adapters/random'
import { AppError } from '../../shared/errors'
import { deriveSubkey, EnvelopeError, open, seal } from './envelope'
import { KEY_WRAP_ROW, type VaultHeader } from './header'
import {
  deriveKeyFromPassword,
  describeKdf,
  isAtLeast,
  KdfHeaderError,
  newKdfDescriptor,
  parseKdf,
  PRODUCT_KDF_CHOICE,
  PRODUCT_KDF_MINIMUM,
  serializeKdf,
  type DeriveKey,
  type KdfChoice,
  type KdfDescriptor,
  type KdfMinimum,
} from './kdf'

export interface VaultKdfPolicy {
  /** What new vaults, password changes and upgrades at unlock use. */
  params: KdfChoice
  /** The weakest a vault header may ask for at unlock, per algorithm. */
  minimum: KdfMinimum
}

export const PRODUCT_KDF_POLICY: VaultKdfPolicy = {
  params: PRODUCT_KDF_CHOICE,
  minimum: PRODUCT_KDF_MINIMUM,
}

/** What the header stores for the password: how to derive the wrapping key, and the sealed vault key. */
export interface PasswordWrap {
  kdf: string
  wrapped: Buffer
}

export interface PasswordWrapping {
  /** Seals the vault key under a key derived from the password, with a fresh salt. */
  wrap(password: string, vaultKey: Buffer, keyVersion: number): Promise<PasswordWrap>
  /** The vault key, or null when the password is wrong; INTEGRITY when the header's KDF is unusable. */
  unwrap(password: string, header: VaultHeader): Promise<Buffer | null>
  /**
   * A new wrap under this build's KDF when the header's is an older algorithm or weaker settings,
   * else null. `vaultKey` is the one `password` just unwrapped.
   */
  upgrade(password: string, vaultKey: Buffer, header: VaultHeader): Promise<KdfUpgrade | null>
}

/** A re-wrap of the vault key, and what it replaces, in words for the audit trail. */
export interface KdfUpgrade {
  wrap: PasswordWrap
  from: string
  to: string
}

/** `vaultPath` only names the file in an error a person reads. */
export function createPasswordWrapping(
  policy: VaultKdfPolicy,
  random: RandomBytes,
  vaultPath: string,
  deriveKey: DeriveKey = deriveKeyFromPassword,
): PasswordWrapping {
  function readDescriptor(header: VaultHeader): KdfDescriptor {
    try {
      return parseKdf(header.kdf, policy.minimum)
    } catch (error) {
      if (error instanceof KdfHeaderError)
        throw new AppError('INTEGRITY', {
          message: `${error.message} (${vaultPath})`,
          entityType: 'vault',
          entityId: vaultPath,
        })
      throw error
    }
  }

  async function wrapKey(password: string, vaultKey: Buffer, keyVersion: number): Promise<PasswordWrap> {
    const descriptor = newKdfDescriptor(policy.params, random)
    const wrappingKey = await deriveWrappingKey(deriveKey, password, descriptor)
    try {
      const wrapped = seal({
        subkey: wrappingKey,
        purpose: 'key-wrap-password',
        rowId: KEY_WRAP_ROW,
        keyVersion,
        plaintext: vaultKey,
        random,
      })
      return { kdf: serializeKdf(descriptor), wrapped }
    } finally {
      wrappingKey.fill(0)
    }
  }

  return {
    wrap: wrapKey,
    async unwrap(password, header) {
      const wrappingKey = await deriveWrappingKey(deriveKey, password, readDescriptor(header))
      try {
        return open({
          subkey: wrappingKey,
          purpose: 'key-wrap-password',
          rowId: KEY_WRAP_ROW,
          keyVersion: header.keyVersion,
          envelope: header.wrappedKeyPassword,
        })
      } catch (error) {
        if (error instanceof EnvelopeError) return null
        throw error
      } finally {
        wrappingKey.fill(0)
      }
    },
    async upgrade(password, vaultKey, header) {
      const current = readDescriptor(header)
      if (isAtLeast(current, policy.params)) return null
      const wrap = await wrapKey(password, vaultKey, header.keyVersion)
      return { wrap, from: describeKdf(current), to: describeKdf(policy.params) }
    },
  }
}

async function deriveWrappingKey(
  deriveKey: DeriveKey,
  password: string,
  descriptor: KdfDescriptor,
): Promise<Buffer> {
  const derived = await deriveKey(password, descriptor)
  const wrappingKey = deriveSubkey(derived, 'key-wrap-password')
  derived.fill(0)
  return wrappingKey
}
