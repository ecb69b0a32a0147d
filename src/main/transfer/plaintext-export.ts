import type { ConnectionValue, ExportFormat } from '../../shared/contract'
import type { ConnectionsRepository } from '../connections/repository'
import { toConnection } from '../connections/rows'
import { seedFieldsOf } from '../connections/seed-shape'
import type { VaultSession } from '../vault/session'

const CHUNK = 500

/** One connection as the export writes it: the upsert's fields, in the seeds' names, with its value. */
export interface ExportedConnection {
  externalId: string
  displayName: string
  pieceName: string
  pieceVersion: string | null
  type: string
  scope: string
  projectIds: string[]
  metadata: Record<string, unknown> | null
  preSelectForNewProjects: boolean
  value?: ConnectionValue
}

/**
 * Every connection with its decrypted value, oldest id first. Each row's identity is checked first
 * (row-integrity.ts): a row edited in the file is refused with INTEGRITY, never exported under a
 * name it was not stored with. Connections with no value here (a MISSING placeholder, a secret only
 * the remote holds) are exported without one.
 */
export function readAllForExport(
  session: VaultSession,
  repository: ConnectionsRepository,
  assertRowIntegrity: (session: VaultSession, connectionId: string) => void,
): ExportedConnection[] {
  const ids = (session.db.prepare('SELECT id FROM connections ORDER BY id').all() as { id: string }[]).map(
    (row) => row.id,
  )
  const exported: ExportedConnection[] = []
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK)
    const related = repository.related(chunk)
    for (const row of repository.byIds(chunk)) {
      assertRowIntegrity(session, row.id)
      const connection = toConnection(row, related)
      const envelope = repository.readValue(row.id)
      exported.push({
        ...seedFieldsOf(connection),
        ...(envelope
          ? { value: JSON.parse(session.open('connection-value', row.id, envelope)) as ConnectionValue }
          : {}),
      })
    }
  }
  return exported
}

export function renderExport(
  format: ExportFormat,
  connections: ExportedConnection[],
  exportedAt: string,
): string {
  return format === 'env' ? renderEnv(connections, exportedAt) : renderJson(connections, exportedAt)
}

/** Seed-shaped JSON that import reads back as it was (import.preview shows every entry unchanged). */
function renderJson(connections: ExportedConnection[], exportedAt: string): string {
  return `${JSON.stringify(
    {
      format: 'latchkey-export',
      version: 1,
      exportedAt,
      warning: 'Every value in this file is a secret in plain text.',
      connections,
    },
    null,
    2,
  )}\n`
}

/**
 * NAME="value" lines for tools that read .env files: one variable per secret field, named from the
 * connection's name (SLACK_BOT for "Slack bot", then _USERNAME, _PASSWORD, _ACCESS_TOKEN, … per field).
 * Double-quoted with \n, \" and \\ escapes, which dotenv and Latchkey's own import read back.
 */
function renderEnv(connections: ExportedConnection[], exportedAt: string): string {
  const lines = [`# Latchkey plaintext export, ${exportedAt}. Every value below is a secret in plain text.`]
  const used = new Set<string>()
  for (const connection of connections) {
    const fields = envFields(connection.value)
    if (fields.length === 0) continue
    lines.push('', `# ${oneLine(connection.displayName)} (${oneLine(connection.pieceName)})`)
    const base = envName(connection.displayName) || envName(connection.externalId) || 'CONNECTION'
    for (const [suffix, value] of fields) {
      let name = suffix ? `${base}_${suffix}` : base
      for (let n = 2; used.has(name); n += 1) name = `${suffix ? `${base}_${suffix}` : base}_${n}`
      used.add(name)
      lines.push(`${name}="${escapeDouble(value)}"`)
    }
  }
  return `${lines.join('\n')}\n`
}

function envFields(value: ConnectionValue | undefined): [string, string][] {
  if (!value) return []
  switch (value.type) {
    case 'SECRET_TEXT':
      return [['', value.secret_text]]
    case 'BASIC_AUTH':
      return [
        ['USERNAME', value.username],
        ['PASSWORD', value.password],
      ]
    case 'CUSTOM_AUTH':
    case 'OIDC':
      return Object.entries(value.props).map(([name, item]) => [
        envName(name) || 'PROP',
        typeof item === 'string' ? item : JSON.stringify(item),
      ])
    case 'NO_AUTH':
      return []
    default: {
      const fields: [string, string][] = [['ACCESS_TOKEN', value.access_token]]
      if (value.refresh_token) fields.push(['REFRESH_TOKEN', value.refresh_token])
      if ('client_secret' in value && value.client_secret) fields.push(['CLIENT_SECRET', value.client_secret])
      return fields
    }
  }
}

/** A variable name from any text: A–Z, 0–9 and _, not starting with a digit; '' when nothing is left. */
function envName(text: string): string {
  const name = text
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
  if (name === '') return ''
  return /^[A-Z_]/.test(name) ? name : `_${name}`
}

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ')
const escapeDouble = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
