import type { RandomBytes } from '../adapters/random'
import { AppError } from '../../shared/errors'
import { deriveSubkey, EnvelopeError, open, seal } from './envelope'
import { KEY_WRAP_ROW, type VaultHeader } from './header'
import {
  deriveKeyFromPassword,
  KdfHeaderError,
  newKdfDescriptor,
  parseKdf,
  PRODUCT_SCRYPT_PARAMS,
  serializeKdf,
  type KdfDescriptor,
  type ScryptParams,
} from './kdf'

export interface VaultKdfPolicy {
  /** What new vaults and password changes use. */
  params: ScryptParams
  /** The weakest a vault header may ask for at unlock. */
  minimum: ScryptParams
}

export const PRODUCT_KDF_POLICY: VaultKdfPolicy = {
  params: PRODUCT_SCRYPT_PARAMS,
  minimum: PRODUCT_SCRYPT_PARAMS,
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
}

/** `vaultPath` only names the file in an error a person reads. */
export function createPasswordWrapping(
  policy: VaultKdfPolicy,
  random: RandomBytes,
  vaultPath: string,
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

  return {
    async wrap(password, vaultKey, keyVersion) {
      const descriptor = newKdfDescriptor(policy.params, random)
      const wrappingKey = await deriveWrappingKey(password, descriptor)
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
    },
    async unwrap(password, header) {
      const wrappingKey = await deriveWrappingKey(password, readDescriptor(header))
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
  }
}

async function deriveWrappingKey(password: string, descriptor: KdfDescriptor): Promise<Buffer> {
  const derived = await deriveKeyFromPassword(password, descriptor)
  const wrappingKey = deriveSubkey(derived, 'key-wrap-password')
  derived.fill(0)
  return wrappingKey
}
