// PostgreSQL migration 017 (= SQLite 017-finding-content-hash): findings.content_hash (an unchanged finding is not
// rewritten). current_findings is recreated so its `f.*` includes the new column, as SQLite's does by itself.
import { CURRENT_FINDINGS_003 } from './shared-views.ts';
import { TEXT } from './sql.ts';

export const id = 17;
export const name = 'finding-content-hash';
export const sql = `
DROP VIEW current_findings;
ALTER TABLE findings ADD COLUMN content_hash ${TEXT};
${CURRENT_FINDINGS_003}`;
