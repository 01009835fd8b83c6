// The queue of distributed crawl work (issue 18, migration 020 crawl_jobs; docs/postgres.md "Distributed workers"):
// `run --distributed` enqueues one job per (provider, tenant) in a batch, `worker`s claim them, crawl, and finish them.
// A claim is one UPDATE of the oldest queued job of a provider the worker has configured, picked with
// FOR UPDATE SKIP LOCKED on PostgreSQL — concurrent claimers skip each other's rows instead of waiting on them, so two
// workers never get the same job and never queue behind one another. (SQLite, which has no row locks, serialises the
// single statement.) The claim is a lease, as db_lock is: a random token, a lease_until the holder's heartbeat pushes
// on; past it the job is requeued (or failed after max_attempts) and the holder's crawl run marked interrupted (the
// same rows a stale-lock takeover closes: runs.ts markRunInterrupted), so nothing is ever removed on its strength.
// A row names what to crawl, never how: credentials stay in each worker's environment. Times are ISO text (db_lock's).
import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from './db.ts';
import { sqlFor } from './dialect.ts';
import { crawlLeaseName } from './lock.ts';
import { markRunInterrupted } from './runs.ts';
import { maskText } from '../util/redact.ts';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobRow {
  id: number; batch: string; provider: string; tenant: string; mode: 'full' | 'incremental'; status: JobStatus;
  attempts: number; max_attempts: number; worker: string | null; previous_worker: string | null; worker_host: string | null; worker_pid: number | null;
  lease_token: string | null; lease_until: string | null; heartbeat_at: string | null; run_id: number | null;
  exit_status: string | null; error: string | null; enqueued_at: string; started_at: string | null; finished_at: string | null;
}

export interface JobTarget { provider: string; tenant: string }
export interface JobSpec extends JobTarget { mode: 'full' | 'incremental' }

/** A claimed job: only its lease token may heartbeat, finish or release it. */
export interface JobLease { id: number; token: string }

export interface WorkerIdentity { worker: string; host: string; pid: number }

export const thisWorker = (): WorkerIdentity => ({ worker: `${os.hostname()}:${process.pid}`, host: os.hostname(), pid: process.pid });

const iso = (ms: number): string => new Date(ms).toISOString();
const untilOf = (now: number, leaseSeconds: number): string => iso(now + leaseSeconds * 1000);
const errorText = (e: string): string => maskText(e).slice(0, 1000);

export const newBatch = (): string => crypto.randomUUID();

