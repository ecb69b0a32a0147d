import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto'
import type { RandomBytes } from '../adapters/random'

/**
 * The one format every secret is stored in:
 *
 *   byte 0      format version (1)
 *   bytes 1-4   key version, uint32 big-endian (which vault key sealed it; rotation bumps it)
 *   bytes 5-16  96-bit random nonce (NIST SP 800-38D's recommended GCM IV length)
 *   bytes 17-32 128-bit GCM tag
 *   bytes 33-   ciphertext
 *
 * The associated data is not stored: it is rebuilt from where the envelope is read (purpose, row
 * id, key version), so an envelope copied onto another row or purpose fails authentication.
 */
export const ENVELOPE_VERSION = 1
const VERSION_BYTES = 1
const KEY_VERSION_BYTES = 4
export const NONCE_BYTES = 12
const TAG_BYTES = 16
const HEADER_BYTES = VERSION_BYTES + KEY_VERSION_BYTES + NONCE_BYTES + TAG_BYTES
export const KEY_BYTES = 32

/** Every use of a key gets its own HKDF subkey, so one purpose's ciphertext means nothing to another. */
export type KeyPurpose =
  'connection-value' | 'remote-api-key' | 'key-wrap-password' | 'key-wrap-keychain' | 'audit-mac' | 'row-mac'

export class EnvelopeError extends Error {
  constructor(readonly reason: 'malformed' | 'unsupported-version' | 'key-version' | 'authentication') {
    super(`The sealed value could not be opened (${reason}).`)
    this.name = 'EnvelopeError'
  }
}

/** HKDF-SHA256 with a fixed application salt and the purpose as info (RFC 5869 §3.2). */
export function deriveSubkey(key: Buffer, purpose: KeyPurpose): Buffer {
  if (key.length !== KEY_BYTES) throw new Error('A vault key is 32 bytes.')
  return Buffer.from(hkdfSync('sha256', key, 'latchkey/vault/v1', `latchkey:${purpose}`, KEY_BYTES))
}

const ENVELOPE_LABEL = Buffer.from(`latchkey-envelope-v${ENVELOPE_VERSION}`)
/** The label's and the purpose's length-prefixed fields, built once per purpose: every seal and open starts with them. */
const purposePrefixes = new Map<string, Buffer>()

function purposePrefix(purpose: string): Buffer {
  let prefix = purposePrefixes.get(purpose)
  if (!prefix) {
    const name = Buffer.from(purpose)
    prefix = Buffer.alloc(4 + ENVELOPE_LABEL.length + 4 + name.length)
    prefix.writeUInt32BE(ENVELOPE_LABEL.length, 0)
    ENVELOPE_LABEL.copy(prefix, 4)
    prefix.writeUInt32BE(name.length, 4 + ENVELOPE_LABEL.length)
    name.copy(prefix, 8 + ENVELOPE_LABEL.length)
    purposePrefixes.set(purpose, prefix)
  }
  return prefix
}

/**
 * Length-prefixed fields, so ("a", "bc") and ("ab", "c") never produce the same bytes: the label,
 * the purpose, the row id and the key version (4 bytes), each after its length (uint32 big-endian).
 * Written into one buffer: this runs once per value sealed or opened, 500 times per batch.
 */
export function associatedData(purpose: string, rowId: string, keyVersion: number): Buffer {
  const prefix = purposePrefix(purpose)
  const idBytes = Buffer.byteLength(rowId)
  const bytes = Buffer.allocUnsafe(prefix.length + 4 + idBytes + 8)
  prefix.copy(bytes, 0)
  let offset = bytes.writeUInt32BE(idBytes, prefix.length)
  offset += bytes.write(rowId, offset)
  offset = bytes.writeUInt32BE(4, offset)
  bytes.writeUInt32BE(keyVersion, offset)
  return bytes
}

export interface SealInput {
  subkey: Buffer
  purpose: string
  rowId: string
  keyVersion: number
  plaintext: Buffer
  random: RandomBytes
}

export function seal({ subkey, purpose, rowId, keyVersion, plaintext, random }: SealInput): Buffer {
  const nonce = random(NONCE_BYTES)
  if (nonce.length !== NONCE_BYTES) throw new Error('The random source returned the wrong length.')
  const cipher = createCipheriv('aes-256-gcm', subkey, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(associatedData(purpose, rowId, keyVersion))
  const body = cipher.update(plaintext)
  const rest = cipher.final()
  // One allocation for the whole envelope rather than a header and a concatenation of four parts.
  const envelope = Buffer.allocUnsafe(HEADER_BYTES + body.length + rest.length)
  envelope.writeUInt8(ENVELOPE_VERSION, 0)
  envelope.writeUInt32BE(keyVersion, VERSION_BYTES)
  nonce.copy(envelope, VERSION_BYTES + KEY_VERSION_BYTES)
  cipher.getAuthTag().copy(envelope, VERSION_BYTES + KEY_VERSION_BYTES + NONCE_BYTES)
  body.copy(envelope, HEADER_BYTES)
  rest.copy(envelope, HEADER_BYTES + body.length)
  return envelope
}

export interface OpenInput {
  subkey: Buffer
  purpose: string
  rowId: string
  /** The key version the caller holds; an envelope sealed under another one is refused. */
  keyVersion: number
  envelope: Buffer
}

export function envelopeKeyVersion(envelope: Buffer): number {
  if (envelope.length < HEADER_BYTES) throw new EnvelopeError('malformed')
  if (envelope.readUInt8(0) !== ENVELOPE_VERSION) throw new EnvelopeError('unsupported-version')
  return envelope.readUInt32BE(VERSION_BYTES)
}

export function open({ subkey, purpose, rowId, keyVersion, envelope }: OpenInput): Buffer {
  if (envelopeKeyVersion(envelope) !== keyVersion) throw new EnvelopeError('key-version')
  let offset = VERSION_BYTES + KEY_VERSION_BYTES
  const nonce = envelope.subarray(offset, (offset += NONCE_BYTES))
  const tag = envelope.subarray(offset, (offset += TAG_BYTES))
  const ciphertext = envelope.subarray(offset)
  const decipher = createDecipheriv('aes-256-gcm', subkey, nonce, { authTagLength: TAG_BYTES })
  decipher.setAAD(associatedData(purpose, rowId, keyVersion))
  decipher.setAuthTag(tag)
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch {
    // node:crypto's message ("Unsupported state or unable to authenticate data") says nothing useful.
    throw new EnvelopeError('authentication')
  }
}
