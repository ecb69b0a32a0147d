import fc from 'fast-check'
import type { z } from 'zod'

/**
 * Inputs for one procedure, guided by its zod schema: each field gets a value that fits (so calls
 * reach the handlers, not only the validator) or a hostile one (a wrong type, a huge or deep value,
 * a prototype key, a lone surrogate, NUL, right-to-left text, a number at an edge, a forged cursor).
 */

/** Values a fuzz round can point at: what the vault really holds, so a call can reach a real row. */
export interface Plausible {
  ids: string[]
  strings: string[]
  cursors: string[]
}

/** Deeper than any bound the contract sets (json-value.ts: 32), and deep enough to overflow a naive walk. */
function nested(depth: number, key = 'a'): unknown {
  let value: unknown = 'leaf'
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? { [key]: value } : [value]
  return described(value as object, `nested(${depth})`)
}

/**
 * How fast-check prints a value in a failure report: its own printer recurses, so a value 5,000
 * levels deep would overflow the stack and hide the failure. A symbol, so no schema or JSON sees it.
 */
function described<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => text, enumerable: false })
  return value
}

const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  2 ** 31,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  -(2 ** 53),
  1e16,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  8.64e15,
  8.64e15 + 1,
]

const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'nul\u0000inside',
  '\uD800',
  'lone \uDC00 low',
  'tail \uD83D',
  '\u202Eevil.exe\u202C',
  '\u05E9\u05DC\u05D5\u05DD mixed',
  '😀',
  'e\u0301',
  '%',
  '%E0%A4%A',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  "' OR 1=1 --",
  '"}',
  '\r\nX-Injected: 1',
  'x'.repeat(201),
  'y'.repeat(70_000),
]

/** Text with a prototype key as an own property, as JSON.parse makes it (a literal would set the prototype). */
const protoObject = (): unknown => JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}')

/** Anything at all, of any type: what a field gets when it is attacked rather than filled in. */
export function hostileValue(plausible: Plausible): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(...HOSTILE_TEXT),
    fc.constantFrom(...EDGE_NUMBERS),
    fc.constantFrom<unknown>(null, undefined, true, false, [], {}),
    fc.constant(null).map(() => nested(40)),
    fc.constant(null).map(() => nested(5_000)),
    fc.constant(null).map(() =>
      described(
        Array.from({ length: 5_000 }, (_u, i) => i),
        'range(5000)',
      ),
    ),
    fc.constant(null).map(protoObject),
    fc.constant(null).map(() => Object.assign(Object.create(null) as object, { constructor: 'c' })),
    forgedCursor(plausible),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.anything({ maxDepth: 3 }),
  )
}

/** A cursor that looks real: another query's, cut short, one character changed, or made up. */
function forgedCursor(plausible: Plausible): fc.Arbitrary<string> {
  const made = fc.base64String({ maxLength: 120 })
  if (plausible.cursors.length === 0) return made
  return fc.oneof(
    made,
    fc.constantFrom(...plausible.cursors),
    fc
      .tuple(fc.constantFrom(...plausible.cursors), fc.nat(), fc.constantFrom('A', '_', '-', '.', '%'))
      .map(([cursor, at, character]) => {
        const index = at % Math.max(1, cursor.length)
        return cursor.slice(0, index) + character + cursor.slice(index + 1)
      }),
    fc
      .tuple(fc.constantFrom(...plausible.cursors), fc.nat())
      .map(([cursor, cut]) => cursor.slice(0, cut % 40)),
  )
}

function fittingText(plausible: Plausible, check: { min?: number; max?: number }): fc.Arbitrary<string> {
  const pool = [...plausible.ids, ...plausible.strings]
  return fc.oneof(
    fc.constantFrom(...pool),
    fc.string({ minLength: check.min ?? 0, maxLength: Math.min(check.max ?? 30, 30) }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  )
}

type Def = {
  type: string
  shape?: Record<string, z.ZodType>
  innerType?: z.ZodType
  in?: z.ZodType
  element?: z.ZodType
  options?: z.ZodType[]
  valueType?: z.ZodType
  entries?: Record<string, string | number>
  values?: unknown[]
  checks?: { _zod: { def: { check?: string; minimum?: number; maximum?: number; value?: number } } }[]
}

const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def

function lengthBounds(def: Def): { min?: number; max?: number } {
  const bounds: { min?: number; max?: number } = {}
  for (const { _zod } of def.checks ?? []) {
    if (_zod.def.check === 'min_length') bounds.min = _zod.def.minimum
    if (_zod.def.check === 'max_length') bounds.max = _zod.def.maximum
  }
  return bounds
}

/** A value for `schema`: three times in four one that fits its shape, else a hostile one. */
export function inputFor(schema: z.ZodType, plausible: Plausible, depth = 0): fc.Arbitrary<unknown> {
  const hostile = hostileValue(plausible)
  if (depth > 6) return hostile
  return fc.oneof(
    { weight: 3, arbitrary: fitting(schema, plausible, depth) },
    { weight: 1, arbitrary: hostile },
  )
}

function fitting(schema: z.ZodType, plausible: Plausible, depth: number): fc.Arbitrary<unknown> {
  const def = defOf(schema)
  const inner = (child: z.ZodType) => inputFor(child, plausible, depth + 1)
  switch (def.type) {
    case 'object': {
      const fields = Object.fromEntries(
        Object.entries(def.shape ?? {}).map(([key, child]) => [key, inner(child)]),
      )
      const known = fc.record(fields, { requiredKeys: [] })
      // Now and then a field the schema does not know, a prototype key among them.
      return fc.oneof(
        { weight: 4, arbitrary: known },
        {
          weight: 1,
          arbitrary: fc
            .tuple(
              known,
              fc.constantFrom('__proto__', 'constructor', 'extra', '\uD800'),
              hostileValue(plausible),
            )
            .map(([value, key, extra]) => {
              const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) }
              Object.defineProperty(copy, key, {
                value: extra,
                enumerable: true,
                configurable: true,
                writable: true,
              })
              return copy
            }),
        },
      )
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return fc.oneof(inner(def.innerType!), fc.constantFrom(undefined, null))
    case 'pipe':
      return inner(def.in!)
    case 'array':
      return fc.array(inner(def.element!), { maxLength: 4 })
    case 'union':
      return fc.oneof(...def.options!.map(inner))
    case 'record':
      return fc.dictionary(fittingText(plausible, {}), inner(def.valueType!), { maxKeys: 4 })
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { none: 'none' }))
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]))
    case 'string':
      return fittingText(plausible, lengthBounds(def))
    case 'number':
    case 'int':
      return fc.oneof(fc.integer({ min: -2, max: 1_000 }), fc.constantFrom(...EDGE_NUMBERS))
    case 'boolean':
      return fc.boolean()
    case 'custom':
    case 'unknown':
    case 'any':
      // Free-form JSON fields (metadata, properties): plain, deep, or with a prototype key.
      return fc.oneof(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
        fc.constant(null).map(() => ({ deep: nested(60) })),
        fc.constant(null).map(protoObject),
      )
    default:
      return hostileValue(plausible)
  }
}
