// PostgreSQL migration 006 (= SQLite 006-operations): the writer lock row, the ledger of `nhi-census run` and its
// steps, alert deliveries and which finding was alerted where. alert_deliveries_pipeline (PostgreSQL only) serves
// the ON DELETE SET NULL from pipeline_runs, which PostgreSQL checks by query rather than by a scan of every row.
import { ROWID_PK, TEXT } from './sql.ts';

export const id = 6;
export const name = 'operations';
export const sql = `
CREATE TABLE db_lock (
  name          ${TEXT} PRIMARY KEY,
  token         ${TEXT} NOT NULL,
  pid           BIGINT NOT NULL,
  host          ${TEXT} NOT NULL,
  command       ${TEXT} NOT NULL,
  started_at    ${TEXT} NOT NULL,
  heartbeat_at  ${TEXT} NOT NULL,
  run_id        BIGINT
);

CREATE TABLE pipeline_runs (
  id            ${ROWID_PK},
  started_at    ${TEXT} NOT NULL,
  finished_at   ${TEXT},
  status        ${TEXT} NOT NULL CHECK (status IN ('running','complete','partial','failed','interrupted')),
  exit_code     BIGINT,
  pid           BIGINT,
  host          ${TEXT},
  options       ${TEXT} NOT NULL DEFAULT '{}',
  crawl_run_id  BIGINT,
  recon_id      BIGINT,
  report_id     BIGINT,
  summary       ${TEXT}
);

CREATE TABLE run_steps (
  pipeline_run_id BIGINT NOT NULL REFERENCES pipeline_runs(id) ON DELETE CASCADE,
  step          ${TEXT} NOT NULL CHECK (step IN ('lock','crawl','reconcile','report','notify','metrics')),
  status        ${TEXT} NOT NULL CHECK (status IN ('running','complete','partial','failed','skipped','interrupted')),
  started_at    ${TEXT} NOT NULL,
  finished_at   ${TEXT},
  detail        ${TEXT},
  error         ${TEXT},
  PRIMARY KEY (pipeline_run_id, step)
);

CREATE TABLE alert_deliveries (
  id              ${ROWID_PK},
  pipeline_run_id BIGINT REFERENCES pipeline_runs(id) ON DELETE SET NULL,
  channel         ${TEXT} NOT NULL,
  status          ${TEXT} NOT NULL CHECK (status IN ('delivered','failed')),
  attempts        BIGINT NOT NULL,
  response        ${TEXT},
  error           ${TEXT},
  new_findings    BIGINT NOT NULL DEFAULT 0,
  resolved_findings BIGINT NOT NULL DEFAULT 0,
  crawl_problems  BIGINT NOT NULL DEFAULT 0,
  at              ${TEXT} NOT NULL
);
CREATE INDEX alert_deliveries_pipeline ON alert_deliveries(pipeline_run_id);

CREATE TABLE alerted_findings (
  finding_id      ${TEXT} NOT NULL,
  channel         ${TEXT} NOT NULL,
  severity        ${TEXT} NOT NULL,
  alerted_at      ${TEXT} NOT NULL,
  delivery_id     BIGINT,
  resolved_alerted_at ${TEXT},
  PRIMARY KEY (finding_id, channel)
);
`;
