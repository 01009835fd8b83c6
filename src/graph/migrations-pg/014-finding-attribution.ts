// PostgreSQL migration 014 (= SQLite 014-finding-attribution): findings.attribution (JSON: who must act).
// current_findings is recreated so its `f.*` includes the new column, as SQLite's does by itself.
import { CURRENT_FINDINGS_003 } from './shared-views.ts';
import { TEXT } from './sql.ts';

export const id = 14;
export const name = 'finding-attribution';
export const sql = `
DROP VIEW current_findings;
ALTER TABLE findings ADD COLUMN attribution ${TEXT};
${CURRENT_FINDINGS_003}`;
