// PostgreSQL migration 003 (= SQLite 003-findings): reconciliations, findings with stable ids and lifecycle,
// per-reconciliation observations and inventory matches. findings.status's CHECK is named so 013 can widen it in
// place; JSON columns here (evidence, owners, …) stay TEXT: no view or query looks inside them.
import { CURRENT_FINDINGS_003 } from './shared-views.ts';
import { ROWID_PK, TEXT } from './sql.ts';

export const id = 3;
export const name = 'findings';
export const sql = `
CREATE TABLE reconciliations (
  id              ${ROWID_PK},
  started_at      ${TEXT} NOT NULL,
  finished_at     ${TEXT},
  status          ${TEXT} NOT NULL CHECK (status IN ('running','complete','failed')),
  inventory_file  ${TEXT},
  inventory_hash  ${TEXT},
  crawl_runs      ${TEXT} NOT NULL DEFAULT '{}',
  summary         ${TEXT}
);

CREATE TABLE findings (
  id              ${TEXT} PRIMARY KEY,
  rule            ${TEXT} NOT NULL,
  family          ${TEXT} NOT NULL,
  severity        ${TEXT} NOT NULL CHECK (severity IN ('critical','high','medium','low','info')),
  provider        ${TEXT},
  tenant          ${TEXT},
  subject_id      ${TEXT},
  subject_name    ${TEXT},
  connector_id    ${TEXT},
  title           ${TEXT} NOT NULL,
  evidence        ${TEXT} NOT NULL DEFAULT '{}',
  remediation     ${TEXT} NOT NULL,
  owasp           ${TEXT},
  nist            ${TEXT},
  inventory_id    ${TEXT},
  match_rule      ${TEXT},
  owners          ${TEXT} NOT NULL DEFAULT '[]',
  depends_on      ${TEXT} NOT NULL DEFAULT '[]',
  status          ${TEXT} NOT NULL CONSTRAINT findings_status CHECK (status IN ('new','persisting','resolved')),
  first_seen_recon BIGINT NOT NULL,
  last_seen_recon  BIGINT NOT NULL,
  first_seen_at   ${TEXT} NOT NULL,
  last_seen_at    ${TEXT} NOT NULL,
  resolved_recon  BIGINT,
  resolved_at     ${TEXT}
);
CREATE INDEX findings_status ON findings(status, severity);
CREATE INDEX findings_connector ON findings(connector_id);

CREATE TABLE finding_observations (
  recon_id   BIGINT NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  finding_id ${TEXT} NOT NULL,
  severity   ${TEXT} NOT NULL,
  PRIMARY KEY (recon_id, finding_id)
);

CREATE TABLE inventory_matches (
  recon_id      BIGINT NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  connector_id  ${TEXT} NOT NULL,
  inventory_id  ${TEXT} NOT NULL,
  match_rule    ${TEXT} NOT NULL,
  match_value   ${TEXT},
  PRIMARY KEY (recon_id, connector_id, inventory_id)
);
${CURRENT_FINDINGS_003}`;
