import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  associatedData,
  deriveSubkey,
  ENVELOPE_VERSION,
  EnvelopeError,
  NONCE_BYTES,
  open,
  seal,
} from '../../../src/main/vault/envelope'

const vaultKey = randomBytes(32)
const subkey = deriveSubkey(vaultKey, 'connection-value')
const sealed = (plaintext = 'sk_live_secret', rowId = 'conn_1', keyVersion = 1) =>
  seal({
    subkey,
    purpose: 'connection-value',
    rowId,
    keyVersion,
    plaintext: Buffer.from(plaintext),
    random: randomBytes,
  })
const opened = (envelope: Buffer, rowId = 'conn_1', keyVersion = 1, purpose = 'connection-value') =>
  open({ subkey, purpose, rowId, keyVersion, envelope }).toString()

describe('envelope', () => {
  it('round-trips a value and lays out version, key version, nonce, tag, ciphertext', () => {
    const envelope = sealed('sk_live_secret', 'conn_1', 7)
    expect(envelope[0]).toBe(ENVELOPE_VERSION)
    expect(envelope.readUInt32BE(1)).toBe(7)
    expect(envelope.length).toBe(1 + 4 + NONCE_BYTES + 16 + 'sk_live_secret'.length)
    expect(opened(envelope, 'conn_1', 7)).toBe('sk_live_secret')
  })

  it('uses a fresh nonce for every seal', () => {
    const nonces = new Set(
      Array.from({ length: 200 }, () =>
        sealed()
          .subarray(5, 5 + NONCE_BYTES)
          .toString('hex'),
      ),
    )
    expect(nonces.size).toBe(200)
  })

  it('refuses every single flipped byte', () => {
    const envelope = sealed()
    for (let i = 0; i < envelope.length; i += 1) {
      const altered = Buffer.from(envelope)
      altered[i] ^= 0x01
      expect(() => opened(altered), `byte ${i}`).toThrow(EnvelopeError)
    }
  })

  it('refuses an envelope moved to another row, purpose or key version', () => {
    const envelope = sealed()
    expect(() => opened(envelope, 'conn_2')).toThrow(EnvelopeError)
    expect(() => opened(envelope, 'conn_1', 1, 'remote-api-key')).toThrow(EnvelopeError)
    expect(() => opened(envelope, 'conn_1', 2)).toThrow(EnvelopeError)
  })

  it('refuses truncated and empty envelopes', () => {
    expect(() => opened(Buffer.alloc(0))).toThrow(EnvelopeError)
    expect(() => opened(sealed().subarray(0, 20))).toThrow(EnvelopeError)
  })

  it('derives a different subkey per purpose', () => {
    expect(deriveSubkey(vaultKey, 'connection-value').equals(deriveSubkey(vaultKey, 'remote-api-key'))).toBe(
      false,
    )
  })

  it('length-prefixes associated data so field boundaries cannot shift', () => {
    expect(associatedData('a', 'bc', 1).equals(associatedData('ab', 'c', 1))).toBe(false)
  })
})
