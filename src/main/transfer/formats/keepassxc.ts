import { parse } from 'csv-parse/sync'
import { malformed, requirePieceName, type FormatOptions, type ImportEntry } from './entry'

/**
 * KeePassXC's CSV export: "Group","Title","Username","Password","URL","Notes",… with a header row.
 * A password with a username becomes basic auth, a password alone secret text. CSV carries no entry
 * id, so the external id is the group path and title; a second entry with both is skipped.
 */
export function readKeePassXcCsv(source: string, options: FormatOptions): ImportEntry[] {
  let rows: string[][]
  try {
    rows = parse(source.replace(/^\uFEFF/, ''), {
      relax_column_count: false,
      skip_empty_lines: true,
    }) as string[][]
  } catch (error) {
    const line = (error as { lines?: number }).lines
    throw malformed(
      line ? `line ${line}` : 'the CSV',
      'this is not valid CSV (a quote or a column is out of place).',
    )
  }
  const [header, ...records] = rows
  const column = (name: string) => header?.findIndex((cell) => cell.trim().toLowerCase() === name) ?? -1
  const title = column('title')
  const password = column('password')
  if (!header || title < 0 || password < 0) {
    throw malformed(
      'line 1',
      'a KeePassXC CSV export starts with a header row naming Title and Password columns.',
    )
  }
  const group = column('group')
  const username = column('username')
  const pieceName = records.length > 0 ? requirePieceName(options, 'KeePassXC') : ''
  const seen = new Map<string, number>()
  return records.map((record, index) => {
    const row = index + 2
    const name = record[title] ?? ''
    const externalId = `${group >= 0 ? `${record[group]}/` : ''}${name}`
    const label = { at: `row ${row}`, displayName: name, pieceName, externalId }
    const secret = record[password] ?? ''
    if (secret === '') return { ...label, candidate: null, skip: 'It has no password.' }
    const first = seen.get(externalId)
    if (first !== undefined) {
      return {
        ...label,
        candidate: null,
        skip: `Row ${first} has the same group and title; only that one is imported.`,
      }
    }
    seen.set(externalId, row)
    const user = username >= 0 ? (record[username] ?? '') : ''
    const value = user
      ? { type: 'BASIC_AUTH', username: user, password: secret }
      : { type: 'SECRET_TEXT', secret_text: secret }
    return {
      ...label,
      candidate: { displayName: name, pieceName, pieceVersion: '0.0.0', externalId, type: value.type, value },
    }
  })
}
