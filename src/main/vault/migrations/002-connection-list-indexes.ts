/**
 * Schema version 2: indexes for connections.list (src/main/connections/list-query.ts).
 * - The expiry sort puts connections that never expire last; an index on the same expression lets
 *   the keyset cursor walk it instead of sorting the table (8640000000000001 = after any JS date,
 *   NO_EXPIRY in list-query.ts).
 * - The projectId filter reads connection ids per project, then their rows: covered by
 *   connection_projects_by_project from v1.
 */
export const migration002 = `
CREATE INDEX connections_by_expiry_nulls_last ON connections (ifnull(token_expires_ms, 8640000000000001), id);
`
