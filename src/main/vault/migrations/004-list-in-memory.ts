/**
 * Schema version 4: the connections list moves into memory (src/main/connections/list-index.ts),
 * so the indexes and the FTS5 trigram table that served it in SQL go. Each write rewrote every one
 * of them (with the FTS trigger, about 60% of an upsert's time at 100k connections:
 * bench/connections.bench.ts), while filters that are common alone but rare together still walked
 * thousands of rows. What stays answers lookups by key: the primary key, the natural key
 * (remote_key, piece_name, external_id), owners by email, and each table's own keys.
 *
 * connection_projects and connection_values become WITHOUT ROWID: each primary key was a second
 * B-tree beside the rowid table, so every write found its row twice and a new link was written
 * twice. Rows are copied as they are; an envelope's associated data names the connection id, never
 * a rowid, so every value still opens.
 */
export const migration004 = `
DROP TRIGGER connections_fts_insert;
DROP TRIGGER connections_fts_delete;
DROP TRIGGER connections_fts_update;
DROP TABLE connections_name_fts;
DROP INDEX connections_by_updated;
DROP INDEX connections_by_created;
DROP INDEX connections_by_name;
DROP INDEX connections_by_expiry;
DROP INDEX connections_by_piece;
DROP INDEX connections_by_status;
DROP INDEX connections_by_scope;
DROP INDEX connections_by_remote;
DROP INDEX connections_by_expiry_nulls_last;
DROP INDEX connections_by_piece_created;
DROP INDEX connections_by_piece_name;
DROP INDEX connections_by_piece_expiry;
DROP INDEX connection_projects_by_project;
CREATE TABLE connection_projects_keyed (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  project_id TEXT NOT NULL,
  PRIMARY KEY (connection_id, project_id)
) WITHOUT ROWID;
INSERT INTO connection_projects_keyed (connection_id, project_id)
  SELECT connection_id, project_id FROM connection_projects;
DROP TABLE connection_projects;
ALTER TABLE connection_projects_keyed RENAME TO connection_projects;
CREATE TABLE connection_values_keyed (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  key_version INTEGER NOT NULL,
  envelope BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO connection_values_keyed (connection_id, key_version, envelope)
  SELECT connection_id, key_version, envelope FROM connection_values;
DROP TABLE connection_values;
ALTER TABLE connection_values_keyed RENAME TO connection_values;
`
