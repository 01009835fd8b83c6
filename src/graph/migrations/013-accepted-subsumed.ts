// Migration 013: accepted risks and subsumed findings (issue 15; docs/reconcile.md "Accepted risks", "Subsumption").
//  - findings.status may be 'accepted' (an inventory entry's accepted_risks covers it, not expired) or 'subsumed'
//    (folded into another finding, `subsumed_by`): both are still recorded, neither is an open action item, and
//    neither is "resolved" (the problem persists). SQLite cannot change a CHECK constraint in place, so the table is
//    rebuilt with 003's columns plus `subsumed_by` and `acceptance` (JSON: rule, reason, ticket, expires, inventory
//    entry, expired) and its rows copied; its indexes and current_findings, the one view over it, are recreated unchanged.
//  - finding_observations.status: how each reconciliation saw the finding ('open', 'accepted', 'subsumed'; rows from
//    before 013 are 'open'), and `acceptance` as it applied then — so a month's report lists what was open and what
//    was accepted at that reconciliation, and a finding folded since is not counted as resolved.
export const id = 13;
export const name = 'accepted-subsumed';
export const sql = `
DROP VIEW current_findings;

CREATE TABLE findings_013 (
  id              TEXT PRIMARY KEY,
  rule            TEXT NOT NULL,
  family          TEXT NOT NULL,
  severity        TEXT NOT NULL CHECK (severity IN ('critical','high','medium','low','info')),
  provider        TEXT,
  tenant          TEXT,
  subject_id      TEXT,
  subject_name    TEXT,
  connector_id    TEXT,
  title           TEXT NOT NULL,
  evidence        TEXT NOT NULL DEFAULT '{}',
  remediation     TEXT NOT NULL,
  owasp           TEXT,
  nist            TEXT,
  inventory_id    TEXT,
  match_rule      TEXT,
  owners          TEXT NOT NULL DEFAULT '[]',
  depends_on      TEXT NOT NULL DEFAULT '[]',
  status          TEXT NOT NULL CHECK (status IN ('new','persisting','resolved','accepted','subsumed')),
  first_seen_recon INTEGER NOT NULL,
  last_seen_recon  INTEGER NOT NULL,
  first_seen_at   TEXT NOT NULL,
  last_seen_at    TEXT NOT NULL,
  resolved_recon  INTEGER,
  resolved_at     TEXT,
  subsumed_by     TEXT,                       -- status 'subsumed': the id of the finding it is folded into
  acceptance      TEXT                        -- JSON: the inventory acceptance that covers it (expired: true once past expires)
);
INSERT INTO findings_013 (id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence,
    remediation, owasp, nist, inventory_id, match_rule, owners, depends_on, status, first_seen_recon, last_seen_recon,
    first_seen_at, last_seen_at, resolved_recon, resolved_at)
  SELECT id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence,
    remediation, owasp, nist, inventory_id, match_rule, owners, depends_on, status, first_seen_recon, last_seen_recon,
    first_seen_at, last_seen_at, resolved_recon, resolved_at FROM findings;
DROP TABLE findings;
ALTER TABLE findings_013 RENAME TO findings;
CREATE INDEX findings_status ON findings(status, severity);
CREATE INDEX findings_connector ON findings(connector_id);

CREATE VIEW current_findings AS
SELECT f.*, CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END AS severity_rank
  FROM findings f
 WHERE f.status IN ('new','persisting')
 ORDER BY severity_rank, f.rule, f.subject_name;

ALTER TABLE finding_observations ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','subsumed'));
ALTER TABLE finding_observations ADD COLUMN acceptance TEXT;
`;
