import type { AppConnection, ConnectionType } from '../../../../shared/contract'

const TYPE_LABELS: Record<ConnectionType, string> = {
  OAUTH2: 'OAuth2',
  CLOUD_OAUTH2: 'Cloud OAuth2',
  PLATFORM_OAUTH2: 'Platform OAuth2',
  SECRET_TEXT: 'Secret text',
  BASIC_AUTH: 'Basic auth',
  CUSTOM_AUTH: 'Custom auth',
  OIDC: 'OIDC',
  NO_AUTH: 'No auth',
}

/**
 * A piece's friendly name: "@activepieces/piece-google-sheets" reads "Google Sheets". The package
 * name stays in the cell's title and beside it in the piece picker, and the API matches it exactly.
 */
export function pieceLabel(pieceName: string): string {
  const bare = pieceName.replace(/^@[^/]+\//, '').replace(/^piece-/, '')
  const words = bare.split(/[-_]+/).filter(Boolean)
  if (words.length === 0) return pieceName
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ')
}

/** The piece picker's partial match: on the friendly name or the package name, ignoring case. */
export function pieceMatches(pieceName: string, typed: string): boolean {
  const needle = typed.trim().toLowerCase()
  if (!needle) return true
  return pieceLabel(pieceName).toLowerCase().includes(needle) || pieceName.toLowerCase().includes(needle)
}

export const typeLabel = (type: ConnectionType) => TYPE_LABELS[type]

export const isOAuth2 = (type: ConnectionType) =>
  type === 'OAUTH2' || type === 'CLOUD_OAUTH2' || type === 'PLATFORM_OAUTH2'

/** "in 12 min", "3 h ago": short enough for a table cell. */
export function relativeTime(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000)
  const abs = Math.abs(seconds)
  const [amount, unit] =
    abs < 60
      ? [abs, 's']
      : abs < 3600
        ? [Math.round(abs / 60), 'min']
        : abs < 86_400
          ? [Math.round(abs / 3600), 'h']
          : [Math.round(abs / 86_400), 'd']
  return seconds >= 0 ? `in ${amount} ${unit}` : `${amount} ${unit} ago`
}

/**
 * For moments that are always past (updated, created). The clock behind `now` ticks every 30 s, so a
 * row written since reads as slightly in the future: that is "just now", never "in 20 s".
 */
export function agoText(iso: string, now: number): string {
  return Date.parse(iso) > now - 60_000 ? 'just now' : relativeTime(iso, now)
}

/** For OAuth2 rows: "expires in 12 min" or "expired 3 min ago"; null when there is no expiry. */
export function expiryText(connection: AppConnection, now: number): string | null {
  if (!isOAuth2(connection.type) || !connection.health.tokenExpiresAt) return null
  const when = relativeTime(connection.health.tokenExpiresAt, now)
  return when.startsWith('in ') ? `expires ${when}` : `expired ${when}`
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
export const formatDate = (iso: string | null) => (iso ? dateFormat.format(new Date(iso)) : '—')

export function ownerText(connection: AppConnection): string {
  const owner = connection.owner
  if (!owner) return '—'
  const name = `${owner.firstName} ${owner.lastName}`.trim()
  return name || owner.email
}

export const projectsText = (connection: AppConnection) =>
  connection.projectIds.length === 0
    ? '—'
    : connection.projectIds.length <= 2
      ? connection.projectIds.join(', ')
      : `${connection.projectIds[0]} +${connection.projectIds.length - 1}`

/** Metadata values may be any JSON; the table and forms show them as text. */
export const metadataValueText = (value: unknown) =>
  typeof value === 'string' ? value : JSON.stringify(value)
