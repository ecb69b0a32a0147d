import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  deriveKeyFromPassword,
  KdfHeaderError,
  newKdfDescriptor,
  parseKdf,
  PRODUCT_SCRYPT_PARAMS,
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
})
