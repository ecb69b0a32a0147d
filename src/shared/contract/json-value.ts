import { z } from 'zod'
import { illFormedTextMessage, isWellFormedText, utf8Bytes } from './text'

/**
 * Free-form JSON a caller hands over (a connection's metadata, a custom auth's properties, an OAuth2
 * token's extra data) is stored as it came, so it is checked as it came, before zod copies it:
 *
 * - depth and total size are bounded (unbounded, ~4,100 levels of nesting overflowed the stack in
 *   JSON.stringify and answered 500);
 * - a key named `__proto__` is refused: zod's record and any plain copy of the object drop it
 *   silently, and data must never vanish without a word; `constructor` and `prototype` are ordinary
 *   own keys and are stored as they are;
 * - only what JSON holds: text (well-formed), finite numbers, true/false, null, lists and plain
 *   named values. Desktop IPC's structured clone can carry a Date, a Map, NaN or a cycle, which
 *   JSON.stringify would turn silently into something else.
 */

/** Nesting deeper than this is refused: real metadata and properties are a few levels deep. */
export const JSON_MAX_DEPTH = 32
/** A connection's metadata, as stored JSON (UTF-8 bytes). */
export const METADATA_SIZE = { maxBytes: 64 * 1024, text: '64 KiB' }

/** The key JavaScript reserves: an object's own `__proto__` property vanishes on a plain copy. */
const RESERVED_KEY = '__proto__'

type Problem = { path: PropertyKey[]; message: string }

/**
 * A JSON object field, checked as above. `what` names the field in messages ("Metadata"); `size`,
 * when given, bounds its JSON text (UTF-8 bytes, and the limit in words).
 */
export function jsonObjectSchema(what: string, size?: { maxBytes: number; text: string }) {
  return z
    .custom<Record<string, unknown>>(isPlainObject, `${what} must be a set of named values.`)
    .superRefine((value, context) => {
      const problem = problemIn(value, what, [], 0)
      if (problem) {
        context.addIssue({ code: 'custom', path: problem.path, message: problem.message })
        return
      }
      if (size && utf8Bytes(JSON.stringify(value)) > size.maxBytes) {
        context.addIssue({
          code: 'custom',
          message: `${what} is larger than ${size.text} as JSON; Latchkey stores at most ${size.text}.`,
        })
      }
    })
}

/**
 * A record whose keys and values zod checks, refused first when it has a `__proto__` key (which
 * zod's record would drop without a word). Its own values are zod's to check.
 */
export function recordWithoutReservedKeys<T extends Record<string, unknown>>(
  what: string,
  record: z.ZodType<T, T>,
) {
  return z
    .custom<T>((value) => !isPlainObject(value) || !Object.hasOwn(value, RESERVED_KEY), {
      message: reservedKeyMessage(what, []),
      path: [RESERVED_KEY],
    })
    .pipe(record)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

function where(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '' : ` at “${path.map(String).join('.')}”`
}

function reservedKeyMessage(what: string, path: readonly PropertyKey[]): string {
  return `${what} has a key named “${RESERVED_KEY}”${where(path)}, a name JavaScript reserves that would be lost; rename it.`
}

/** The first thing wrong in `value`, depth first; null when it is storable JSON. */
function problemIn(value: unknown, what: string, path: PropertyKey[], depth: number): Problem | null {
  if (value === null || typeof value === 'boolean') return null
  if (typeof value === 'string') {
    return isWellFormedText(value) ? null : { path, message: illFormedTextMessage(what, where(path)) }
  }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? null
      : { path, message: `${what} holds a number JSON cannot store${where(path)} (${String(value)}).` }
  }
  if (depth >= JSON_MAX_DEPTH) {
    return {
      path: [],
      message: `${what} is nested deeper than ${JSON_MAX_DEPTH} levels; Latchkey stores at most ${JSON_MAX_DEPTH}.`,
    }
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const problem = problemIn(value[index], what, [...path, index], depth + 1)
      if (problem) return problem
    }
    return null
  }
  if (!isPlainObject(value)) {
    return {
      path,
      message: `${what} holds a value that is not JSON${where(path)}: use text, numbers, true or false, null, lists and named values.`,
    }
  }
  for (const key of Object.keys(value)) {
    if (key === RESERVED_KEY) return { path: [...path, key], message: reservedKeyMessage(what, path) }
    if (!isWellFormedText(key))
      return { path: [...path, key], message: illFormedTextMessage(what, ` in a key${where(path)}`) }
    const problem = problemIn(value[key], what, [...path, key], depth + 1)
    if (problem) return problem
  }
  return null
}
