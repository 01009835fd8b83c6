// PostgreSQL migration 008 (= SQLite 008-evaluation-time): the time a reconciliation judged dates against.
import { TEXT } from './sql.ts';

export const id = 8;
export const name = 'evaluation-time';
export const sql = `
ALTER TABLE reconciliations ADD COLUMN evaluated_at ${TEXT};
`;
