// Migration 020: crawl_jobs — the queue of distributed crawl work (issue 18, docs/postgres.md "Distributed workers").
// One row per (provider, tenant) a `run --distributed` enqueued in a batch; a `worker` claims it under a lease it
// refreshes (lease_until, heartbeat_at), crawls it, and records the crawl run and its status. The row holds what to
// crawl, never how: credentials stay in each worker's environment. Created on SQLite too (one schema on both
// backends), though only PostgreSQL runs workers (src/graph/jobs.ts).
export const id = 20;
export const name = 'crawl-jobs';
export const sql = `
CREATE TABLE crawl_jobs (
  id            INTEGER PRIMARY KEY,
  batch         TEXT NOT NULL,                -- the run --distributed that enqueued it
  provider      TEXT NOT NULL,
  tenant        TEXT NOT NULL,
  mode          TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
  status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  attempts      INTEGER NOT NULL DEFAULT 0,   -- claims so far (a clean interruption gives its attempt back)
  max_attempts  INTEGER NOT NULL DEFAULT 3,
  worker        TEXT,                         -- the holder (or last holder): '<host>:<pid>'
  previous_worker TEXT,                     -- the holder of the attempt before (kept when a claim replaces it)
  worker_host   TEXT,
  worker_pid    INTEGER,
  lease_token   TEXT,                         -- random per claim: only that claim may heartbeat, finish or release it
  lease_until   TEXT,                         -- ISO time; past it (no heartbeat) the job is requeued
  heartbeat_at  TEXT,
  run_id        INTEGER,                      -- the crawl run (runs.id) of the current or last attempt
  exit_status   TEXT,                         -- that run's status: complete, partial, failed, interrupted
  error         TEXT,                         -- why it failed or was requeued (masked)
  enqueued_at   TEXT NOT NULL,
  started_at    TEXT,
  finished_at   TEXT
);
CREATE INDEX crawl_jobs_queue ON crawl_jobs(status, provider, id);
CREATE INDEX crawl_jobs_batch ON crawl_jobs(batch, id);
`;
