import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { validationError } from '../../shared/errors'

/** Where a page starts or ends: the sort key of a row plus its id, the tie-breaker that makes order total. */
export interface CursorPosition {
  key: string | number | null
  id: string
}

export type CursorDirection = 'next' | 'prev'

interface CursorPayload {
  v: 1
  /** Which list the cursor belongs to ("connections", "owners"), so one list's cursor is refused by another. */
  list: string
  dir: CursorDirection
  /** Fingerprint of the filters and sort the cursor was made for. */
  f: string
  at: CursorPosition
}

export interface DecodedCursor {
  direction: CursorDirection
  position: CursorPosition
}

export interface CursorCodec {
  encode(list: string, fingerprint: string, direction: CursorDirection, position: CursorPosition): string
  /** Throws VALIDATION for a forged, damaged or foreign cursor: Activepieces answers 500 or silently restarts. */
  decode(token: string, list: string, fingerprint: string): DecodedCursor
}

const MAC_BYTES = 16

/**
 * Cursors are opaque and signed: base64url(JSON) + "." + base64url(HMAC). The key comes from the
 * injected random source, so cursors are valid for the life of the process; a cursor from before a
 * restart is refused like any other unknown one, and the caller starts again from the first page.
 */
export function createCursorCodec(key: Buffer): CursorCodec {
  const mac = (body: string) => createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES)
  return {
    encode(list, fingerprint, direction, position) {
      const payload: CursorPayload = { v: 1, list, dir: direction, f: fingerprint, at: position }
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
      return `${body}.${mac(body).toString('base64url')}`
    },
    decode(token, list, fingerprint) {
      const payload = verifiedPayload(token, mac)
      if (payload.list !== list || payload.f !== fingerprint) {
        throw validationError(
          'This cursor belongs to a different list or filter. Start again from the first page.',
        )
      }
      return { direction: payload.dir, position: payload.at }
    },
  }
}

function verifiedPayload(token: string, mac: (body: string) => Buffer): CursorPayload {
  const invalid = () => validationError('This cursor is not valid. Start again from the first page.')
  const [body, signature, extra] = token.split('.')
  if (!body || !signature || extra !== undefined) throw invalid()
  const expected = mac(body)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid()
  let payload: unknown
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!isPayload(payload)) throw invalid()
  return payload
}

function isPayload(value: unknown): value is CursorPayload {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<CursorPayload>
  const at = candidate.at as Partial<CursorPosition> | undefined
  return (
    candidate.v === 1 &&
    typeof candidate.list === 'string' &&
    (candidate.dir === 'next' || candidate.dir === 'prev') &&
    typeof candidate.f === 'string' &&
    typeof at === 'object' &&
    at !== null &&
    typeof at.id === 'string' &&
    (at.key === null || typeof at.key === 'string' || typeof at.key === 'number')
  )
}

/** A stable digest of whatever defines a list's rows and order; key order and array order do not matter. */
export function fingerprintOf(parts: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('base64url').slice(0, 22)
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).sort().join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([name, inner]) => `${JSON.stringify(name)}:${canonicalJson(inner)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * One keyset page from `limit + 1` rows read in `direction` (a 'prev' read comes back reversed).
 * The extra row says whether more lie ahead; `existsBeyond` answers for the other end. `next` and
 * `previous` are null exactly at the ends of the list.
 */
export function keysetPage<Row>(options: {
  rows: Row[]
  limit: number
  direction: CursorDirection
  fromCursor: boolean
  positionOf(row: Row): CursorPosition
  existsBeyond(direction: CursorDirection, position: CursorPosition): boolean
  encode(direction: CursorDirection, position: CursorPosition): string
}): { rows: Row[]; next: string | null; previous: string | null } {
  const { direction, positionOf } = options
  const more = options.rows.length > options.limit
  const rows = options.rows.slice(0, options.limit)
  if (direction === 'prev') rows.reverse()
  const first = rows[0]
  const last = rows.at(-1)
  if (first === undefined || last === undefined) return { rows: [], next: null, previous: null }
  const hasAfter = direction === 'next' ? more : options.existsBeyond('next', positionOf(last))
  const hasBefore =
    direction === 'prev' ? more : options.fromCursor && options.existsBeyond('prev', positionOf(first))
  return {
    rows,
    next: hasAfter ? options.encode('next', positionOf(last)) : null,
    previous: hasBefore ? options.encode('prev', positionOf(first)) : null,
  }
}
