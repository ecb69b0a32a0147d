/**
 * Schema version 9: a connection's history is found by links, not by an index.
 *
 * audit_log_by_entity (entity_id, seq) took one new entry per audit entry at the entity's place
 * in a B-tree as large as the log: a batch of 500 updates dirtied ~450 random pages of it, a
 * third of all the pages the batch wrote (bench/connections.bench.ts, upsertBatch). Now:
 * - audit_log.entity_prev: the seq of the previous entry about the same entity (NULL for its first);
 * - connections.audit_head: the seq of the connection's newest entry, in the row an update writes
 *   anyway, so it costs no page of its own;
 * - audit_heads: the newest entry of every other entity (remotes, policies, and connections that
 *   have been deleted: the trigger below keeps a deleted connection's history reachable).
 * A history is the walk from the head down the links (audit/audit-list.ts); audit.verify checks
 * every link and head against the log (audit/audit-verify.ts). The append-only trigger now also
 * refuses a change to entity_prev.
 */
export const migration009 = `
ALTER TABLE audit_log ADD COLUMN entity_prev INTEGER;
ALTER TABLE connections ADD COLUMN audit_head INTEGER;
CREATE TABLE audit_heads (entity_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET entity_prev = links.prev
  FROM (SELECT seq, lag(seq) OVER (PARTITION BY entity_id ORDER BY seq) AS prev
        FROM audit_log WHERE entity_id IS NOT NULL) AS links
  WHERE audit_log.seq = links.seq AND links.prev IS NOT NULL;
UPDATE connections SET audit_head = heads.seq
  FROM (SELECT entity_id, max(seq) AS seq FROM audit_log WHERE entity_id IS NOT NULL GROUP BY entity_id) AS heads
  WHERE connections.id = heads.entity_id;
INSERT INTO audit_heads (entity_id, seq)
  SELECT entity_id, max(seq) FROM audit_log
  WHERE entity_id IS NOT NULL AND entity_id NOT IN (SELECT id FROM connections)
  GROUP BY entity_id;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.mac IS NULL AND NEW.seq IS OLD.seq AND NEW.at_ms IS OLD.at_ms AND NEW.action IS OLD.action
  AND NEW.origin IS OLD.origin AND NEW.entity_type IS OLD.entity_type AND NEW.entity_id IS OLD.entity_id
  AND NEW.details IS OLD.details AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
  AND NEW.entity_prev IS OLD.entity_prev)
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER connections_keep_audit_head AFTER DELETE ON connections WHEN OLD.audit_head IS NOT NULL
BEGIN
  INSERT OR REPLACE INTO audit_heads (entity_id, seq) VALUES (OLD.id, OLD.audit_head);
END;
DROP INDEX audit_log_by_entity;
`
