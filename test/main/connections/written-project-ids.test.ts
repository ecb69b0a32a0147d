import Database from 'better-sqlite3'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { writtenProjectIds } from '../../../src/main/connections/repository'

// Real SQLite, in memory: the order connection_projects' view triggers keep a row's ids in.
const db = new Database(':memory:')
const sqliteOrder = db.prepare<[string], { ids: string }>(
  'SELECT json_group_array(value ORDER BY value) AS ids FROM (SELECT DISTINCT value FROM json_each(?))',
)

/** Text as SQLite stores it: a lone surrogate cannot be UTF-8 and reads back as U+FFFD. */
const stored = (text: string) => Buffer.from(text).toString('utf8')

describe('writtenProjectIds', () => {
  it('orders distinct ids as SQLite does (UTF-8 bytes), whichever path it takes', () => {
    const id = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom('proj-001', 'é', '\uFFFD', '\u{1F600}', '\uE000', 'Z', 'a'),
    )
    fc.assert(
      fc.property(fc.array(id, { maxLength: 8 }), (raw) => {
        const ids = raw.map(stored)
        const expected = JSON.parse(sqliteOrder.get(JSON.stringify(ids))!.ids) as string[]
        expect(writtenProjectIds(ids)).toEqual(expected)
      }),
      { numRuns: 500 },
    )
  })

  it('puts a character above the surrogates after an astral one, as its bytes do', () => {
    // UTF-16 code units would put U+E000 (0xE000) after U+1F600 (0xD83D…); UTF-8 bytes do not.
    expect(writtenProjectIds(['\uE000', '\u{1F600}', 'a'])).toEqual(['a', '\uE000', '\u{1F600}'])
  })
})
