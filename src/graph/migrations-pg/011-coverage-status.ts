// PostgreSQL migration 011 (= SQLite 011-coverage-status): run_resources.status may be 'not_applicable';
// run_resources.provides (JSON, NULL = any key); not_verifiable per reconciliation. SQLite rebuilt run_resources to
// change its CHECK (and recreated run_ledger over it); PostgreSQL changes the named CHECK in place — the columns
// come out in the same order (001's, 009's notes, provides) and run_ledger is untouched.
import { TEXT } from './sql.ts';

export const id = 11;
export const name = 'coverage-status';
export const sql = `
ALTER TABLE run_resources DROP CONSTRAINT run_resources_status,
  ADD CONSTRAINT run_resources_status CHECK (status IN ('running','complete','partial','failed','unsupported','not_applicable'));
ALTER TABLE run_resources ADD COLUMN provides ${TEXT};

CREATE TABLE not_verifiable (
  recon_id      BIGINT NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  rule          ${TEXT} NOT NULL,
  subject_id    ${TEXT} NOT NULL,
  subject_name  ${TEXT},
  provider      ${TEXT},
  inventory_id  ${TEXT},
  reason        ${TEXT} NOT NULL,
  PRIMARY KEY (recon_id, rule, subject_id)
);
`;
