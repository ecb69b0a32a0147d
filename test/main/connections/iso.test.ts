import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { iso } from '../../../src/main/connections/rows'

describe('the instants an answer formats', () => {
  it('are each its own ISO text, whatever order they come in (two are remembered)', () => {
    const instant = fc.integer({ min: 0, max: 8_640_000_000_000 })
    fc.assert(
      fc.property(
        fc.array(fc.oneof(instant, fc.constantFrom(0, 1, 1_767_225_600_000)), { maxLength: 40 }),
        (ms) => {
          for (const value of ms) expect(iso(value)).toBe(new Date(value).toISOString())
        },
      ),
    )
  })
})
