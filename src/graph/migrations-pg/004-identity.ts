// PostgreSQL migration 004 (= SQLite 004-identity): people (principal -> person, departed), the inventory entries
// each reconciliation used (a table until 007), and the persons / inventory_owners / approvals views.
// people.emails is JSONB with a GIN index: inventory_owners (and the report's owner look-ups) ask which principals
// have an address. group_concat -> string_agg, ordered (SQLite's order is unspecified).
import { INVENTORY_OWNERS_004 } from './shared-views.ts';
import { TEXT } from './sql.ts';

export const id = 4;
export const name = 'identity';
export const sql = `
CREATE TABLE people (
  principal_id  ${TEXT} PRIMARY KEY,
  person_key    ${TEXT},
  emails        JSONB NOT NULL DEFAULT '[]',
  provider      ${TEXT} NOT NULL,
  tenant        ${TEXT},
  departed      INTEGER NOT NULL DEFAULT 0,
  reason        ${TEXT},
  recon_id      BIGINT NOT NULL
);
CREATE INDEX people_person ON people(person_key);
CREATE INDEX people_emails ON people USING gin (emails jsonb_path_ops);

CREATE TABLE inventory_entries (
  recon_id          BIGINT NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  id                ${TEXT} NOT NULL,
  name              ${TEXT} NOT NULL,
  vendor            ${TEXT},
  business_owner    ${TEXT},
  technical_owner   ${TEXT},
  approved_on       ${TEXT},
  approval_expires  ${TEXT},
  temporary         INTEGER NOT NULL DEFAULT 0,
  end_date          ${TEXT},
  entry             JSONB NOT NULL,
  PRIMARY KEY (recon_id, id)
);

CREATE VIEW persons AS
SELECT person_key, count(*) AS accounts, string_agg(DISTINCT provider, ',' ORDER BY provider) AS providers,
       max(departed) AS departed, string_agg(reason, '; ' ORDER BY principal_id) AS reasons
  FROM people WHERE person_key IS NOT NULL GROUP BY person_key;
${INVENTORY_OWNERS_004}
CREATE VIEW approvals AS
SELECT m.connector_id, m.inventory_id, m.match_rule, m.match_value, m.recon_id
  FROM inventory_matches m
 WHERE m.recon_id = (SELECT max(id) FROM reconciliations WHERE status = 'complete');
`;
