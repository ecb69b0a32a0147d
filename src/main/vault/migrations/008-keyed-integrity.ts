/**
 * Schema version 8: integrity that needs the vault key, so a file edited without the password shows.
 *
 * - audit_log.mac: an HMAC of each entry's hash under the vault's audit subkey. Entries from
 *   before this version (and those appended while locked) have none until the next unlock MACs
 *   them (audit/audit-adopt.ts), recorded as an `audit.remac` entry. The append-only trigger now
 *   lets exactly that happen: a NULL mac set once, every other column unchanged.
 * - audit_head: the chain's head (seq, hash) under a MAC, so cutting the newest entries shows.
 * - connections.row_mac: an HMAC of the row's identity and list columns and its projects
 *   (vault/row-mac.ts), so swapping displayName and externalId between rows shows. Set at the
 *   first unlock for existing rows.
 * - vault_header.failed_unlocks, last_failed_unlock_ms: the unlock backoff, which must survive a
 *   restart (vault/unlock-backoff.ts).
 */
export const migration008 = `
ALTER TABLE audit_log ADD COLUMN mac TEXT;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.mac IS NULL AND NEW.seq IS OLD.seq AND NEW.at_ms IS OLD.at_ms AND NEW.action IS OLD.action
  AND NEW.origin IS OLD.origin AND NEW.entity_type IS OLD.entity_type AND NEW.entity_id IS OLD.entity_id
  AND NEW.details IS OLD.details AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash)
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  mac TEXT NOT NULL
);
ALTER TABLE connections ADD COLUMN row_mac BLOB;
ALTER TABLE vault_header ADD COLUMN failed_unlocks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vault_header ADD COLUMN last_failed_unlock_ms INTEGER;
`
