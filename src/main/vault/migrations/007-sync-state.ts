/**
 * Schema version 7: what sync knows beyond the outbox.
 *
 * sync_connection_state: per connection bound to a remote, the remote's own id for it, the
 * remote's `updated` when the two last agreed (a later local edit plus a later remote `updated` is
 * a conflict), whether only the remote holds its secret (pulled rows), whether the remote deleted
 * it (the local copy is kept, flagged), and the remote's version of a conflicting row, as JSON
 * WITHOUT any secret (the remote never returns one). No foreign key to connections: a local delete
 * still needs the remote id until its push has gone out.
 *
 * sync_remote_status: per remote, the last success, attempt and error, and when the automatic
 * sync tries again (backoff or a 429's Retry-After), so a restart keeps waiting as asked.
 *
 * sync_outbox gains `step` (how far a multi-request push got: a Weavz rotation is a delete then a
 * create, and a process killed between the two must know the delete happened) and `stopped_error`
 * (a 4xx the remote refused: the entry waits for the next edit, others go on).
 *
 * remotes gains org_id (Weavz).
 */
export const migration007 = `
ALTER TABLE remotes ADD COLUMN org_id TEXT;

CREATE TABLE sync_connection_state (
  connection_id TEXT PRIMARY KEY,
  remote_id TEXT NOT NULL REFERENCES remotes (id) ON DELETE CASCADE,
  remote_connection_id TEXT,
  remote_updated TEXT,
  secret_held_remotely INTEGER NOT NULL DEFAULT 0,
  deleted_on_remote INTEGER NOT NULL DEFAULT 0,
  conflict_copy TEXT,
  conflict_ms INTEGER,
  last_synced_ms INTEGER
);
-- the pull matches remote rows to local ones by the remote's id
CREATE INDEX sync_connection_state_by_remote ON sync_connection_state (remote_id, remote_connection_id);
-- sync.conflicts
CREATE INDEX sync_connection_state_conflicts ON sync_connection_state (remote_id, conflict_ms)
  WHERE conflict_copy IS NOT NULL;

CREATE TABLE sync_remote_status (
  remote_id TEXT PRIMARY KEY REFERENCES remotes (id) ON DELETE CASCADE,
  last_success_ms INTEGER,
  last_attempt_ms INTEGER,
  last_error TEXT,
  next_attempt_ms INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE sync_outbox ADD COLUMN step TEXT;
ALTER TABLE sync_outbox ADD COLUMN stopped_error TEXT;
-- one connection's entries: the push clears them, the pull asks whether any wait (per row)
CREATE INDEX sync_outbox_by_connection ON sync_outbox (connection_id, seq);
`
