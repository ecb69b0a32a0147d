import { validationError } from '../../../shared/errors'

/** One variable a child gets: a literal, or a secret to look up (connection id or externalId, field). */
export type EnvEntry =
  | { name: string; kind: 'literal'; value: string }
  | { name: string; kind: 'secret'; connection: string; field: string | undefined }

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const REFERENCE = 'latchkey://'

/** `NAME=ID[.field]` from --env. The field follows the last dot; ids never hold one. */
export function parseEnvFlag(flag: string): EnvEntry {
  const equals = flag.indexOf('=')
  const name = flag.slice(0, equals)
  const target = flag.slice(equals + 1)
  if (equals < 1 || !NAME.test(name) || target.length === 0) {
    throw validationError(`--env takes NAME=ID or NAME=ID.field, not “${flag}”.`, [
      { path: 'env', message: 'NAME=ID[.field]' },
    ])
  }
  const dot = target.lastIndexOf('.')
  return dot > 0
    ? { name, kind: 'secret', connection: target.slice(0, dot), field: target.slice(dot + 1) }
    : { name, kind: 'secret', connection: target, field: undefined }
}

/**
 * A .env template as `op run --env-file` reads one: NAME=value lines, # comments, optional quotes.
 * A value `latchkey://ID/field` (field optional) is a secret reference; anything else passes as is.
 */
export function parseEnvTemplate(text: string, file: string): EnvEntry[] {
  const entries: EnvEntry[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (!match) throw validationError(`${file} line ${index + 1} is not NAME=value.`)
    const name = match[1]!
    const value = unquote(match[2]!)
    if (!value.startsWith(REFERENCE)) return entries.push({ name, kind: 'literal', value })
    const [connection, ...field] = value.slice(REFERENCE.length).split('/')
    if (!connection || field.length > 1) {
      throw validationError(`${file} line ${index + 1}: a reference is latchkey://ID or latchkey://ID/field.`)
    }
    entries.push({
      name,
      kind: 'secret',
      connection: decodeURIComponent(connection),
      field: field[0] ? decodeURIComponent(field[0]) : undefined,
    })
  })
  return entries
}

function unquote(value: string): string {
  const quote = value[0]
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2)
    return value.slice(1, -1)
  const comment = value.indexOf(' #')
  return comment >= 0 ? value.slice(0, comment).trimEnd() : value
}
