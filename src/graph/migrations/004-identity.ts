// Migration 004 (reconciler): identity resolution and the inventory as reconciled.
//  - people: each principal with the person it was resolved to (normalised e-mail) and whether that
//    person has departed, as decided by the latest reconciliation from any provider (SAME_PERSON
//    edges in `edges` link the principals themselves);
//  - inventory_entries: the inventory entries each reconciliation used (owners, approval dates), so the
//    report can show approval state without re-reading the YAML;
//  - approvals: which inventory entry approves each current connector, by which rule (latest reconciliation);
//  - inventory_owners: each entry's owners resolved to principals (departed 1/0, NULL = no provider knows them).
export const id = 4;
export const name = 'identity';
export const sql = `
CREATE TABLE people (
  principal_id  TEXT PRIMARY KEY,
  person_key    TEXT,                 -- normalised e-mail of the person (NULL: no e-mail known, not linkable)
  emails        TEXT NOT NULL DEFAULT '[]', -- JSON: this principal's normalised e-mails (aliases included)
  provider      TEXT NOT NULL,
  tenant        TEXT,
  departed      INTEGER NOT NULL DEFAULT 0,
  reason        TEXT,                 -- why this principal counts as departed (its own state or a linked one's)
  recon_id      INTEGER NOT NULL
);
CREATE INDEX people_person ON people(person_key);

CREATE TABLE inventory_entries (
  recon_id          INTEGER NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  id                TEXT NOT NULL,
  name              TEXT NOT NULL,
  vendor            TEXT,
  business_owner    TEXT,
  technical_owner   TEXT,
  approved_on       TEXT,
  approval_expires  TEXT,
  temporary         INTEGER NOT NULL DEFAULT 0,
  end_date          TEXT,
  entry             TEXT NOT NULL,     -- JSON: the whole validated entry
  PRIMARY KEY (recon_id, id)
);

-- One row per person (linked principals), departed if any provider says so.
CREATE VIEW persons AS
SELECT person_key, count(*) AS accounts, group_concat(DISTINCT provider) AS providers,
       max(departed) AS departed, group_concat(reason, '; ') AS reasons
  FROM people WHERE person_key IS NOT NULL GROUP BY person_key;

CREATE VIEW inventory_owners AS
WITH latest AS (SELECT max(id) AS id FROM reconciliations WHERE status = 'complete'),
owners AS (
  SELECT e.id AS inventory_id, e.name, 'business' AS role, e.business_owner AS email FROM inventory_entries e JOIN latest l ON e.recon_id = l.id
  UNION ALL
  SELECT e.id, e.name, 'technical', e.technical_owner FROM inventory_entries e JOIN latest l ON e.recon_id = l.id)
SELECT o.inventory_id, o.name, o.role, o.email,
       (SELECT group_concat(p.principal_id) FROM people p, json_each(p.emails) j WHERE j.value = o.email) AS principals,
       (SELECT max(p.departed) FROM people p, json_each(p.emails) j WHERE j.value = o.email) AS departed
  FROM owners o;

CREATE VIEW approvals AS
SELECT m.connector_id, m.inventory_id, m.match_rule, m.match_value, m.recon_id
  FROM inventory_matches m
 WHERE m.recon_id = (SELECT max(id) FROM reconciliations WHERE status = 'complete');
`;
