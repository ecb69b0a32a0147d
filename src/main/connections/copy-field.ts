import type { ConnectionValue } from '../../shared/contract'
import { AppError } from '../../shared/errors'

/** The field a person usually wants on the clipboard, per value type. */
const DEFAULT_FIELD: Partial<Record<ConnectionValue['type'], string>> = {
  SECRET_TEXT: 'secret_text',
  BASIC_AUTH: 'password',
  OAUTH2: 'access_token',
  CLOUD_OAUTH2: 'access_token',
  PLATFORM_OAUTH2: 'access_token',
}

/** Fields of a value that are text a person could paste; `type` and nested objects are not. */
function copyableFields(value: ConnectionValue): Map<string, string> {
  const source: Record<string, unknown> =
    value.type === 'CUSTOM_AUTH' || value.type === 'OIDC' ? value.props : { ...value, type: undefined }
  const fields = new Map<string, string>()
  for (const [name, item] of Object.entries(source)) {
    if (typeof item === 'string' && item.length > 0) fields.set(name, item)
    else if (typeof item === 'number' || typeof item === 'boolean') fields.set(name, String(item))
  }
  return fields
}

/**
 * Which text of a value goes on the clipboard. Without `field` (the palette's and the keyboard's
 * copy): the type's usual secret, else the first property of a custom auth or OIDC value, in the
 * order it was entered, so the primary copy never dead-ends. Every other field is copied by name.
 * Errors name fields, never their contents.
 */
export function pickCopyField(
  value: ConnectionValue,
  field: string | undefined,
): { field: string; text: string } {
  const fields = copyableFields(value)
  if (fields.size === 0) {
    throw new AppError('VALIDATION', { message: `A ${value.type} connection has nothing to copy.` })
  }
  const wanted = field ?? DEFAULT_FIELD[value.type] ?? [...fields.keys()][0]!
  const text = fields.get(wanted)
  if (text === undefined) {
    throw new AppError('VALIDATION', {
      message: `This connection has no “${wanted}” to copy. It has: ${[...fields.keys()].join(', ')}.`,
    })
  }
  return { field: wanted, text }
}