/** Enqueues the batch's jobs in one transaction; returns them in id order. */
export function enqueueBatch(db: Db, batch: string, jobs: readonly JobSpec[], opts: { maxAttempts?: number; now?: number } = {}): JobRow[] {
  const at = iso(opts.now ?? Date.now());
  const max = opts.maxAttempts ?? 3;
  const ins = db.prepare('INSERT INTO crawl_jobs (batch, provider, tenant, mode, max_attempts, enqueued_at) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => { for (const j of jobs) ins.run(batch, j.provider, j.tenant, j.mode, max, at); })();
  return batchJobs(db, batch);
}

/**
 * Claims the oldest queued job of one of `targets` — the (provider, tenant)s this worker has configured: the others'
 * credentials are not here — leased for `leaseSeconds`; undefined when there is none.
 */
export function claim(db: Db, opts: { targets: readonly JobTarget[]; who?: WorkerIdentity; leaseSeconds: number; now?: number }): JobRow | undefined {
  if (!opts.targets.length) return undefined;
  const who = opts.who ?? thisWorker();
  const now = opts.now ?? Date.now();
  const mine = opts.targets.map(() => '(provider = ? AND tenant = ?)').join(' OR ');
  const pick = `SELECT id FROM crawl_jobs WHERE status = 'queued' AND (${mine}) ORDER BY id LIMIT 1`;
  return db.prepare<unknown[], JobRow>(`UPDATE crawl_jobs SET status = 'running', attempts = attempts + 1, previous_worker = worker, worker = ?, worker_host = ?, worker_pid = ?,
      lease_token = ?, lease_until = ?, heartbeat_at = ?, started_at = ?, finished_at = NULL, run_id = NULL, exit_status = NULL
    WHERE id = (${sqlFor(db, { sqlite: pick, postgres: `${pick} FOR UPDATE SKIP LOCKED` })}) RETURNING *`)
    .get(who.worker, who.host, who.pid, crypto.randomUUID(), untilOf(now, opts.leaseSeconds), iso(now), iso(now), ...opts.targets.flatMap((t) => [t.provider, t.tenant]));
}

export const leaseOf = (job: JobRow): JobLease => ({ id: job.id, token: job.lease_token! });

/** Pushes the lease on; false when the job is no longer this lease's (requeued as expired, cancelled): stop working on it. */
export function heartbeat(db: Db, lease: JobLease, leaseSeconds: number, now = Date.now()): boolean {
  return db.prepare("UPDATE crawl_jobs SET lease_until = ?, heartbeat_at = ? WHERE id = ? AND lease_token = ? AND status = 'running'")
    .run(untilOf(now, leaseSeconds), iso(now), lease.id, lease.token).changes === 1;
}

/** Records the crawl run the job is writing (a requeue then marks it interrupted). */
export function setJobRun(db: Db, lease: JobLease, runId: number): boolean {
  return db.prepare("UPDATE crawl_jobs SET run_id = ? WHERE id = ? AND lease_token = ? AND status = 'running'").run(runId, lease.id, lease.token).changes === 1;
}

/** The crawl ended: a complete or partial run is done, a failed one failed (no retry: the next run crawls again). */
export function finishJob(db: Db, lease: JobLease, r: { runId: number; exitStatus: string; error?: string | null }): boolean {
  const status: JobStatus = r.exitStatus === 'complete' || r.exitStatus === 'partial' ? 'done' : 'failed';
  return db.prepare(`UPDATE crawl_jobs SET status = ?, run_id = ?, exit_status = ?, error = coalesce(?, error), finished_at = ?, lease_token = NULL, lease_until = NULL
      WHERE id = ? AND lease_token = ? AND status = 'running'`)
    .run(status, r.runId, r.exitStatus, r.error == null ? null : errorText(r.error), iso(Date.now()), lease.id, lease.token).changes === 1;
}

/**
 * The job could not be crawled (the crawl lease stayed held, the crawl threw): queued again while attempts remain,
 * else failed with `error`.
 */
export function failJob(db: Db, lease: JobLease, error: string): JobStatus | undefined {
  const row = db.prepare<[string, string, number, string], { status: JobStatus }>(`UPDATE crawl_jobs SET
      status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
      finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE ? END, error = ?, lease_token = NULL, lease_until = NULL
      WHERE id = ? AND lease_token = ? AND status = 'running' RETURNING status`).get(iso(Date.now()), errorText(error), lease.id, lease.token);
  return row?.status;
}

/** A clean stop (SIGTERM) before the job was done: back in the queue, its attempt given back. */
export function releaseJob(db: Db, lease: JobLease, reason: string): boolean {
  return db.prepare(`UPDATE crawl_jobs SET status = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, error = ?,
      lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ? AND status = 'running'`)
    .run(errorText(reason), lease.id, lease.token).changes === 1;
}

export interface Requeued { job: JobRow; to: 'queued' | 'failed' }

/**
 * Jobs whose lease ran out (their worker died or hung): queued again while attempts remain, else failed 'lease lost'.
 * The holder's crawl run becomes interrupted with its unfinished listings failed, and its crawl lease (db_lock) is
 * freed for the next taker, all in one transaction. Any worker (and the waiting `run --distributed`) calls it.
 */
export function requeueExpired(db: Db, now = Date.now()): Requeued[] {
  const at = iso(now);
  const expired = `SELECT * FROM crawl_jobs WHERE status = 'running' AND lease_until < ? ORDER BY id`;
  return db.transaction(() => {
    const out: Requeued[] = [];
    for (const job of db.prepare<[string], JobRow>(sqlFor(db, { sqlite: expired, postgres: `${expired} FOR UPDATE SKIP LOCKED` })).all(at)) {
      if (job.run_id !== null) markRunInterrupted(db, job.run_id, at);
      if (job.worker_host !== null && job.worker_pid !== null) {
        db.prepare('DELETE FROM db_lock WHERE name = ? AND host = ? AND pid = ?').run(crawlLeaseName(job.provider, job.tenant), job.worker_host, job.worker_pid);
      }
      const to = job.attempts < job.max_attempts ? 'queued' : 'failed';
      const error = `lease lost: ${job.worker ?? 'worker'} sent no heartbeat since ${job.heartbeat_at ?? job.started_at}`;
      db.prepare(`UPDATE crawl_jobs SET status = ?, error = ?, finished_at = ?, exit_status = CASE WHEN run_id IS NULL THEN exit_status ELSE 'interrupted' END,
          lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ?`)
        .run(to, to === 'failed' ? 'lease lost' : error, to === 'failed' ? at : null, job.id, job.lease_token);
      out.push({ job, to });
    }
    return out;
  })();
}

/** Cancels what is left of a batch (its deadline passed): queued and running jobs; returns them as they were. */
export function cancelBatch(db: Db, batch: string, reason: string): JobRow[] {
  return db.transaction(() => {
    const open = db.prepare<[string], JobRow>("SELECT * FROM crawl_jobs WHERE batch = ? AND status IN ('queued', 'running') ORDER BY id").all(batch);
    const at = iso(Date.now());
    for (const job of open) {
      if (job.run_id !== null) markRunInterrupted(db, job.run_id, at);
      db.prepare(`UPDATE crawl_jobs SET status = 'cancelled', error = ?, finished_at = ?, lease_token = NULL, lease_until = NULL
          WHERE id = ? AND status IN ('queued', 'running')`).run(errorText(reason), at, job.id);
    }
    return open;
  })();
}

export function batchJobs(db: Db, batch: string): JobRow[] {
  return db.prepare<[string], JobRow>('SELECT * FROM crawl_jobs WHERE batch = ? ORDER BY id').all(batch);
}

export interface BatchStatus { jobs: JobRow[]; counts: Record<JobStatus, number>; finished: boolean }

/** The batch's jobs and how many are in each state; finished when none is queued or running. */
export function batchStatus(db: Db, batch: string): BatchStatus {
  const jobs = batchJobs(db, batch);
  const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  for (const j of jobs) counts[j.status]++;
  return { jobs, counts, finished: counts.queued + counts.running === 0 };
}
