// PostgreSQL migration 005 (= SQLite 005-reports): one row per generated monthly report, its inputs and file hashes.
import { ROWID_PK, TEXT } from './sql.ts';

export const id = 5;
export const name = 'reports';
export const sql = `
CREATE TABLE reports (
  id              ${ROWID_PK},
  month           ${TEXT} NOT NULL,
  generated_at    ${TEXT} NOT NULL,
  recon_id        BIGINT,
  crawl_runs      ${TEXT} NOT NULL DEFAULT '{}',
  inventory_file  ${TEXT},
  inventory_hash  ${TEXT},
  organisation    ${TEXT} NOT NULL,
  out_dir         ${TEXT},
  files           ${TEXT} NOT NULL DEFAULT '{}',
  summary         ${TEXT} NOT NULL DEFAULT '{}',
  tool_version    ${TEXT}
);
CREATE INDEX reports_month ON reports(month, id);
`;
