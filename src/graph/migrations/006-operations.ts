// Migration 006: scheduled operation — the writer lock (one writer run per database), the ledger of
// `nhi-census run` (one row per invocation and one per pipeline step), alert deliveries and which
// finding was alerted on which channel (so each finding is alerted once, not every night).
export const id = 6;
export const name = 'operations';
export const sql = `
-- At most one row per lock name ('writer'). Taken and released with BEGIN IMMEDIATE (compare-and-swap);
-- a row whose holder is dead on this host, or whose heartbeat is older than the configured maximum,
-- is stale and may be taken over.
CREATE TABLE db_lock (
  name          TEXT PRIMARY KEY,
  token         TEXT NOT NULL,              -- random, identifies the holder's acquisition
  pid           INTEGER NOT NULL,
  host          TEXT NOT NULL,
  command       TEXT NOT NULL,              -- 'run', 'crawl', 'prune', ...
  started_at    TEXT NOT NULL,
  heartbeat_at  TEXT NOT NULL,
  run_id        INTEGER                     -- the crawl run (runs.id) in progress, when there is one
);

-- One row per 'nhi-census run' invocation.
CREATE TABLE pipeline_runs (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  status        TEXT NOT NULL CHECK (status IN ('running','complete','partial','failed','interrupted')),
  exit_code     INTEGER,
  pid           INTEGER,
  host          TEXT,
  options       TEXT NOT NULL DEFAULT '{}', -- JSON: providers, full, fail_on, report
  crawl_run_id  INTEGER,                    -- runs.id
  recon_id      INTEGER,                    -- reconciliations.id
  report_id     INTEGER,                    -- reports.id
  summary       TEXT
);

CREATE TABLE run_steps (
  pipeline_run_id INTEGER NOT NULL REFERENCES pipeline_runs(id) ON DELETE CASCADE,
  step          TEXT NOT NULL CHECK (step IN ('lock','crawl','reconcile','report','notify','metrics')),
  status        TEXT NOT NULL CHECK (status IN ('running','complete','partial','failed','skipped','interrupted')),
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  detail        TEXT,                       -- JSON: what the step did (ids, counts, reason skipped)
  error         TEXT,
  PRIMARY KEY (pipeline_run_id, step)
);

-- One row per digest sent (or attempted) to one channel. Never holds a URL, address secret or password.
CREATE TABLE alert_deliveries (
  id              INTEGER PRIMARY KEY,
  pipeline_run_id INTEGER REFERENCES pipeline_runs(id) ON DELETE SET NULL,
  channel         TEXT NOT NULL,            -- 'slack', 'webhook', 'email'
  status          TEXT NOT NULL CHECK (status IN ('delivered','failed')),
  attempts        INTEGER NOT NULL,
  response        TEXT,                     -- HTTP status / SMTP response of the last attempt
  error           TEXT,
  new_findings    INTEGER NOT NULL DEFAULT 0,
  resolved_findings INTEGER NOT NULL DEFAULT 0,
  crawl_problems  INTEGER NOT NULL DEFAULT 0,
  at              TEXT NOT NULL
);

-- Which finding was announced on which channel (new, and later resolved), so nothing is alerted twice.
CREATE TABLE alerted_findings (
  finding_id      TEXT NOT NULL,
  channel         TEXT NOT NULL,
  severity        TEXT NOT NULL,
  alerted_at      TEXT NOT NULL,
  delivery_id     INTEGER,
  resolved_alerted_at TEXT,
  PRIMARY KEY (finding_id, channel)
);
`;
