/**
 * Schema version 3: the pieceName filter in every sort (src/main/connections/list-query.ts).
 * pieceName drives a filtered list from its own index; v1's (piece_name, updated_ms, id) keeps the
 * default sort in order, but any other sort had to read and sort every row of the piece (a common
 * piece holds thousands: 15–50 ms on 100k connections, bench/connections.bench.ts). With one index
 * per sort a page is read in order, whatever the piece's size. The expressions match SORTS exactly.
 */
export const migration003 = `
CREATE INDEX connections_by_piece_created ON connections (piece_name, created_ms, id);
CREATE INDEX connections_by_piece_name ON connections (piece_name, display_name COLLATE NOCASE, id);
CREATE INDEX connections_by_piece_expiry ON connections (piece_name, ifnull(token_expires_ms, 8640000000000001), id);
`
