// `nhi-census run --distributed` (PostgreSQL only; docs/postgres.md "Distributed workers"): instead of crawling in this
// process, enqueue one crawl job per configured (provider, tenant) in one batch (src/graph/jobs.ts), let `worker`s crawl
// them, and log which worker holds which job as that changes. When every job is done or failed — or the --deadline
// passed, which cancels the rest — the crawl step is over; reconcile, report, notify and metrics then run once, under
// the writer lock, exactly as `run` does them (src/cli/run.ts executeRun, handed the workers' crawl). A job that failed
// or timed out makes the crawl partial (exit 3 unless a worse code applies) and its tenant uncovered: no usable run.
import { InputError } from '../config/yaml-errors.ts';
import type { CrawlSummary } from '../crawl/engine.ts';
import { crawlTargets } from '../crawl/targets.ts';
import { openDb } from '../graph/db.ts';
import { batchStatus, cancelBatch, enqueueBatch, newBatch, requeueExpired, type JobRow } from '../graph/jobs.ts';
import { runResources, type ResourceResult, type RunStatus } from '../graph/runs.ts';
import type { Logger } from '../util/log.ts';
import { sleep } from '../util/sleep.ts';
import { asStorageError } from '../util/storage-error.ts';
import { EXIT } from './exit-codes.ts';
import { chooseMode, executeRun, type RunOutcome, type RunRequest } from './run.ts';
import { requirePostgres } from './worker.ts';

export interface DistributedRunRequest extends RunRequest {
  /** Cancel the jobs still queued or running after this many seconds (default: wait as long as it takes). */
  deadlineSeconds?: number;
  /** How often the batch is looked at (ms; default 1000). */
  pollMs?: number;
  /** Claims of one job before it is failed (a worker died holding it each time; default 3). */
  maxAttempts?: number;
}

export async function executeDistributedRun(req: DistributedRunRequest): Promise<RunOutcome> {
  const { config, log } = req;
  const now = req.now ?? (() => new Date());
  // configuration first (exit 2, nothing written): the targets, then the database kind
  const targets = crawlTargets(config, req.providers, req.tenants);
  if (!targets.length) throw new InputError('run --distributed: no (provider, tenant) configured to crawl');
  requirePostgres(req.dbFile, 'run --distributed');
  const started = Date.now();
  const db = openDb(req.dbFile, { postgres: true });
  let jobs: JobRow[];
  let choice: { mode: 'full' | 'incremental'; reason: string };
  try {
    const providers = [...new Set(targets.map((t) => t.provider))];
    choice = chooseMode(db, providers, Boolean(req.full), config.base.schedule.fullCrawlEveryDays, now());
    const batch = newBatch();
    enqueueBatch(db, batch, targets.map((t) => ({ ...t, mode: choice.mode })), { maxAttempts: req.maxAttempts });
    log.info('crawl jobs enqueued', { batch, jobs: targets.length, mode: choice.mode, mode_reason: choice.reason, deadline_seconds: req.deadlineSeconds });
    jobs = await waitForBatch(db, batch, req, log, started);
  } catch (err) {
    throw asStorageError(err, `database ${db.name}`);
  } finally {
    db.close();
  }
  if (req.signal?.aborted) return { exitCode: EXIT.INTERRUPTED, pipelineId: null, deliveries: [] };
  const readDb = openDb(req.dbFile, { postgres: true });
  let crawled: CrawlSummary;
  try { crawled = summaryOf(jobs, (runId) => runResources(readDb, runId), Date.now() - started); } finally { readDb.close(); }
  // the workers' crawl leases are released (or stale) by now; a worker still stopping a cancelled job is waited for
  return executeRun({ ...req, crawled: { summary: crawled, choice }, waitSeconds: Math.max(req.waitSeconds ?? 0, 120) });
}

