import { scrypt } from 'node:crypto'
import { argon2id, hash as argon2Hash } from 'argon2'
import type { RandomBytes } from '../adapters/random'

/**
 * The password KDF. New vaults, password changes and backups use Argon2id (RFC 9106), OWASP's first
 * choice, from node-argon2 (the reference implementation, N-API prebuilds): its lanes run on their
 * own threads, so the same memory-hard work costs a person less waiting on a multi-core machine
 * than single-threaded scrypt. scrypt (node:crypto) stays readable for vaults and backups written
 * before; a vault is re-wrapped with the current choice at its next password unlock.
 */
export interface ScryptParams {
  N: number
  r: number
  p: number
}

/** RFC 9106's names, as in PHC strings: m = memory in KiB, t = passes, p = lanes. Version 0x13. */
export interface Argon2idParams {
  m: number
  t: number
  p: number
}

/** What new wraps use. */
export type KdfChoice =
  { algorithm: 'argon2id'; params: Argon2idParams } | { algorithm: 'scrypt'; params: ScryptParams }

/** A choice plus its salt (base64, 32 random bytes): what a header stores. */
export type KdfDescriptor = KdfChoice & { salt: string }

/** password → the key that wraps the vault key; deriveKeyFromPassword unless a host has a head start. */
export type DeriveKey = (password: string, descriptor: KdfDescriptor) => Promise<Buffer>

/** The weakest settings a header may ask for, per algorithm. */
export interface KdfMinimum {
  argon2id: Argon2idParams
  scrypt: ScryptParams
}

/**
 * The product's Argon2id: RFC 9106's second recommended option (t=3, p=4) with twice its memory,
 * 128 MiB, the memory scrypt N=2^17, r=8 used. Three passes over it is more memory-hard work than
 * scrypt's two; ~0.2 s on a 2-core CI machine where that scrypt took ~0.36 s.
 */
export const PRODUCT_ARGON2ID_PARAMS: Argon2idParams = { m: 128 * 1024, t: 3, p: 4 }

/** OWASP's scrypt minimum, the product's until Argon2id: still what an older vault must meet. */
export const PRODUCT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 }

export const PRODUCT_KDF_CHOICE: KdfChoice = { algorithm: 'argon2id', params: PRODUCT_ARGON2ID_PARAMS }
export const PRODUCT_KDF_MINIMUM: KdfMinimum = {
  argon2id: PRODUCT_ARGON2ID_PARAMS,
  scrypt: PRODUCT_SCRYPT_PARAMS,
}

/**
 * Bounds on what a header may ask for. The minimum stops a tampered header from making unlock cheap
 * to brute-force-test; these upper bounds stop one from exhausting memory or time. scrypt needs
 * 128·N·r bytes, so its memory is bounded on that product: N and r each within their own range could
 * still ask for 128·2^22·32 = 16 GiB. Argon2id's work is memory × passes, bounded on that product.
 */
const MAX_LOG2_N = 22
const MAX_R = 32
const MAX_P = 16
/** 1 GiB: 8× the product's 128 MiB, room to raise the parameters later. */
export const MAX_SCRYPT_MEMORY_BYTES = 2 ** 30
export const MAX_ARGON2_MEMORY_KIB = 2 ** 20
const MAX_ARGON2_PASSES = 16
/** 4 GiB·passes: the 1 GiB bound with 4 passes, ~10× the product's work. */
const MAX_ARGON2_WORK_KIB = 4 * 2 ** 20
const MAX_ARGON2_LANES = 16
const SALT_BYTES = 32
const DERIVED_KEY_BYTES = 32

export class KdfHeaderError extends Error {
  constructor(detail: string) {
    super(`The vault header's key derivation settings are not usable: ${detail}.`)
    this.name = 'KdfHeaderError'
  }
}

export function newKdfDescriptor(choice: KdfChoice, random: RandomBytes): KdfDescriptor {
  checkChoice(choice)
  const salt = random(SALT_BYTES).toString('base64')
  return choice.algorithm === 'argon2id'
    ? { algorithm: 'argon2id', params: { ...choice.params }, salt }
    : { algorithm: 'scrypt', params: { ...choice.params }, salt }
}

export function serializeKdf(descriptor: KdfDescriptor): string {
  return JSON.stringify(descriptor)
}

/** Reads the header's JSON strictly: unlock uses exactly what the header says, or nothing. */
export function parseKdf(json: string, minimum: KdfMinimum): KdfDescriptor {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw new KdfHeaderError('not JSON')
  }
  if (typeof value !== 'object' || value === null) throw new KdfHeaderError('not an object')
  const candidate = value as { algorithm?: unknown; params?: Record<string, unknown>; salt?: unknown }
  const choice = readChoice(candidate.algorithm, candidate.params)
  checkChoice(choice)
  if (!meetsMinimum(choice, minimum)) {
    throw new KdfHeaderError('parameters below the minimum this build accepts')
  }
  if (typeof candidate.salt !== 'string' || Buffer.from(candidate.salt, 'base64').length < 16) {
    throw new KdfHeaderError('missing salt')
  }
  return { ...choice, salt: candidate.salt } as KdfDescriptor
}

