import { malformed, requirePieceName, type FormatOptions, type ImportEntry } from './entry'

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/**
 * A .env file: NAME=value lines (an `export ` before the name is allowed), # comments, values
 * bare, 'single-quoted' (literal) or "double-quoted" (\n, \t, \", \\ escapes; may span lines), as
 * dotenv reads them. Each variable becomes one secret-text connection named by the variable.
 */
export function readEnv(source: string, options: FormatOptions): ImportEntry[] {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/)
  const variables: { name: string; value: string; line: number }[] = []
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const match = /^(?:export\s+)?([^=\s]+)\s*=(.*)$/.exec(trimmed)
    if (!match || !NAME.test(match[1]!)) throw malformed(`line ${index + 1}`, 'expected NAME=value.')
    const start = index
    const raw = match[2]!.trimStart()
    let value: string
    if (raw.startsWith('"')) {
      let body = raw.slice(1)
      let end = closingQuote(body)
      while (end < 0 && index + 1 < lines.length) {
        index += 1
        body += `\n${lines[index]}`
        end = closingQuote(body)
      }
      if (end < 0) throw malformed(`line ${start + 1}`, 'a double-quoted value is never closed.')
      value = unescapeDouble(body.slice(0, end))
    } else if (raw.startsWith("'")) {
      const end = raw.indexOf("'", 1)
      if (end < 0) throw malformed(`line ${start + 1}`, 'a single-quoted value is never closed.')
      value = raw.slice(1, end)
    } else {
      value = raw.replace(/\s+#.*$/, '').trim()
    }
    variables.push({ name: match[1]!, value, line: start + 1 })
  }
  const pieceName = variables.length > 0 ? requirePieceName(options, '.env') : ''
  return variables.map(({ name, value, line }) => ({
    at: `line ${line}`,
    displayName: name,
    pieceName,
    externalId: name,
    candidate:
      value === ''
        ? null
        : {
            displayName: name,
            pieceName,
            pieceVersion: '0.0.0',
            externalId: name,
            type: 'SECRET_TEXT',
            value: { type: 'SECRET_TEXT', secret_text: value },
          },
    ...(value === '' ? { skip: 'Its value is empty.' } : {}),
  }))
}

function closingQuote(body: string): number {
  for (let i = 0; i < body.length; i += 1) {
    if (body[i] === '\\') i += 1
    else if (body[i] === '"') return i
  }
  return -1
}

function unescapeDouble(body: string): string {
  return body.replace(/\\(.)/g, (_all, char: string) =>
    char === 'n' ? '\n' : char === 't' ? '\t' : char === 'r' ? '\r' : char,
  )
}
