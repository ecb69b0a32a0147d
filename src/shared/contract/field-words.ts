/**
 * The words a person reads for the contract's field names and enum values. Error messages are built
 * from these, so a sentence never shows `autoLockMinutes` or `ENFORCED_ORG`.
 */

export interface FieldWords {
  /** What the field is called on screen, as a sentence's subject: "Lock after idle". */
  label: string
  /** What a number counts, for "a whole number of minutes". */
  unit?: string
}

const FIELDS: Record<string, FieldWords> = {
  autoLockMinutes: { label: 'Lock after idle', unit: 'minutes' },
  clipboardClearSeconds: { label: 'Clear the clipboard after', unit: 'seconds' },
  revealHideSeconds: { label: 'Hide revealed values after', unit: 'seconds' },
  lockOnSuspend: { label: 'Lock when the system sleeps' },
  pieceName: { label: 'Piece name' },
  pieceVersion: { label: 'Piece version' },
  projectId: { label: 'Project id' },
  projectIds: { label: 'Project ids' },
  connectionId: { label: 'Connection' },
  sourceAppConnectionId: { label: 'Connection to replace' },
  targetAppConnectionId: { label: 'Replacement connection' },
  externalId: { label: 'External id' },
  displayName: { label: 'Name' },
  flowId: { label: 'Flow id' },
  flowName: { label: 'Flow name' },
  active: { label: 'Active' },
  type: { label: 'Type' },
  scope: { label: 'Scope' },
  status: { label: 'Status' },
  remoteId: { label: 'Remote' },
  entityId: { label: 'Entity id' },
  limit: { label: 'Limit', unit: 'items' },
  offset: { label: 'Offset' },
  cursor: { label: 'Cursor' },
  id: { label: 'Id' },
}

const ENUM_VALUES: Record<string, string> = {
  // Policies (Weavz)
  ENFORCED_ORG: 'enforced for the whole organisation',
  ENFORCED_PROJECT: 'enforced for the project',
  USER_REQUIRED: 'each user brings their own',
  USER_WITH_DEFAULT: 'each user’s own, with a default',
  // Connections
  PROJECT: 'project',
  PLATFORM: 'platform',
  ACTIVE: 'active',
  MISSING: 'missing',
  ERROR: 'error',
  OAUTH2: 'OAuth2',
  CLOUD_OAUTH2: 'Cloud OAuth2',
  PLATFORM_OAUTH2: 'Platform OAuth2',
  SECRET_TEXT: 'secret text',
  BASIC_AUTH: 'basic auth',
  CUSTOM_AUTH: 'custom auth',
  OIDC: 'OIDC',
  NO_AUTH: 'no auth',
}

/** "autoLockMinutes" or "token_url" → "Auto lock minutes", "Token url": a last resort that still reads. */
function wordsOf(key: string): string {
  const spaced = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

/** The words for the field at a path: its last named key, and the item number inside a list. */
export function fieldWordsAt(path: readonly PropertyKey[]): FieldWords {
  const keys = path.filter((part): part is string => typeof part === 'string')
  const last = keys[keys.length - 1]
  if (last === undefined) return { label: 'The request' }
  const words = FIELDS[last] ?? { label: wordsOf(last) }
  const index = path[path.length - 1]
  return typeof index === 'number' ? { label: `${words.label}, item ${index + 1},` } : words
}

/** One enum value in words: "ENFORCED_ORG" → "enforced for the whole organisation". */
export function enumValueWords(value: unknown): string {
  if (typeof value !== 'string') return String(value)
  return ENUM_VALUES[value] ?? value.toLowerCase().replace(/_/g, ' ')
}

/** "a, b or c" */
export function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}
