/**
 * Schema version 6: a connection's project ids move into its own row (project_ids, a JSON array of
 * distinct ids in byte order, '[]' for none). Changing a connection's projects deleted and inserted
 * rows of connection_projects, a second B-tree keyed by connection id, so an update that changed
 * them dirtied a page far from the row's; now the row is the only page (bench/connections.bench.ts,
 * upsertBatch of existing connections). The list filters and counts projects in memory
 * (list-index.ts), so no index on project ids is lost that a query needs.
 *
 * connection_projects stays as a view over the rows, with INSTEAD OF triggers, so SQL written
 * against the old table (policies, tools, tests) reads and writes the same links. The product's own
 * connection statements use the column.
 */
export const migration006 = `
ALTER TABLE connections ADD COLUMN project_ids TEXT NOT NULL DEFAULT '[]';
UPDATE connections SET project_ids =
  (SELECT json_group_array(p.project_id ORDER BY p.project_id) FROM connection_projects p
   WHERE p.connection_id = connections.id)
  WHERE id IN (SELECT connection_id FROM connection_projects);
DROP TABLE connection_projects;
CREATE VIEW connection_projects (connection_id, project_id) AS
  SELECT c.id, j.value FROM connections c, json_each(c.project_ids) j WHERE c.project_ids <> '[]';
CREATE TRIGGER connection_projects_insert INSTEAD OF INSERT ON connection_projects BEGIN
  SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed')
    WHERE NOT EXISTS (SELECT 1 FROM connections WHERE id = NEW.connection_id);
  SELECT RAISE(ABORT, 'NOT NULL constraint failed: connection_projects.project_id')
    WHERE NEW.project_id IS NULL;
  UPDATE connections SET project_ids = (
      SELECT json_group_array(value ORDER BY value) FROM
        (SELECT value FROM json_each(project_ids) UNION SELECT CAST(NEW.project_id AS TEXT))
    ) WHERE id = NEW.connection_id
      AND NOT EXISTS (SELECT 1 FROM json_each(project_ids) WHERE value = CAST(NEW.project_id AS TEXT));
END;
CREATE TRIGGER connection_projects_delete INSTEAD OF DELETE ON connection_projects BEGIN
  UPDATE connections SET project_ids = (
      SELECT json_group_array(value ORDER BY value) FROM json_each(project_ids) WHERE value <> OLD.project_id
    ) WHERE id = OLD.connection_id;
END;
CREATE TRIGGER connection_projects_update INSTEAD OF UPDATE ON connection_projects BEGIN
  UPDATE connections SET project_ids = (
      SELECT json_group_array(value ORDER BY value) FROM json_each(project_ids) WHERE value <> OLD.project_id
    ) WHERE id = OLD.connection_id;
  INSERT INTO connection_projects (connection_id, project_id) VALUES (NEW.connection_id, NEW.project_id);
END;
`