function readChoice(algorithm: unknown, params: Record<string, unknown> | undefined): KdfChoice {
  if (algorithm !== 'argon2id' && algorithm !== 'scrypt') throw new KdfHeaderError('unknown algorithm')
  if (typeof params !== 'object' || params === null) throw new KdfHeaderError('missing parameters')
  if (algorithm === 'argon2id') {
    const { m, t, p } = params
    if (!isInt(m) || !isInt(t) || !isInt(p)) throw new KdfHeaderError('missing parameters')
    return { algorithm, params: { m, t, p } }
  }
  const { N, r, p } = params
  if (!isInt(N) || !isInt(r) || !isInt(p)) throw new KdfHeaderError('missing parameters')
  return { algorithm, params: { N, r, p } }
}

function meetsMinimum(choice: KdfChoice, minimum: KdfMinimum): boolean {
  if (choice.algorithm === 'argon2id') {
    const floor = minimum.argon2id
    // Lanes split the same work across threads; fewer lanes cost an attacker no less.
    return choice.params.m >= floor.m && choice.params.t >= floor.t
  }
  const floor = minimum.scrypt
  return choice.params.N >= floor.N && choice.params.r >= floor.r && choice.params.p >= floor.p
}

/**
 * True when a header's settings are what `choice` would write, or stronger in every parameter of the
 * same algorithm: a vault that is not gets re-wrapped with `choice` at its next password unlock.
 */
export function isAtLeast(descriptor: KdfDescriptor, choice: KdfChoice): boolean {
  if (descriptor.algorithm !== choice.algorithm) return false
  const have = descriptor.params as unknown as Record<string, number>
  const want = choice.params as unknown as Record<string, number>
  return Object.keys(want).every((name) => (have[name] ?? 0) >= want[name]!)
}

/** The settings in words, for the audit trail and reports: "argon2id m=131072 t=3 p=4". */
export function describeKdf(choice: KdfChoice): string {
  const params = Object.entries(choice.params)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ')
  return `${choice.algorithm} ${params}`
}

/**
 * Derives the key that wraps the vault key. The password is NFC-normalised first, so the same
 * password typed on macOS (which may produce NFD) and elsewhere derives the same key.
 */
export async function deriveKeyFromPassword(password: string, descriptor: KdfDescriptor): Promise<Buffer> {
  const passwordBytes = Buffer.from(password.normalize('NFC'), 'utf8')
  const salt = Buffer.from(descriptor.salt, 'base64')
  try {
    return descriptor.algorithm === 'argon2id'
      ? await deriveArgon2id(passwordBytes, salt, descriptor.params)
      : await deriveScrypt(passwordBytes, salt, descriptor.params)
  } catch {
    throw new KdfHeaderError('the derivation failed')
  } finally {
    passwordBytes.fill(0)
  }
}

function deriveArgon2id(password: Buffer, salt: Buffer, { m, t, p }: Argon2idParams): Promise<Buffer> {
  return argon2Hash(password, {
    type: argon2id,
    memoryCost: m,
    timeCost: t,
    parallelism: p,
    salt,
    hashLength: DERIVED_KEY_BYTES,
    raw: true,
  })
}

function deriveScrypt(password: Buffer, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params
  return new Promise((resolve, reject) => {
    scrypt(password, salt, DERIVED_KEY_BYTES, { N, r, p, maxmem: scryptMemory(params) * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

export function scryptMemory({ N, r }: ScryptParams): number {
  return 128 * N * r
}

function checkChoice(choice: KdfChoice): void {
  if (choice.algorithm === 'argon2id') checkArgon2id(choice.params)
  else checkScrypt(choice.params)
}

function checkArgon2id({ m, t, p }: Argon2idParams): void {
  if (p < 1 || p > MAX_ARGON2_LANES) throw new KdfHeaderError('p (lanes) out of range')
  // RFC 9106: at least 8 KiB per lane.
  if (m < 8 * p || m > MAX_ARGON2_MEMORY_KIB) throw new KdfHeaderError('m (memory) out of range')
  if (t < 1 || t > MAX_ARGON2_PASSES) throw new KdfHeaderError('t (passes) out of range')
  if (m * t > MAX_ARGON2_WORK_KIB) throw new KdfHeaderError('work (m·t) out of range')
}

function checkScrypt({ N, r, p }: ScryptParams): void {
  const log2N = Math.log2(N)
  if (!Number.isInteger(log2N) || log2N < 1 || log2N > MAX_LOG2_N) throw new KdfHeaderError('N out of range')
  if (r < 1 || r > MAX_R) throw new KdfHeaderError('r out of range')
  if (p < 1 || p > MAX_P) throw new KdfHeaderError('p out of range')
  if (scryptMemory({ N, r, p }) > MAX_SCRYPT_MEMORY_BYTES)
    throw new KdfHeaderError('memory (128·N·r) out of range')
}

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value)
