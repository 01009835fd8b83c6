// Migration 005: the reports table — one row per generated monthly report, recording its inputs
// (reconciliation, crawl runs, inventory hash) and the hashes of the files written, so the next
// month's report knows what it is compared with and retention knows what each report was built from.
// (004 is reserved for the reconciler; migrations must stay in id order in index.ts.)
export const id = 5;
export const name = 'reports';
export const sql = `
CREATE TABLE reports (
  id              INTEGER PRIMARY KEY,
  month           TEXT NOT NULL,              -- 'YYYY-MM', the period reported on
  generated_at    TEXT NOT NULL,
  recon_id        INTEGER,                    -- the reconciliation it reports (NULL: crawl only, no reconciliation yet)
  crawl_runs      TEXT NOT NULL DEFAULT '{}', -- JSON {provider: run id} the report's connector figures are taken from
  inventory_file  TEXT,
  inventory_hash  TEXT,
  organisation    TEXT NOT NULL,
  out_dir         TEXT,
  files           TEXT NOT NULL DEFAULT '{}', -- JSON {file name: sha256}
  summary         TEXT NOT NULL DEFAULT '{}', -- JSON headline figures (connectors, open findings by severity)
  tool_version    TEXT
);
CREATE INDEX reports_month ON reports(month, id);
`;