/** Polls the batch until no job is queued or running; logs each change of holder or state; cancels the rest at the deadline. */
async function waitForBatch(db: ReturnType<typeof openDb>, batch: string, req: DistributedRunRequest, log: Logger, started: number): Promise<JobRow[]> {
  const seen = new Map<number, string>();
  const holders = new Map<number, string>();
  const deadline = req.deadlineSeconds === undefined ? Infinity : started + req.deadlineSeconds * 1000;
  for (;;) {
    for (const r of requeueExpired(db)) {
      log.warn(r.to === 'queued' ? 'job requeued: its worker stopped heartbeating' : 'job failed: lease lost too often',
        { job: r.job.id, provider: r.job.provider, tenant: r.job.tenant, holder: r.job.worker, run: r.job.run_id ?? undefined });
    }
    const s = batchStatus(db, batch);
    for (const j of s.jobs) {
      const key = `${j.status}|${j.worker ?? ''}|${j.attempts}`;
      if (seen.get(j.id) === key) continue;
      seen.set(j.id, key);
      // the row names the holder before this claim, so a holder that came and went between two polls is still named
      const before = j.attempts > 1 ? j.previous_worker ?? holders.get(j.id) : holders.get(j.id);
      const fields = { job: j.id, provider: j.provider, tenant: j.tenant, worker: j.worker ?? undefined, attempt: j.attempts, run: j.run_id ?? undefined,
        previous_worker: before != null && before !== j.worker ? before : undefined, exit_status: j.exit_status ?? undefined, error: j.error ?? undefined };
      if (j.status === 'running') {
        log.info('job running', fields);
        holders.set(j.id, j.worker ?? '');
      }
      else if (j.status === 'done') log.info('job done', fields);
      else if (j.status === 'failed') log.warn('job failed', fields);
      else if (j.status === 'queued' && j.attempts > 0) log.warn('job back in the queue', fields);
    }
    if (s.finished) {
      log.info('crawl jobs finished', { batch, ...s.counts });
      return s.jobs;
    }
    if (req.signal?.aborted || Date.now() >= deadline) {
      const why = req.signal?.aborted ? `run --distributed was interrupted (${(req.signal.reason as Error | undefined)?.message ?? 'signal'})`
        : `deadline of ${req.deadlineSeconds} s passed`;
      for (const j of cancelBatch(db, batch, why)) {
        log.warn('job cancelled', { job: j.id, provider: j.provider, tenant: j.tenant, worker: j.worker ?? undefined, was: j.status, reason: why });
      }
      return batchStatus(db, batch).jobs;
    }
    await sleep(Math.min(req.pollMs ?? 1000, Math.max(10, deadline - Date.now())), req.signal).catch(() => {});
  }
}

/**
 * The workers' crawl as one summary for the pipeline: each done job's listings from its own run; one failed row per job
 * that failed or was cancelled (its tenant is not covered). Complete only when every job completed; failed when none
 * was done; partial otherwise. runId is the newest of the jobs' runs (the ledger's crawl_run_id).
 */
export function summaryOf(jobs: readonly JobRow[], resourcesOf: (runId: number) => ResourceResult[], durationMs: number): CrawlSummary {
  const resources: ResourceResult[] = [];
  for (const j of jobs) {
    if (j.status === 'done' && j.run_id !== null) {
      resources.push(...resourcesOf(j.run_id).filter((r) => r.provider === j.provider && r.tenant === j.tenant));
      continue;
    }
    const at = j.finished_at ?? new Date().toISOString();
    resources.push({ provider: j.provider, tenant: j.tenant, resourceType: '(crawl job)', status: 'failed', listings: 0, listingsFailed: 0, objects: 0,
      apiCalls: 0, notModified: 0, retries: 0, removed: 0, error: `job ${j.id} ${j.status}${j.error ? `: ${j.error}` : ''}`,
      startedAt: j.started_at ?? at, finishedAt: at, durationMs: null });
  }
  const done = jobs.filter((j) => j.status === 'done');
  const status: RunStatus = done.length === 0 ? 'failed'
    : done.length === jobs.length && done.every((j) => j.exit_status === 'complete') ? 'complete' : 'partial';
  const sum = (k: 'objects' | 'apiCalls' | 'notModified' | 'retries' | 'removed') => resources.reduce((a, r) => a + r[k], 0);
  const runIds = jobs.map((j) => j.run_id).filter((id): id is number => id !== null);
  return { runId: runIds.length ? Math.max(...runIds) : 0, status, durationMs, resources,
    totals: { objects: sum('objects'), apiCalls: sum('apiCalls'), notModified: sum('notModified'), retries: sum('retries'), removed: sum('removed'), rateWaitMs: 0 } };
}
