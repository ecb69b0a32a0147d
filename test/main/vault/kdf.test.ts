import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  deriveKeyFromPassword,
  isAtLeast,
  KdfHeaderError,
  MAX_SCRYPT_MEMORY_BYTES,
  newKdfDescriptor,
  parseKdf,
  PRODUCT_ARGON2ID_PARAMS,
  PRODUCT_KDF_CHOICE,
  PRODUCT_KDF_MINIMUM,
  PRODUCT_SCRYPT_PARAMS,
  scryptMemory,
  serializeKdf,
  type KdfChoice,
} from '../../../src/main/vault/kdf'
import { TEST_KDF } from '../../support/vault'

const salt = randomBytes(32).toString('base64')
const header = (value: unknown) => () => parseKdf(JSON.stringify(value), PRODUCT_KDF_MINIMUM)

describe('kdf', () => {
  it('writes Argon2id at RFC 9106’s t=3, p=4 with 128 MiB, and still reads OWASP’s scrypt minimum', () => {
    expect(PRODUCT_KDF_CHOICE).toEqual({ algorithm: 'argon2id', params: PRODUCT_ARGON2ID_PARAMS })
    expect(PRODUCT_ARGON2ID_PARAMS).toEqual({ m: 131072, t: 3, p: 4 })
    expect(PRODUCT_SCRYPT_PARAMS).toEqual({ N: 2 ** 17, r: 8, p: 1 })
  })

  it('derives a 256-bit key with the product parameters, deterministic for the same salt', async () => {
    const descriptor = newKdfDescriptor(PRODUCT_KDF_CHOICE, randomBytes)
    const [a, b] = await Promise.all([
      deriveKeyFromPassword('correct horse battery staple', descriptor),
      deriveKeyFromPassword('correct horse battery staple', descriptor),
    ])
    expect(a.length).toBe(32)
    expect(a.equals(b)).toBe(true)
    const other = await deriveKeyFromPassword('correct horse battery stapler', descriptor)
    expect(other.equals(a)).toBe(false)
  })

  it('gives the reference implementation’s known answer (PHC test vector, Argon2id v1.3)', async () => {
    // phc-winner-argon2 test.c: argon2id, v=19, m=2^16 KiB, t=2, p=1, "password", "somesalt".
    const descriptor = (p: number) =>
      ({
        algorithm: 'argon2id',
        params: { m: 65536, t: 2, p },
        salt: Buffer.from('somesalt').toString('base64'),
      }) as const
    const key = await deriveKeyFromPassword('password', descriptor(1))
    expect(key.toString('hex')).toBe('09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7')
    // Lanes are part of the function: the same memory and passes in 2 lanes is a different key.
    expect((await deriveKeyFromPassword('password', descriptor(2))).equals(key)).toBe(false)
  })

  it('still derives scrypt keys for vaults and backups written before Argon2id', async () => {
    const descriptor = newKdfDescriptor({ algorithm: 'scrypt', params: TEST_KDF.minimum.scrypt }, randomBytes)
    const key = await deriveKeyFromPassword('correct horse battery staple', descriptor)
    expect(key.length).toBe(32)
  })

  it('derives the same key from NFC and NFD spellings of a password', async () => {
    for (const choice of [
      TEST_KDF.params,
      { algorithm: 'scrypt', params: TEST_KDF.minimum.scrypt },
    ] as KdfChoice[]) {
      const descriptor = newKdfDescriptor(choice, randomBytes)
      const nfc = await deriveKeyFromPassword('crème brûlée à la maison', descriptor)
      const nfd = await deriveKeyFromPassword('crème brûlée à la maison'.normalize('NFD'), descriptor)
      expect(nfc.equals(nfd)).toBe(true)
    }
  })

  it('round-trips its header JSON with algorithm, parameters and salt', () => {
    const descriptor = newKdfDescriptor(PRODUCT_KDF_CHOICE, randomBytes)
    const json = serializeKdf(descriptor)
    expect(JSON.parse(json)).toMatchObject({ algorithm: 'argon2id', params: { m: 131072, t: 3, p: 4 } })
    expect(parseKdf(json, PRODUCT_KDF_MINIMUM)).toEqual(descriptor)
    const legacy = newKdfDescriptor({ algorithm: 'scrypt', params: PRODUCT_SCRYPT_PARAMS }, randomBytes)
    expect(parseKdf(serializeKdf(legacy), PRODUCT_KDF_MINIMUM)).toEqual(legacy)
  })

  it('refuses headers that are unknown, below the minimum, or would exhaust memory or time', () => {
    expect(() => parseKdf('not json', PRODUCT_KDF_MINIMUM)).toThrow(KdfHeaderError)
    expect(header({ algorithm: 'md5', params: PRODUCT_SCRYPT_PARAMS, salt })).toThrow(KdfHeaderError)
    expect(header({ algorithm: 'argon2id', salt })).toThrow(/missing parameters/)
    expect(header({ algorithm: 'argon2id', params: { m: '131072', t: 3, p: 4 }, salt })).toThrow(
      /missing parameters/,
    )
    // A tampered header cannot make unlock cheap: less memory, or fewer passes, is refused.
    expect(header({ algorithm: 'argon2id', params: { m: 65536, t: 3, p: 4 }, salt })).toThrow(/minimum/)
    expect(header({ algorithm: 'argon2id', params: { m: 131072, t: 2, p: 4 }, salt })).toThrow(/minimum/)
    // Nor exhaust memory or time.
    expect(header({ algorithm: 'argon2id', params: { m: 2 ** 21, t: 3, p: 4 }, salt })).toThrow(/memory/)
    expect(header({ algorithm: 'argon2id', params: { m: 2 ** 20, t: 8, p: 4 }, salt })).toThrow(/m·t/)
    expect(header({ algorithm: 'argon2id', params: { m: 131072, t: 3, p: 64 }, salt })).toThrow(/lanes/)
    expect(header({ algorithm: 'argon2id', params: PRODUCT_ARGON2ID_PARAMS })).toThrow(/salt/)
    // Fewer lanes is the same work done in fewer threads: accepted.
    expect(header({ algorithm: 'argon2id', params: { m: 131072, t: 3, p: 1 }, salt })).not.toThrow()
    expect(header({ algorithm: 'scrypt', params: { N: 2 ** 10, r: 8, p: 1 }, salt })).toThrow(/minimum/)
    expect(header({ algorithm: 'scrypt', params: { N: 2 ** 30, r: 8, p: 1 }, salt })).toThrow(/range/)
    expect(header({ algorithm: 'scrypt', params: { N: 3 * 2 ** 17, r: 8, p: 1 }, salt })).toThrow(/range/)
    expect(header({ algorithm: 'scrypt', params: PRODUCT_SCRYPT_PARAMS })).toThrow(/salt/)
  })

  it('bounds scrypt memory on the product 128·N·r, not on N and r one at a time', () => {
    const scrypt = (N: number, r: number) => header({ algorithm: 'scrypt', params: { N, r, p: 1 }, salt })
    // Each within its own range, together 16 GiB: refused before any memory is asked for.
    expect(scryptMemory({ N: 2 ** 22, r: 32, p: 1 })).toBe(16 * 2 ** 30)
    expect(scrypt(2 ** 22, 32)).toThrow(/128·N·r/)
    expect(scrypt(2 ** 20, 16)).toThrow(/128·N·r/)
    // Exactly the bound, and the former product parameters, pass.
    expect(scryptMemory({ N: 2 ** 20, r: 8, p: 1 })).toBe(MAX_SCRYPT_MEMORY_BYTES)
    expect(scrypt(2 ** 20, 8)).not.toThrow()
    expect(scrypt(PRODUCT_SCRYPT_PARAMS.N, PRODUCT_SCRYPT_PARAMS.r)).not.toThrow()
    expect(() =>
      newKdfDescriptor({ algorithm: 'scrypt', params: { N: 2 ** 21, r: 8, p: 1 } }, randomBytes),
    ).toThrow(/128·N·r/)
  })

  it('calls a header current only when it is the same algorithm with every parameter at least the choice', () => {
    const argon = newKdfDescriptor(PRODUCT_KDF_CHOICE, randomBytes)
    expect(isAtLeast(argon, PRODUCT_KDF_CHOICE)).toBe(true)
    const stronger = newKdfDescriptor(
      { algorithm: 'argon2id', params: { m: 262144, t: 4, p: 4 } },
      randomBytes,
    )
    expect(isAtLeast(stronger, PRODUCT_KDF_CHOICE)).toBe(true)
    const fewerPasses = newKdfDescriptor(
      { algorithm: 'argon2id', params: { m: 262144, t: 2, p: 4 } },
      randomBytes,
    )
    expect(isAtLeast(fewerPasses, PRODUCT_KDF_CHOICE)).toBe(false)
    const legacy = newKdfDescriptor({ algorithm: 'scrypt', params: PRODUCT_SCRYPT_PARAMS }, randomBytes)
    expect(isAtLeast(legacy, PRODUCT_KDF_CHOICE)).toBe(false)
  })
})
