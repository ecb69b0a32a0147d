import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalDetails } from '../../../src/main/audit/audit-log'

/** The canonical form as first written: a copy with its keys sorted, stringified. */
function sortedCopy(details: Record<string, string | number | boolean | null>): string {
  const copy: Record<string, string | number | boolean | null> = {}
  for (const key of Object.keys(details).sort()) copy[key] = details[key]!
  return JSON.stringify(copy)
}

describe('canonicalDetails', () => {
  it('is the sorted form whatever order the writer listed the keys in', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    )
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value), (details) => {
        expect(canonicalDetails(details)).toBe(sortedCopy(details))
        // The same details listed in key order (the writers' fast path) give the same text.
        const ordered = Object.fromEntries(Object.entries(details).sort(([a], [b]) => (a < b ? -1 : 1)))
        expect(canonicalDetails(ordered)).toBe(sortedCopy(details))
      }),
      { numRuns: 500 },
    )
  })

  it('refuses a nested value, in key order or not', () => {
    const nested = { a: 1, b: { secret: 'x' } } as unknown as Record<string, string>
    expect(() => canonicalDetails(nested)).toThrow('Audit details hold only')
    expect(() => canonicalDetails({ z: 1, a: [1] } as unknown as Record<string, number>)).toThrow(
      'Audit details hold only',
    )
  })

  it('writes no details as an empty object', () => {
    expect(canonicalDetails(undefined)).toBe('{}')
    expect(canonicalDetails({})).toBe('{}')
  })
})
