import type Database from 'better-sqlite3'
import type { RemoteDialect } from '../../shared/contract/remotes'

export interface RemoteRow {
  id: string
  name: string
  dialect: RemoteDialect
  base_url: string
  project_id: string | null
  org_id: string | null
  api_key_envelope: Buffer
  key_version: number
  created_ms: number
  updated_ms: number
}

export interface RemoteCounts {
  connection_count: number
  pending_count: number
}

/** The remotes table's statements, prepared once per database handle. */
export function createRemotesRepository(db: Database.Database) {
  const all = db.prepare<[], RemoteRow>('SELECT * FROM remotes ORDER BY name COLLATE NOCASE, id')
  const byId = db.prepare<[string], RemoteRow>('SELECT * FROM remotes WHERE id = ?')
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM remotes WHERE name = ? COLLATE NOCASE')
  const counts = db.prepare<[string, string], RemoteCounts>(
    `SELECT (SELECT count(*) FROM connections WHERE remote_key = ?) AS connection_count,
       (SELECT count(*) FROM sync_outbox WHERE remote_id = ?) AS pending_count`,
  )
  const insert = db.prepare(
    `INSERT INTO remotes (id, name, dialect, base_url, project_id, org_id, api_key_envelope, key_version,
       created_ms, updated_ms)
     VALUES (@id, @name, @dialect, @base_url, @project_id, @org_id, @api_key_envelope, @key_version,
       @created_ms, @updated_ms)`,
  )
  const update = db.prepare(
    `UPDATE remotes SET name = @name, base_url = @base_url, project_id = @project_id, org_id = @org_id,
       api_key_envelope = @api_key_envelope, key_version = @key_version, updated_ms = @updated_ms
     WHERE id = @id`,
  )
  // A local connection could already use the natural key a detached row would take.
  const detachCollisions = db.prepare<[string], { id: string; display_name: string }>(
    `SELECT c.id, c.display_name FROM connections c
     WHERE c.remote_key = ? AND EXISTS (SELECT 1 FROM connections l
       WHERE l.remote_key = '' AND l.piece_name = c.piece_name AND l.external_id = c.external_id)
     LIMIT 5`,
  )
  const detach = db.prepare<[string]>(
    `UPDATE connections SET remote_key = '', sync_state = 'LOCAL' WHERE remote_key = ?`,
  )
  const discardOutbox = db.prepare<[string]>('DELETE FROM sync_outbox WHERE remote_id = ?')
  const discardState = db.prepare<[string]>('DELETE FROM sync_connection_state WHERE remote_id = ?')
  const discardStatus = db.prepare<[string]>('DELETE FROM sync_remote_status WHERE remote_id = ?')
  const remove = db.prepare<[string]>('DELETE FROM remotes WHERE id = ?')

  return {
    all: () => all.all(),
    byId: (id: string) => byId.get(id),
    idByName: (name: string) => byName.get(name)?.id ?? null,
    counts: (id: string) => counts.get(id, id) ?? { connection_count: 0, pending_count: 0 },
    insert: (row: RemoteRow) => insert.run(row),
    update: (row: RemoteRow) => update.run(row),
    detachCollisions: (id: string) => detachCollisions.all(id),
    /** Connections become local-only; none is deleted. Answers how many were detached. */
    removeKeepingConnections(id: string): { detached: number; discarded: number } {
      const discarded = discardOutbox.run(id).changes
      discardState.run(id)
      discardStatus.run(id)
      const detached = detach.run(id).changes
      remove.run(id)
      return { detached, discarded }
    },
  }
}

export type RemotesRepository = ReturnType<typeof createRemotesRepository>
