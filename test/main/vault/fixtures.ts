import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { VaultSession } from '../../../src/main/vault/session'

/**
 * Writes a connection the way the connections repository will: the plaintext row, its sealed
 * value and its audit entry in one IMMEDIATE transaction. Raw SQL on purpose: these tests are
 * about the vault, and the connections repository belongs to another area.
 */
export function insertConnection(session: VaultSession, id: string, secret: string, nowMs = 1): void {
  session.transaction(() => {
    session.db
      .prepare(
        `INSERT INTO connections (id, external_id, display_name, type, piece_name, scope, status, created_ms, updated_ms)
         VALUES (?, ?, ?, 'SECRET_TEXT', '@activepieces/piece-openai', 'PROJECT', 'ACTIVE', ?, ?)`,
      )
      .run(id, `ext-${id}`, `Connection ${id}`, nowMs, nowMs)
    session.db
      .prepare('INSERT INTO connection_values (connection_id, key_version, envelope) VALUES (?, ?, ?)')
      .run(
        id,
        session.keyVersion,
        session.seal('connection-value', id, JSON.stringify({ type: 'SECRET_TEXT', secret_text: secret })),
      )
    session.audit({ action: 'connection.create', origin: 'test', entityType: 'app_connection', entityId: id })
  })
}

export function readSecret(session: VaultSession, id: string): string {
  const row = session.db
    .prepare('SELECT envelope FROM connection_values WHERE connection_id = ?')
    .get(id) as {
    envelope: Buffer
  }
  return (JSON.parse(session.open('connection-value', id, row.envelope)) as { secret_text: string })
    .secret_text
}

export const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
