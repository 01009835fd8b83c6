// PostgreSQL migration 016 (= SQLite 016-props-hash): a hash of each node's and edge's stored props.
// (edges.props_hash follows edges.seq, PostgreSQL's stand-in for SQLite's rowid since 001.)
import { TEXT } from './sql.ts';

export const id = 16;
export const name = 'props-hash';
export const sql = `
ALTER TABLE nodes ADD COLUMN props_hash ${TEXT};
ALTER TABLE edges ADD COLUMN props_hash ${TEXT};
`;
