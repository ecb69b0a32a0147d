/**
 * Schema version 5: a connection's sealed value moves into its own row (value_key_version,
 * value_envelope), byte for byte. An update of an existing connection rewrote two B-tree pages far
 * apart in the file, the row's and the value's; now it rewrites one, and the separate
 * connection_values B-tree (100k keys, one leaf page per ~25 values) goes. The envelope's
 * associated data names the connection id, never where the bytes sit, so every value still opens.
 *
 * connection_values stays as a view over the rows, with INSTEAD OF triggers, so SQL written
 * against the old table (tools, tests, an older sync pusher) reads and writes the same values.
 * The product's own statements use the columns.
 */
export const migration005 = `
ALTER TABLE connections ADD COLUMN value_key_version INTEGER;
ALTER TABLE connections ADD COLUMN value_envelope BLOB;
UPDATE connections SET (value_key_version, value_envelope) =
  (SELECT v.key_version, v.envelope FROM connection_values v WHERE v.connection_id = connections.id)
  WHERE id IN (SELECT connection_id FROM connection_values);
DROP TABLE connection_values;
CREATE VIEW connection_values (connection_id, key_version, envelope) AS
  SELECT id, value_key_version, value_envelope FROM connections WHERE value_envelope IS NOT NULL;
CREATE TRIGGER connection_values_insert INSTEAD OF INSERT ON connection_values BEGIN
  SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed')
    WHERE NOT EXISTS (SELECT 1 FROM connections WHERE id = NEW.connection_id);
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: connection_values.connection_id')
    WHERE EXISTS (SELECT 1 FROM connections WHERE id = NEW.connection_id AND value_envelope IS NOT NULL);
  UPDATE connections SET value_key_version = NEW.key_version, value_envelope = NEW.envelope
    WHERE id = NEW.connection_id;
END;
CREATE TRIGGER connection_values_update INSTEAD OF UPDATE ON connection_values BEGIN
  UPDATE connections SET value_key_version = NEW.key_version, value_envelope = NEW.envelope
    WHERE id = OLD.connection_id;
END;
CREATE TRIGGER connection_values_delete INSTEAD OF DELETE ON connection_values BEGIN
  UPDATE connections SET value_key_version = NULL, value_envelope = NULL WHERE id = OLD.connection_id;
END;
`
