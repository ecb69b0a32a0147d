import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  deriveKeyFromPassword,
  KdfHeaderError,
  MAX_SCRYPT_MEMORY_BYTES,
  newKdfDescriptor,
  parseKdf,
  PRODUCT_SCRYPT_PARAMS,
  scryptMemory,
  serializeKdf,
} from '../../../src/main/vault/kdf'
import { TEST_KDF } from '../../support/vault'

describe('kdf', () => {
  it('uses at least OWASP’s scrypt minimum (N=2^17, r=8, p=1) in the product', () => {
    expect(PRODUCT_SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 17)
    expect(PRODUCT_SCRYPT_PARAMS.r).toBeGreaterThanOrEqual(8)
    expect(PRODUCT_SCRYPT_PARAMS.p).toBeGreaterThanOrEqual(1)
  })

  it('derives a 256-bit key with the product parameters, deterministic for the same salt', async () => {
    const descriptor = newKdfDescriptor(PRODUCT_SCRYPT_PARAMS, randomBytes)
    const [a, b] = await Promise.all([
      deriveKeyFromPassword('correct horse battery staple', descriptor),
      deriveKeyFromPassword('correct horse battery staple', descriptor),
    ])
    expect(a.length).toBe(32)
    expect(a.equals(b)).toBe(true)
  })

  it('derives the same key from NFC and NFD spellings of a password', async () => {
    const descriptor = newKdfDescriptor(TEST_KDF.params, randomBytes)
    const nfc = await deriveKeyFromPassword('crème brûlée à la maison', descriptor)
    const nfd = await deriveKeyFromPassword('crème brûlée à la maison'.normalize('NFD'), descriptor)
    expect(nfc.equals(nfd)).toBe(true)
  })

  it('round-trips its header JSON with algorithm, parameters and salt', () => {
    const descriptor = newKdfDescriptor(PRODUCT_SCRYPT_PARAMS, randomBytes)
    const json = serializeKdf(descriptor)
    expect(JSON.parse(json)).toMatchObject({ algorithm: 'scrypt', params: { N: 131072, r: 8, p: 1 } })
    expect(parseKdf(json, PRODUCT_SCRYPT_PARAMS)).toEqual(descriptor)
  })

  it('refuses headers that are unknown, below the minimum, or would exhaust memory', () => {
    const salt = randomBytes(32).toString('base64')
    const header = (value: unknown) => () => parseKdf(JSON.stringify(value), PRODUCT_SCRYPT_PARAMS)
    expect(() => parseKdf('not json', PRODUCT_SCRYPT_PARAMS)).toThrow(KdfHeaderError)
    expect(header({ algorithm: 'md5', params: PRODUCT_SCRYPT_PARAMS, salt })).toThrow(KdfHeaderError)
    expect(header({ algorithm: 'scrypt', params: { N: 2 ** 10, r: 8, p: 1 }, salt })).toThrow(/minimum/)
    expect(header({ algorithm: 'scrypt', params: { N: 2 ** 30, r: 8, p: 1 }, salt })).toThrow(/range/)
    expect(header({ algorithm: 'scrypt', params: { N: 3 * 2 ** 17, r: 8, p: 1 }, salt })).toThrow(/range/)
    expect(header({ algorithm: 'scrypt', params: PRODUCT_SCRYPT_PARAMS })).toThrow(/salt/)
  })

  it('bounds memory on the product 128·N·r, not on N and r one at a time', () => {
    const salt = randomBytes(32).toString('base64')
    const header = (N: number, r: number) => () =>
      parseKdf(JSON.stringify({ algorithm: 'scrypt', params: { N, r, p: 1 }, salt }), PRODUCT_SCRYPT_PARAMS)
    // Each within its own range, together 16 GiB: refused before any memory is asked for.
    expect(scryptMemory({ N: 2 ** 22, r: 32, p: 1 })).toBe(16 * 2 ** 30)
    expect(header(2 ** 22, 32)).toThrow(/128·N·r/)
    expect(header(2 ** 20, 16)).toThrow(/128·N·r/)
    // Exactly the bound, and the product's own parameters, pass.
    expect(scryptMemory({ N: 2 ** 20, r: 8, p: 1 })).toBe(MAX_SCRYPT_MEMORY_BYTES)
    expect(header(2 ** 20, 8)).not.toThrow()
    expect(header(PRODUCT_SCRYPT_PARAMS.N, PRODUCT_SCRYPT_PARAMS.r)).not.toThrow()
    expect(() => newKdfDescriptor({ N: 2 ** 21, r: 8, p: 1 }, randomBytes)).toThrow(/128·N·r/)
  })
})
