import Database from 'better-sqlite3'
import { randomBytes, randomInt } from 'node:crypto'

export type ServerDialect = 'activepieces' | 'weavz'

/** A connection as the test server keeps it, value included so a test can see what the remote holds. */
export interface StoredConnection {
  id: string
  dialect: ServerDialect
  externalId: string | null
  pieceName: string
  displayName: string
  type: string
  status: string
  projectIds: string[]
  scope: string
  ownerId: string | null
  metadata: Record<string, unknown> | null
  value: Record<string, unknown>
  createdMs: number
  updatedMs: number
}

export interface StoredFlow {
  id: string
  projectId: string
  /** externalIds the latest (draft) version references. */
  draftRefs: string[]
  /** externalIds the published (locked) version references; null when never published. */
  publishedRefs: string[] | null
}

export type WriteOp = 'create' | 'update' | 'metadata' | 'delete' | 'replace' | 'claim'

export interface WriteRecord {
  seq: number
  dialect: ServerDialect
  op: WriteOp
  connectionId: string | null
  externalId: string | null
  pieceName: string | null
  atMs: number
}

interface ConnectionRow {
  id: string
  dialect: ServerDialect
  external_id: string | null
  piece_name: string
  display_name: string
  type: string
  status: string
  project_ids: string
  scope: string
  owner_id: string | null
  metadata: string | null
  value: string
  created_ms: number
  updated_ms: number
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS connections (
  id TEXT PRIMARY KEY,
  dialect TEXT NOT NULL,
  external_id TEXT,
  piece_name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  project_ids TEXT NOT NULL,
  scope TEXT NOT NULL,
  owner_id TEXT,
  metadata TEXT,
  value TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  -- Order among rows created in the same millisecond: random, as Postgres gives no promise either.
  tie INTEGER NOT NULL
);
-- Serves the list: creation order, then the random tie, so a page stops after limit + 1 rows.
CREATE INDEX IF NOT EXISTS connections_list ON connections (dialect, created_ms, tie);
CREATE INDEX IF NOT EXISTS connections_external ON connections (dialect, external_id);
CREATE TABLE IF NOT EXISTS flows (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  draft_refs TEXT NOT NULL,
  published_refs TEXT
);
-- Who the server is (keys, project, org): kept so a restart on the same file is the same remote.
CREATE TABLE IF NOT EXISTS identity (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS writes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  dialect TEXT NOT NULL,
  op TEXT NOT NULL,
  connection_id TEXT,
  external_id TEXT,
  piece_name TEXT,
  at_ms INTEGER NOT NULL
);
`

const ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** Activepieces' apId(): 21 characters of [0-9a-zA-Z]. */
export function apId(): string {
  const bytes = randomBytes(21)
  let id = ''
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length]
  return id
}

export function weavzId(): string {
  return `conn_${randomBytes(9).toString('hex')}`
}

function toStored(row: ConnectionRow): StoredConnection {
  return {
    id: row.id,
    dialect: row.dialect,
    externalId: row.external_id,
    pieceName: row.piece_name,
    displayName: row.display_name,
    type: row.type,
    status: row.status,
    projectIds: JSON.parse(row.project_ids) as string[],
    scope: row.scope,
    ownerId: row.owner_id,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    value: JSON.parse(row.value) as Record<string, unknown>,
    createdMs: row.created_ms,
    updatedMs: row.updated_ms,
  }
}

export interface ListQuery {
  dialect: ServerDialect
  projectId?: string
  /** Only rows created at or after this millisecond. */
  createdFromMs?: number
  /** Only rows created before this millisecond. */
  createdBeforeMs?: number
  pieceName?: string
  displayNameLike?: string
  statuses?: string[]
  scope?: string
  externalId?: string
  descending?: boolean
  limit?: number
}

export type SyncStore = ReturnType<typeof openStore>

/** The server's SQLite file: connections, flows and the log of every write it applied. */
export function openStore(file: string) {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.exec(SCHEMA)

  const insert = db.prepare(`
    INSERT INTO connections (id, dialect, external_id, piece_name, display_name, type, status, project_ids, scope,
      owner_id, metadata, value, created_ms, updated_ms, tie)
    VALUES (@id, @dialect, @externalId, @pieceName, @displayName, @type, @status, @projectIds, @scope,
      @ownerId, @metadata, @value, @createdMs, @updatedMs, @tie)`)
  const update = db.prepare(`
    UPDATE connections SET external_id = @externalId, piece_name = @pieceName, display_name = @displayName,
      type = @type, status = @status, project_ids = @projectIds, scope = @scope, owner_id = @ownerId,
      metadata = @metadata, value = @value, updated_ms = @updatedMs
    WHERE id = @id`)
  const byId = db.prepare<[string, string], ConnectionRow>(
    'SELECT * FROM connections WHERE dialect = ? AND id = ?',
  )
  const remove = db.prepare('DELETE FROM connections WHERE dialect = ? AND id = ?')
  const logWrite = db.prepare(`
    INSERT INTO writes (dialect, op, connection_id, external_id, piece_name, at_ms)
    VALUES (?, ?, ?, ?, ?, ?)`)

  function params(connection: StoredConnection) {
    return {
      ...connection,
      projectIds: JSON.stringify(connection.projectIds),
      metadata: connection.metadata === null ? null : JSON.stringify(connection.metadata),
      value: JSON.stringify(connection.value),
    }
  }

  return {
    db,
    get(dialect: ServerDialect, id: string): StoredConnection | null {
      const row = byId.get(dialect, id)
      return row ? toStored(row) : null
    },
    insert(connection: StoredConnection): void {
      insert.run({ ...params(connection), tie: randomInt(2 ** 31) })
    },
    insertMany(connections: StoredConnection[]): void {
      db.transaction(() => {
        for (const connection of connections) insert.run({ ...params(connection), tie: randomInt(2 ** 31) })
      })()
    },
    update(connection: StoredConnection): void {
      update.run(params(connection))
    },
    delete(dialect: ServerDialect, id: string): boolean {
      return remove.run(dialect, id).changes > 0
    },
    /** Rows matching the query, oldest first (or newest with `descending`); `value` is left empty. */
    list(query: ListQuery): StoredConnection[] {
      const where = ['dialect = @dialect']
      const bind: Record<string, unknown> = { dialect: query.dialect }
      if (query.projectId !== undefined) {
        where.push(`EXISTS (SELECT 1 FROM json_each(project_ids) WHERE value = @projectId)`)
        bind.projectId = query.projectId
      }
      if (query.createdFromMs !== undefined) {
        where.push('created_ms >= @from')
        bind.from = query.createdFromMs
      }
      if (query.createdBeforeMs !== undefined) {
        where.push('created_ms < @before')
        bind.before = query.createdBeforeMs
      }
      if (query.pieceName !== undefined) {
        where.push('piece_name = @pieceName')
        bind.pieceName = query.pieceName
      }
      if (query.externalId !== undefined) {
        where.push('external_id = @externalId')
        bind.externalId = query.externalId
      }
      if (query.displayNameLike !== undefined) {
        // Activepieces does ILike('%' + name + '%') without escaping % or _; so does this.
        where.push(`display_name LIKE @displayName`)
        bind.displayName = `%${query.displayNameLike}%`
      }
      if (query.scope !== undefined) {
        where.push('scope = @scope')
        bind.scope = query.scope
      }
      if (query.statuses !== undefined && query.statuses.length > 0) {
        where.push(`status IN (SELECT value FROM json_each(@statuses))`)
        bind.statuses = JSON.stringify(query.statuses)
      }
      const direction = query.descending ? 'DESC' : 'ASC'
      const limit = query.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(query.limit))}`
      // Lists never answer the value, so it is not read (a 100k-row pull stays cheap on the server's side).
      const sql = `SELECT id, dialect, external_id, piece_name, display_name, type, status, project_ids, scope,
        owner_id, metadata, '{}' AS value, created_ms, updated_ms FROM connections WHERE ${where.join(' AND ')}
        ORDER BY dialect, created_ms ${direction}, tie ${direction}${limit}`
      return (db.prepare(sql).all(bind) as ConnectionRow[]).map(toStored)
    },
    all(dialect?: ServerDialect): StoredConnection[] {
      const rows = (
        dialect === undefined
          ? db.prepare('SELECT * FROM connections ORDER BY created_ms, tie').all()
          : db.prepare('SELECT * FROM connections WHERE dialect = ? ORDER BY created_ms, tie').all(dialect)
      ) as ConnectionRow[]
      return rows.map(toStored)
    },
    recordWrite(
      dialect: ServerDialect,
      op: WriteOp,
      connection: { id: string; externalId: string | null; pieceName: string } | null,
      atMs: number,
    ): void {
      logWrite.run(
        dialect,
        op,
        connection?.id ?? null,
        connection?.externalId ?? null,
        connection?.pieceName ?? null,
        atMs,
      )
    },
    writes(): WriteRecord[] {
      const rows = db.prepare('SELECT * FROM writes ORDER BY seq').all() as {
        seq: number
        dialect: ServerDialect
        op: WriteOp
        connection_id: string | null
        external_id: string | null
        piece_name: string | null
        at_ms: number
      }[]
      return rows.map((row) => ({
        seq: row.seq,
        dialect: row.dialect,
        op: row.op,
        connectionId: row.connection_id,
        externalId: row.external_id,
        pieceName: row.piece_name,
        atMs: row.at_ms,
      }))
    },
    saveFlow(flow: StoredFlow): void {
      db.prepare(
        `INSERT INTO flows (id, project_id, draft_refs, published_refs) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET draft_refs = excluded.draft_refs, published_refs = excluded.published_refs`,
      ).run(
        flow.id,
        flow.projectId,
        JSON.stringify(flow.draftRefs),
        flow.publishedRefs === null ? null : JSON.stringify(flow.publishedRefs),
      )
    },
    flows(projectId?: string): StoredFlow[] {
      const rows = (
        projectId === undefined
          ? db.prepare('SELECT * FROM flows ORDER BY id').all()
          : db.prepare('SELECT * FROM flows WHERE project_id = ? ORDER BY id').all(projectId)
      ) as { id: string; project_id: string; draft_refs: string; published_refs: string | null }[]
      return rows.map((row) => ({
        id: row.id,
        projectId: row.project_id,
        draftRefs: JSON.parse(row.draft_refs) as string[],
        publishedRefs: row.published_refs === null ? null : (JSON.parse(row.published_refs) as string[]),
      }))
    },
    /** The stored value of an identity field, made by `make` and stored the first time. */
    identity(name: string, make: () => string): string {
      const row = db
        .prepare<[string], { value: string }>('SELECT value FROM identity WHERE name = ?')
        .get(name)
      if (row) return row.value
      const value = make()
      db.prepare('INSERT INTO identity (name, value) VALUES (?, ?)').run(name, value)
      return value
    },
    transaction<T>(work: () => T): T {
      return db.transaction(work)()
    },
    close(): void {
      db.close()
    },
  }
}
