/**
 * Schema version 1. Plaintext metadata lives in ordinary columns so lists can filter and sort
 * without decrypting; every secret lives in an AES-GCM envelope (vault/envelope.ts) in a table of its
 * own, so list queries never read a secret's page. Each index names the query it serves.
 */
export const migration001 = `
CREATE TABLE vault_header (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  format_version INTEGER NOT NULL,
  -- JSON: { algorithm, params, salt } so the KDF can be raised later without breaking old vaults
  kdf TEXT NOT NULL,
  key_version INTEGER NOT NULL,
  -- the vault key wrapped by the password-derived key (an envelope)
  wrapped_key_password BLOB NOT NULL,
  -- the vault key wrapped by the OS keychain, when enrolled
  wrapped_key_keychain BLOB,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  -- '' for local-only connections, else remotes.id: keeps UNIQUE meaningful (NULLs never collide)
  remote_key TEXT NOT NULL DEFAULT '',
  external_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  type TEXT NOT NULL,
  piece_name TEXT NOT NULL,
  piece_version TEXT,
  platform_id TEXT,
  scope TEXT NOT NULL CHECK (scope IN ('PROJECT', 'PLATFORM')),
  status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'MISSING', 'ERROR')),
  status_reason TEXT,
  owner_id TEXT,
  owner_email TEXT,
  owner_first_name TEXT,
  owner_last_name TEXT,
  metadata TEXT,
  pre_select INTEGER NOT NULL DEFAULT 0,
  sync_state TEXT NOT NULL DEFAULT 'LOCAL',
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  -- health, outside the encrypted value (REFERENCE.md §2.4)
  token_expires_ms INTEGER,
  last_refresh_success_ms INTEGER,
  last_refresh_failure_ms INTEGER,
  last_refresh_failure_reason TEXT,
  refresh_attempts INTEGER NOT NULL DEFAULT 0,
  last_used_ms INTEGER,
  last_rotated_ms INTEGER,
  UNIQUE (remote_key, piece_name, external_id)
);
-- list sorts, each with the id tie-breaker the keyset cursor compares on
CREATE INDEX connections_by_updated ON connections (updated_ms, id);
CREATE INDEX connections_by_created ON connections (created_ms, id);
CREATE INDEX connections_by_name ON connections (display_name COLLATE NOCASE, id);
CREATE INDEX connections_by_expiry ON connections (token_expires_ms, id);
-- equality filters combined with the default sort
CREATE INDEX connections_by_piece ON connections (piece_name, updated_ms, id);
CREATE INDEX connections_by_status ON connections (status, updated_ms, id);
CREATE INDEX connections_by_scope ON connections (scope, updated_ms, id);
CREATE INDEX connections_by_remote ON connections (remote_key, updated_ms, id);
CREATE INDEX connections_by_owner ON connections (owner_email);

-- displayName partial match: FTS5 trigram answers substrings of 3+ characters from an index
CREATE VIRTUAL TABLE connections_name_fts USING fts5 (
  display_name, content = 'connections', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 0'
);
CREATE TRIGGER connections_fts_insert AFTER INSERT ON connections BEGIN
  INSERT INTO connections_name_fts (rowid, display_name) VALUES (new.rowid, new.display_name);
END;
CREATE TRIGGER connections_fts_delete AFTER DELETE ON connections BEGIN
  INSERT INTO connections_name_fts (connections_name_fts, rowid, display_name) VALUES ('delete', old.rowid, old.display_name);
END;
CREATE TRIGGER connections_fts_update AFTER UPDATE OF display_name ON connections BEGIN
  INSERT INTO connections_name_fts (connections_name_fts, rowid, display_name) VALUES ('delete', old.rowid, old.display_name);
  INSERT INTO connections_name_fts (rowid, display_name) VALUES (new.rowid, new.display_name);
END;

CREATE TABLE connection_values (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  key_version INTEGER NOT NULL,
  envelope BLOB NOT NULL
);

CREATE TABLE connection_projects (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  project_id TEXT NOT NULL,
  PRIMARY KEY (connection_id, project_id)
);
-- the projectId filter
CREATE INDEX connection_projects_by_project ON connection_projects (project_id, connection_id);

CREATE TABLE flow_references (
  flow_id TEXT NOT NULL,
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  flow_name TEXT,
  project_id TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (flow_id, connection_id)
);
-- flowIds per connection, and the in-use count a delete checks
CREATE INDEX flow_references_by_connection ON flow_references (connection_id, active);

CREATE TABLE connection_policies (
  piece_name TEXT NOT NULL,
  project_id TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('ENFORCED_ORG', 'ENFORCED_PROJECT', 'USER_REQUIRED', 'USER_WITH_DEFAULT')),
  connection_id TEXT REFERENCES connections (id) ON DELETE SET NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (piece_name, project_id)
);

CREATE TABLE remotes (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  dialect TEXT NOT NULL CHECK (dialect IN ('activepieces', 'weavz')),
  base_url TEXT NOT NULL,
  project_id TEXT,
  -- the API key is a secret: an envelope like any other
  api_key_envelope BLOB NOT NULL,
  key_version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);

CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  remote_id TEXT NOT NULL REFERENCES remotes (id) ON DELETE CASCADE,
  connection_id TEXT NOT NULL,
  operation TEXT NOT NULL CHECK (operation IN ('upsert', 'update', 'delete', 'replace')),
  -- no secret here: the pusher reads the value from connection_values when it sends
  payload TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX sync_outbox_by_remote ON sync_outbox (remote_id, seq);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  action TEXT NOT NULL,
  origin TEXT NOT NULL,
  entity_type TEXT,
  entity_id TEXT,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
-- one connection's audit trail in the detail panel
CREATE INDEX audit_log_by_entity ON audit_log (entity_id, seq);
-- append-only: the database itself refuses to rewrite history
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
`
