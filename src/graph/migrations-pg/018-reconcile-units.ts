// PostgreSQL migration 018 (= SQLite 018-reconcile-units): the unit map, revisit times (epoch milliseconds: BIGINT),
// principal digests and the basis an incremental reconciliation checks. WITHOUT ROWID has no PostgreSQL meaning:
// every PostgreSQL table is a heap with its primary key as an index.
import { TEXT } from './sql.ts';

export const id = 18;
export const name = 'reconcile-units';
export const sql = `
CREATE TABLE reconcile_units (
  key   ${TEXT} PRIMARY KEY,
  unit  ${TEXT} NOT NULL
);
CREATE INDEX reconcile_units_unit ON reconcile_units(unit);
CREATE TABLE reconcile_revisits (
  unit  ${TEXT} PRIMARY KEY,
  at    BIGINT NOT NULL
);
CREATE TABLE reconcile_principals (
  principal_id  ${TEXT} PRIMARY KEY,
  digest        ${TEXT} NOT NULL
);
ALTER TABLE reconciliations ADD COLUMN basis ${TEXT};
ALTER TABLE reconciliations ADD COLUMN mode ${TEXT};
`;
