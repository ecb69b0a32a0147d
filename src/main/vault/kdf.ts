import { scrypt } from 'node:crypto'
import type { RandomBytes } from '../adapters/random'

/**
 * scrypt from node:crypto: it runs on libuv's threadpool (the event loop stays free during the
 * ~0.5 s derivation) and needs no native dependency. Argon2id would need one; OWASP's Password
 * Storage Cheat Sheet lists scrypt with N=2^17, r=8, p=1 as an equivalent minimum.
 */
export interface ScryptParams {
  N: number
  r: number
  p: number
}

export interface KdfDescriptor {
  algorithm: 'scrypt'
  params: ScryptParams
  /** base64, 32 random bytes */
  salt: string
}

/** The product's parameters: OWASP's current minimum for scrypt, ~0.45 s on a 2-core CI machine. */
export const PRODUCT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 }

/**
 * Bounds on what a vault header may ask for. The lower bound stops a tampered header from making
 * unlock cheap to brute-force-test; the upper bounds stop one from exhausting memory or time.
 * scrypt needs 128·N·r bytes, so memory is bounded on that product: N and r each within their own
 * range could still ask for 128·2^22·32 = 16 GiB.
 */
const MAX_LOG2_N = 22
const MAX_R = 32
const MAX_P = 16
/** 1 GiB: 8× the product's 128 MiB, room to raise the parameters later. */
export const MAX_SCRYPT_MEMORY_BYTES = 2 ** 30
const SALT_BYTES = 32
const DERIVED_KEY_BYTES = 32

export class KdfHeaderError extends Error {
  constructor(detail: string) {
    super(`The vault header's key derivation settings are not usable: ${detail}.`)
    this.name = 'KdfHeaderError'
  }
}

export function newKdfDescriptor(params: ScryptParams, random: RandomBytes): KdfDescriptor {
  checkParams(params)
  return { algorithm: 'scrypt', params: { ...params }, salt: random(SALT_BYTES).toString('base64') }
}

export function serializeKdf(descriptor: KdfDescriptor): string {
  return JSON.stringify(descriptor)
}

/** Reads the header's JSON strictly: unlock uses exactly what the header says, or nothing. */
export function parseKdf(json: string, minimum: ScryptParams): KdfDescriptor {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw new KdfHeaderError('not JSON')
  }
  if (typeof value !== 'object' || value === null) throw new KdfHeaderError('not an object')
  const candidate = value as Partial<KdfDescriptor>
  if (candidate.algorithm !== 'scrypt') throw new KdfHeaderError('unknown algorithm')
  const params = candidate.params as Partial<ScryptParams> | undefined
  if (!params || !isInt(params.N) || !isInt(params.r) || !isInt(params.p)) {
    throw new KdfHeaderError('missing parameters')
  }
  const parsed: ScryptParams = { N: params.N, r: params.r, p: params.p }
  checkParams(parsed)
  if (parsed.N < minimum.N || parsed.r < minimum.r || parsed.p < minimum.p) {
    throw new KdfHeaderError('parameters below the minimum this build accepts')
  }
  if (typeof candidate.salt !== 'string' || Buffer.from(candidate.salt, 'base64').length < 16) {
    throw new KdfHeaderError('missing salt')
  }
  return { algorithm: 'scrypt', params: parsed, salt: candidate.salt }
}

/**
 * Derives the key that wraps the vault key. The password is NFC-normalised first, so the same
 * password typed on macOS (which may produce NFD) and elsewhere derives the same key.
 */
export function deriveKeyFromPassword(password: string, descriptor: KdfDescriptor): Promise<Buffer> {
  const { N, r, p } = descriptor.params
  const passwordBytes = Buffer.from(password.normalize('NFC'), 'utf8')
  const salt = Buffer.from(descriptor.salt, 'base64')
  return new Promise((resolve, reject) => {
    scrypt(
      passwordBytes,
      salt,
      DERIVED_KEY_BYTES,
      { N, r, p, maxmem: scryptMemory(descriptor.params) * 2 },
      (error, key) => {
        passwordBytes.fill(0)
        if (error) reject(new KdfHeaderError('the derivation failed'))
        else resolve(key)
      },
    )
  })
}

export function scryptMemory({ N, r }: ScryptParams): number {
  return 128 * N * r
}

function checkParams({ N, r, p }: ScryptParams): void {
  const log2N = Math.log2(N)
  if (!Number.isInteger(log2N) || log2N < 1 || log2N > MAX_LOG2_N) throw new KdfHeaderError('N out of range')
  if (r < 1 || r > MAX_R) throw new KdfHeaderError('r out of range')
  if (p < 1 || p > MAX_P) throw new KdfHeaderError('p out of range')
  if (scryptMemory({ N, r, p }) > MAX_SCRYPT_MEMORY_BYTES)
    throw new KdfHeaderError('memory (128·N·r) out of range')
}

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value)
