// Migration 003: reconciliations (one per `nhi-census reconcile`), their findings with stable ids and
// lifecycle (new / persisting / resolved), per-reconciliation observations (for trends and "open for
// how long"), and which inventory entry matched which connector by which rule.
export const id = 3;
export const name = 'findings';
export const sql = `
CREATE TABLE reconciliations (
  id              INTEGER PRIMARY KEY,
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  status          TEXT NOT NULL CHECK (status IN ('running','complete','failed')),
  inventory_file  TEXT,
  inventory_hash  TEXT,
  -- JSON: {provider: run id} of the latest crawl of each provider the reconciliation used, with its completeness
  crawl_runs      TEXT NOT NULL DEFAULT '{}',
  summary         TEXT
);

CREATE TABLE findings (
  id              TEXT PRIMARY KEY,           -- stable: same rule + same subject (+ detail) => same id, month after month
  rule            TEXT NOT NULL,              -- kebab-case rule id, e.g. 'orphaned-connector'
  family          TEXT NOT NULL,              -- rule family shown in the report, e.g. 'orphans', 'scope-drift'
  severity        TEXT NOT NULL CHECK (severity IN ('critical','high','medium','low','info')),
  provider        TEXT,
  tenant          TEXT,
  subject_id      TEXT,                       -- the node the finding is about (connector or credential)
  subject_name    TEXT,
  connector_id    TEXT,                       -- the connector concerned (same as subject for connector findings)
  title           TEXT NOT NULL,
  evidence        TEXT NOT NULL DEFAULT '{}', -- JSON: the facts that triggered it
  remediation     TEXT NOT NULL,
  owasp           TEXT,                       -- OWASP Non-Human Identities Top 10 2025 id, e.g. 'NHI1:2025'
  nist            TEXT,                       -- NIST CSF 2.0 subcategory, e.g. 'PR.AA-05'
  inventory_id    TEXT,                       -- matched inventory entry, if any
  match_rule      TEXT,                       -- which match rule matched, e.g. 'github.app_slug'
  owners          TEXT NOT NULL DEFAULT '[]', -- JSON array of owner emails/logins the report routes it to
  depends_on      TEXT NOT NULL DEFAULT '[]', -- JSON array of providers whose complete crawl is needed to resolve it
  status          TEXT NOT NULL CHECK (status IN ('new','persisting','resolved')),
  first_seen_recon INTEGER NOT NULL,
  last_seen_recon  INTEGER NOT NULL,
  first_seen_at   TEXT NOT NULL,
  last_seen_at    TEXT NOT NULL,
  resolved_recon  INTEGER,
  resolved_at     TEXT
);
CREATE INDEX findings_status ON findings(status, severity);
CREATE INDEX findings_connector ON findings(connector_id);

CREATE TABLE finding_observations (
  recon_id   INTEGER NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  finding_id TEXT NOT NULL,
  severity   TEXT NOT NULL,
  PRIMARY KEY (recon_id, finding_id)
);

CREATE TABLE inventory_matches (
  recon_id      INTEGER NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  connector_id  TEXT NOT NULL,
  inventory_id  TEXT NOT NULL,
  match_rule    TEXT NOT NULL,              -- e.g. 'github.app_slug', 'webhook_host', 'name_pattern'
  match_value   TEXT,                       -- the connector's value that matched
  PRIMARY KEY (recon_id, connector_id, inventory_id)
);

-- Open findings (new or persisting) as of the latest reconciliation, most severe first.
CREATE VIEW current_findings AS
SELECT f.*, CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END AS severity_rank
  FROM findings f
 WHERE f.status IN ('new','persisting')
 ORDER BY severity_rank, f.rule, f.subject_name;
`;
