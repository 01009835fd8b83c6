// Migration 016: a hash of each node's and edge's stored props (issue 16: group commit, set-wise upserts).
// The graph writer upserts a whole batch in one statement and rewrites a row's content only where the hash
// (or a column beside it) differs; it reads the stored props back only for those rows, to write history.
// Rows from before 016 have NULL: their first write after the upgrade compares the props themselves, so an
// unchanged object still gets no history row, and stores the hash.
export const id = 16;
export const name = 'props-hash';
export const sql = `
ALTER TABLE nodes ADD COLUMN props_hash TEXT;
ALTER TABLE edges ADD COLUMN props_hash TEXT;
`;
