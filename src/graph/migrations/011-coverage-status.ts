// Migration 011: coverage truth (docs/graph.md "Coverage", docs/reconcile.md "Absence").
//  - run_resources.status may be 'not_applicable' (the plan or edition does not have the feature), distinct
//    from 'unsupported' (the credential lacks a permission). SQLite cannot change a CHECK constraint in place,
//    so the table is rebuilt with the same columns (001's, 009's notes) and its rows copied; run_ledger, the
//    one view over it, is recreated unchanged.
//  - run_resources.provides: the inventory match keys a resource type's listings can produce (JSON array;
//    NULL for runs before 011 = unknown, read as "could produce any key").
//  - not_verifiable: per reconciliation, what a rule could not decide because the listings it needs did not
//    complete (e.g. an approved inventory entry whose provider listings were refused): shown in the report
//    as "not verifiable (coverage)", never as a finding.
export const id = 11;
export const name = 'coverage-status';
export const sql = `
DROP VIEW run_ledger;

CREATE TABLE run_resources_011 (
  run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  provider      TEXT NOT NULL,
  tenant        TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('running','complete','partial','failed','unsupported','not_applicable')),
  listings      INTEGER NOT NULL DEFAULT 0,
  listings_failed INTEGER NOT NULL DEFAULT 0,
  objects       INTEGER NOT NULL DEFAULT 0,
  api_calls     INTEGER NOT NULL DEFAULT 0,
  not_modified  INTEGER NOT NULL DEFAULT 0,
  retries       INTEGER NOT NULL DEFAULT 0,
  removed       INTEGER NOT NULL DEFAULT 0,
  error         TEXT,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  duration_ms   INTEGER,
  notes         TEXT,
  provides      TEXT,
  PRIMARY KEY (run_id, provider, tenant, resource_type)
);
INSERT INTO run_resources_011 (run_id, provider, tenant, resource_type, status, listings, listings_failed, objects, api_calls,
    not_modified, retries, removed, error, started_at, finished_at, duration_ms, notes)
  SELECT run_id, provider, tenant, resource_type, status, listings, listings_failed, objects, api_calls,
    not_modified, retries, removed, error, started_at, finished_at, duration_ms, notes FROM run_resources;
DROP TABLE run_resources;
ALTER TABLE run_resources_011 RENAME TO run_resources;

CREATE VIEW run_ledger AS
SELECT r.id AS run_id, r.started_at AS run_started_at, r.status AS run_status,
       rr.provider, rr.tenant, rr.resource_type, rr.status, rr.objects, rr.api_calls,
       rr.not_modified, rr.retries, rr.removed, rr.duration_ms, rr.error
  FROM runs r JOIN run_resources rr ON rr.run_id = r.id;

CREATE TABLE not_verifiable (
  recon_id      INTEGER NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  rule          TEXT NOT NULL,
  subject_id    TEXT NOT NULL,              -- what the rule would have judged, e.g. 'inventory:<entry>:<provider>'
  subject_name  TEXT,
  provider      TEXT,
  inventory_id  TEXT,
  reason        TEXT NOT NULL,              -- the listings that did not complete, with their status
  PRIMARY KEY (recon_id, rule, subject_id)
);
`;
