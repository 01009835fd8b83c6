// PostgreSQL migration 013 (= SQLite 013-accepted-subsumed): findings.status may be 'accepted' or 'subsumed', with
// subsumed_by and acceptance; finding_observations.status and acceptance. SQLite rebuilt findings to change its
// CHECK; PostgreSQL changes the named CHECK in place (same columns, same order, same indexes) and recreates
// current_findings, whose `f.*` PostgreSQL fixed when the view was created.
import { CURRENT_FINDINGS_003 } from './shared-views.ts';
import { TEXT } from './sql.ts';

export const id = 13;
export const name = 'accepted-subsumed';
export const sql = `
DROP VIEW current_findings;

ALTER TABLE findings DROP CONSTRAINT findings_status,
  ADD CONSTRAINT findings_status CHECK (status IN ('new','persisting','resolved','accepted','subsumed'));
ALTER TABLE findings ADD COLUMN subsumed_by ${TEXT}, ADD COLUMN acceptance ${TEXT};
${CURRENT_FINDINGS_003}
ALTER TABLE finding_observations ADD COLUMN status ${TEXT} NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','subsumed'));
ALTER TABLE finding_observations ADD COLUMN acceptance ${TEXT};
`;
