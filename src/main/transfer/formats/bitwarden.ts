import { AppError } from '../../../shared/errors'
import {
  isRecord,
  malformed,
  parseJsonText,
  requirePieceName,
  text,
  type FormatOptions,
  type ImportEntry,
} from './entry'

const NOT_CONNECTIONS: Record<number, string> = {
  3: 'It is a payment card, not an app connection.',
  4: 'It is an identity, not an app connection.',
  5: 'It is an SSH key, not an app connection.',
}

/**
 * Bitwarden's unencrypted JSON export ({ encrypted: false, items: [...] }). A login with a username
 * and a password becomes basic auth; a password alone, or a secure note's text, secret text; custom
 * fields alone, custom auth with one property per field. A custom field named "pieceName" says which
 * piece the entry is for. The item id is the external id, so importing again updates in place.
 */
export function readBitwarden(source: string, options: FormatOptions): ImportEntry[] {
  const parsed = parseJsonText(source)
  if (!isRecord(parsed)) throw malformed('the top level', 'expected a Bitwarden export object.')
  if (parsed.encrypted === true) {
    throw new AppError('VALIDATION', {
      message:
        'This Bitwarden export is encrypted. Export again and choose the "JSON" format (not "JSON (Encrypted)"), import it, then delete that file.',
    })
  }
  if (!Array.isArray(parsed.items))
    throw malformed('the top level', 'a Bitwarden export has an "items" list.')
  return parsed.items.map((item, index) => entryOf(item, `items[${index}]`, options))
}

function entryOf(item: unknown, at: string, options: FormatOptions): ImportEntry {
  if (!isRecord(item)) throw malformed(at, 'each item must be a JSON object.')
  const fields = customFields(item.fields, at)
  const pieceName = fields.get('pieceName') ?? options.pieceName ?? ''
  fields.delete('pieceName')
  const label = {
    at,
    displayName: text(item.name),
    pieceName,
    externalId: text(item.id) || text(item.name),
  }
  const skip = (reason: string): ImportEntry => ({ ...label, candidate: null, skip: reason })
  const type = typeof item.type === 'number' ? item.type : 0
  if (NOT_CONNECTIONS[type]) return skip(NOT_CONNECTIONS[type]!)
  const login = isRecord(item.login) ? item.login : {}
  const username = text(login.username)
  const password = text(login.password)
  const notes = text(item.notes)
  const value =
    type === 1 && password && username
      ? { type: 'BASIC_AUTH', username, password }
      : type === 1 && password
        ? { type: 'SECRET_TEXT', secret_text: password }
        : fields.size > 0
          ? { type: 'CUSTOM_AUTH', props: Object.fromEntries(fields) }
          : type === 2 && notes
            ? { type: 'SECRET_TEXT', secret_text: notes }
            : null
  if (!value) return skip('It has no password, note text or custom fields to import.')
  const piece = pieceName || requirePieceName(options, 'Bitwarden')
  return {
    ...label,
    pieceName: piece,
    candidate: {
      displayName: label.displayName,
      pieceName: piece,
      pieceVersion: '0.0.0',
      externalId: label.externalId,
      type: value.type,
      value,
    },
  }
}

function customFields(fields: unknown, at: string): Map<string, string> {
  const found = new Map<string, string>()
  if (fields === undefined || fields === null) return found
  if (!Array.isArray(fields)) throw malformed(`${at}.fields`, 'custom fields must be a list.')
  for (const field of fields) {
    if (
      isRecord(field) &&
      typeof field.name === 'string' &&
      field.name.trim() !== '' &&
      typeof field.value === 'string'
    ) {
      found.set(field.name, field.value)
    }
  }
  return found
}
