import { createCipheriv, createDecipheriv, createHash, hkdfSync, timingSafeEqual } from 'node:crypto'
import { closeSync, createReadStream, createWriteStream, openSync, readSync, statSync } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { AppError } from '../../shared/errors'
import type { RandomBytes } from '../adapters/random'
import {
  deriveKeyFromPassword,
  KdfHeaderError,
  newKdfDescriptor,
  parseKdf,
  serializeKdf,
  type KdfChoice,
  type KdfMinimum,
} from '../vault/kdf'

// An encrypted backup file:
//
//   16 bytes   "LATCHKEY-BACKUP1"
//    4 bytes   header length, uint32 big-endian
//    n bytes   header, JSON (BackupHeader)
//   32 bytes   SHA-256 of the header
//    … bytes   the vault's SQLite file, AES-256-GCM, header bytes as associated data
//   16 bytes   GCM tag
//
// The key is the vault's password KDF (Argon2id; scrypt in older files) of (password, the header's
// salt) through HKDF: the file opens with the master
// password on any machine, and nothing in it is readable without it (names and audit details
// included, unlike the vault file, whose plaintext columns let lists work without decrypting).
// The header's `check` is a GCM tag over nothing under that key, so a wrong password is told apart
// from a damaged file before any payload is read.

const MAGIC = Buffer.from('LATCHKEY-BACKUP1', 'latin1')
const TAG_BYTES = 16
const DIGEST_BYTES = 32
const HEADER_MAX_BYTES = 64 * 1024

export interface BackupHeader {
  format: 1
  createdAt: string
  appVersion: string
  kdf: string
  nonce: string
  checkNonce: string
  check: string
  connections: number
}

export interface BackupKdf {
  params: KdfChoice
  minimum: KdfMinimum
}

const damaged = (what: string) =>
  new AppError('INTEGRITY', {
    message: `This backup file is damaged (${what}). Nothing was changed.`,
    entityType: 'backup',
    entityId: 'file',
  })

function keysFrom(derived: Buffer): { payload: Buffer; check: Buffer } {
  const expand = (info: string) => Buffer.from(hkdfSync('sha256', derived, 'latchkey/backup/v1', info, 32))
  return { payload: expand('latchkey:backup-payload'), check: expand('latchkey:backup-check') }
}

function checkTag(key: Buffer, nonce: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.update(MAGIC)
  cipher.final()
  return cipher.getAuthTag()
}

/** Encrypts the SQLite file at `source` into `target` (which exists, empty). */
export async function writeBackup(options: {
  source: string
  target: string
  password: string
  kdf: BackupKdf
  random: RandomBytes
  meta: { createdAt: string; appVersion: string; connections: number }
}): Promise<void> {
  const descriptor = newKdfDescriptor(options.kdf.params, options.random)
  const derived = await deriveKeyFromPassword(options.password, descriptor)
  const keys = keysFrom(derived)
  derived.fill(0)
  try {
    const nonce = options.random(12)
    const checkNonce = options.random(12)
    const header: BackupHeader = {
      format: 1,
      ...options.meta,
      kdf: serializeKdf(descriptor),
      nonce: nonce.toString('base64'),
      checkNonce: checkNonce.toString('base64'),
      check: checkTag(keys.check, checkNonce).toString('base64'),
    }
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8')
    const length = Buffer.alloc(4)
    length.writeUInt32BE(headerBytes.length)
    const prefix = Buffer.concat([
      MAGIC,
      length,
      headerBytes,
      createHash('sha256').update(headerBytes).digest(),
    ])
    const cipher = createCipheriv('aes-256-gcm', keys.payload, nonce)
    cipher.setAAD(prefix)
    const out = createWriteStream(options.target, { flags: 'w', mode: 0o600 })
    out.write(prefix)
    await pipeline(createReadStream(options.source), cipher, out, { end: false })
    await new Promise<void>((resolve, reject) =>
      out.end(cipher.getAuthTag(), () => resolve()).once('error', reject),
    )
  } finally {
    keys.payload.fill(0)
    keys.check.fill(0)
  }
}

interface ParsedPrefix {
  header: BackupHeader
  prefix: Buffer
}

/** The header of a backup file, checked byte for byte; INTEGRITY when it is not one. */
export function readBackupHeader(path: string): ParsedPrefix {
  const size = statSync(path).size
  const fd = openSync(path, 'r')
  try {
    const start = Buffer.alloc(MAGIC.length + 4)
    if (
      readSync(fd, start, 0, start.length, 0) < start.length ||
      !start.subarray(0, MAGIC.length).equals(MAGIC)
    ) {
      throw new AppError('VALIDATION', {
        message: 'This is not a Latchkey backup file. Choose a file that Latchkey saved as a backup.',
      })
    }
    const headerLength = start.readUInt32BE(MAGIC.length)
    if (headerLength > HEADER_MAX_BYTES || start.length + headerLength + DIGEST_BYTES + TAG_BYTES > size) {
      throw damaged('its header is cut short')
    }
    const rest = Buffer.alloc(headerLength + DIGEST_BYTES)
    readSync(fd, rest, 0, rest.length, start.length)
    const headerBytes = rest.subarray(0, headerLength)
    const digest = createHash('sha256').update(headerBytes).digest()
    if (!timingSafeEqual(digest, rest.subarray(headerLength))) throw damaged('its header was altered')
    let header: BackupHeader
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as BackupHeader
    } catch {
      throw damaged('its header is not readable')
    }
    if (header.format !== 1) {
      throw new AppError('VALIDATION', {
        message: 'This backup was made by a newer version of Latchkey. Update Latchkey to restore it.',
      })
    }
    return { header, prefix: Buffer.concat([start, rest]) }
  } finally {
    closeSync(fd)
  }
}

/**
 * Decrypts a backup into `target`: AUTHENTICATION for a wrong password, INTEGRITY when any byte
 * of the payload was changed (GCM's tag is checked at the end, so `target` must be thrown away
 * unless this returns).
 */
export async function decryptBackup(options: {
  path: string
  target: string
  password: string
  kdf: BackupKdf
}): Promise<BackupHeader> {
  const { header, prefix } = readBackupHeader(options.path)
  let descriptor
  try {
    descriptor = parseKdf(header.kdf, options.kdf.minimum)
  } catch (error) {
    if (error instanceof KdfHeaderError) throw damaged('its key settings are not usable')
    throw error
  }
  const derived = await deriveKeyFromPassword(options.password, descriptor)
  const keys = keysFrom(derived)
  derived.fill(0)
  try {
    const expected = Buffer.from(header.check ?? '', 'base64')
    const actual = checkTag(keys.check, Buffer.from(header.checkNonce ?? '', 'base64'))
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      throw new AppError('AUTHENTICATION', {
        message:
          'That password does not open this backup. Use the master password the vault had when the backup was made.',
      })
    }
    const size = statSync(options.path).size
    const tag = Buffer.alloc(TAG_BYTES)
    const fd = openSync(options.path, 'r')
    try {
      readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES)
    } finally {
      closeSync(fd)
    }
    const decipher = createDecipheriv('aes-256-gcm', keys.payload, Buffer.from(header.nonce, 'base64'))
    decipher.setAAD(prefix)
    decipher.setAuthTag(tag)
    try {
      await pipeline(
        createReadStream(options.path, { start: prefix.length, end: size - TAG_BYTES - 1 }),
        decipher,
        createWriteStream(options.target, { mode: 0o600 }),
      )
    } catch {
      throw damaged('its contents do not match their checksum')
    }
    return header
  } finally {
    keys.payload.fill(0)
    keys.check.fill(0)
  }
}
