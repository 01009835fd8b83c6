// PostgreSQL migration 020 (= SQLite 020-crawl-jobs): crawl_jobs, the queue workers claim from with
// FOR UPDATE SKIP LOCKED (src/graph/jobs.ts), with the same columns, checks and indexes.
import { ROWID_PK, TEXT } from './sql.ts';

export const id = 20;
export const name = 'crawl-jobs';
export const sql = `
CREATE TABLE crawl_jobs (
  id            ${ROWID_PK},
  batch         ${TEXT} NOT NULL,
  provider      ${TEXT} NOT NULL,
  tenant        ${TEXT} NOT NULL,
  mode          ${TEXT} NOT NULL CHECK (mode IN ('full', 'incremental')),
  status        ${TEXT} NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  max_attempts  INTEGER NOT NULL DEFAULT 3,
  worker        ${TEXT},
  previous_worker ${TEXT},                   -- the holder of the attempt before (kept when a claim replaces it)
  worker_host   ${TEXT},
  worker_pid    BIGINT,
  lease_token   ${TEXT},
  lease_until   ${TEXT},
  heartbeat_at  ${TEXT},
  run_id        BIGINT,
  exit_status   ${TEXT},
  error         ${TEXT},
  enqueued_at   ${TEXT} NOT NULL,
  started_at    ${TEXT},
  finished_at   ${TEXT}
);
CREATE INDEX crawl_jobs_queue ON crawl_jobs(status, provider, id);
CREATE INDEX crawl_jobs_batch ON crawl_jobs(batch, id);
`;
