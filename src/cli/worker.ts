// `nhi-census worker`: drains the crawl_jobs queue of a PostgreSQL graph (issue 18; docs/postgres.md "Distributed
// workers"). Loop: requeue jobs whose worker died (src/graph/jobs.ts requeueExpired), claim the oldest job of a
// (provider, tenant) this worker's config has — its credentials are in this worker's environment, never in the row —
// take the crawl lease of that tenant, crawl it, record the run and its status. The job lease is heartbeated while
// the crawl runs; when it is lost (cancelled by the run's deadline, requeued as expired) the crawl is stopped.
// SIGTERM/SIGINT stop claiming and interrupt the current job: its run is recorded 'interrupted' and the job goes back
// to the queue, its attempt given back, for another worker.
import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/config.ts';
import { InputError } from '../config/yaml-errors.ts';
import { loadConnectors } from '../crawl/load-connectors.ts';
import { crawlTargets, type CrawlTarget } from '../crawl/targets.ts';
import { openDb, type Db } from '../graph/db.ts';
import { claim, failJob, finishJob, heartbeat, leaseOf, releaseJob, requeueExpired, setJobRun, thisWorker, type JobRow } from '../graph/jobs.ts';
import { LockedError, type DbLock } from '../graph/lock.ts';
import { isPostgresUrl } from '../graph/pg-open.ts';
import { interruptRun, runningRunOf } from '../graph/pipeline-ledger.ts';
import type { Logger } from '../util/log.ts';
import { sleep } from '../util/sleep.ts';
import { asStorageError, isStorageFailure } from '../util/storage-error.ts';
import { globals, lockForCrawl, loggerFor } from './common.ts';
import { crawlExitCode, executeCrawl } from './crawl.ts';
import { EXIT } from './exit-codes.ts';
import { dbOption, providerOption, seconds, wholeNumber } from './options.ts';
import { withGrace } from './run.ts';

export const WORKER_EXIT_HELP = `
Exit codes:
    0  stopped: --idle-exit reached, --once found no job, or SIGTERM/SIGINT while idle
       (--once: the exit code of the crawl of its one job: 0 complete, 3 partial, 4 failed, 6 its tenant's crawl lease stayed held)
    2  configuration error, or --db is not a PostgreSQL URL (workers need PostgreSQL's row locks)
    7  could not start (no usable database)
    8  storage error: the database could not be written (a lost server)
  130  SIGTERM/SIGINT during a job: its crawl run is recorded 'interrupted' and the job is back in the queue`;

export interface WorkerRequest {
  config: LoadedConfig;
  dbUrl: string;
  log: Logger;
  /** Only jobs of these providers (default: every configured one). */
  providers?: string[];
  /** Process at most one job, then exit with its crawl's exit code (0 when none was queued). */
  once?: boolean;
  /** Exit 0 after this many seconds without a job. */
  idleExitSeconds?: number;
  /** How often an idle worker looks for a job (ms). */
  pollMs?: number;
  /** The job lease: heartbeated every third of it; a worker silent this long loses its job to another (seconds). */
  leaseSeconds?: number;
  /** Wait this long for a tenant's crawl lease held by another crawl before giving the job back (seconds). */
  lockWaitSeconds?: number;
  /** Seconds in-flight requests get to finish after SIGTERM before the crawl is cut off. */
  graceSeconds?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface WorkerOutcome { exitCode: number; jobs: number; hardStop?: boolean }

/** Refuses SQLite before anything is opened: the queue needs PostgreSQL's row locks (and several machines). */
export function requirePostgres(db: string, command: string): void {
  if (!isPostgresUrl(db)) {
    throw new InputError(`${command} needs a PostgreSQL database (--db postgres://…; docs/postgres.md): ${db} is a SQLite file, which one process `
      + `crawls at a time — use 'nhi-census run' there`);
  }
}

export async function executeWorker(req: WorkerRequest): Promise<WorkerOutcome> {
  requirePostgres(req.dbUrl, 'worker');
  const targets: CrawlTarget[] = crawlTargets(req.config, req.providers);
  if (!targets.length) throw new InputError('worker: no (provider, tenant) configured to crawl');
  const leaseSeconds = req.leaseSeconds ?? 60;
  const pollMs = req.pollMs ?? 1000;
  const signal = req.signal ?? new AbortController().signal;
  const log = req.log.child({ worker: thisWorker().worker });
  const db = openDb(req.dbUrl, { postgres: true });
  let jobs = 0;
  let idleSince = Date.now();
  try {
    log.info('worker started', { targets: targets.map((t) => `${t.provider}:${t.tenant}`), lease_seconds: leaseSeconds });
    while (!signal.aborted) {
      for (const r of requeueExpired(db)) {
        log.warn(r.to === 'queued' ? 'job requeued: its worker stopped heartbeating' : 'job failed: lease lost too often',
          { job: r.job.id, provider: r.job.provider, tenant: r.job.tenant, holder: r.job.worker, attempts: r.job.attempts, run: r.job.run_id ?? undefined });
      }
      const job = claim(db, { targets, leaseSeconds });
      if (!job) {
        if (req.once) break;
        if (req.idleExitSeconds !== undefined && Date.now() - idleSince >= req.idleExitSeconds * 1000) {
          log.info('worker idle: exiting', { idle_seconds: req.idleExitSeconds, jobs });
          break;
        }
        await sleep(pollMs, signal).catch(() => {});
        continue;
      }
      jobs++;
      const r = await runJob(db, job, req, log, leaseSeconds, signal);
      idleSince = Date.now();
      if (r.hardStop || r.exitCode === EXIT.INTERRUPTED) return { exitCode: EXIT.INTERRUPTED, jobs, hardStop: r.hardStop };
      if (req.once) return { exitCode: r.exitCode, jobs };
    }
    log.info('worker stopped', { jobs });
    return { exitCode: EXIT.OK, jobs };
  } catch (err) {
    throw asStorageError(err, `database ${db.name}`);
  } finally {
    db.close();
  }
}

/** One job: crawl lease, crawl, record. Errors of the crawl fail (or requeue) the job; a lost database is thrown. */
async function runJob(db: Db, job: JobRow, req: WorkerRequest, wlog: Logger, leaseSeconds: number, stop: AbortSignal): Promise<{ exitCode: number; hardStop?: boolean }> {
  const log = wlog.child({ job: job.id, provider: job.provider, tenant: job.tenant });
  const lease = leaseOf(job);
  log.info('job claimed', { batch: job.batch, mode: job.mode, attempt: job.attempts, max_attempts: job.max_attempts });
  const ac = new AbortController();
  const onStop = () => ac.abort(stop.reason ?? new Error('stopped'));
  if (stop.aborted) onStop(); else stop.addEventListener('abort', onStop, { once: true });
  let lost = false;
  const beat = setInterval(() => {
    try {
      if (heartbeat(db, lease, leaseSeconds)) return;
      lost = true;
      log.warn('job lease lost (cancelled, or requeued as expired): stopping its crawl');
      ac.abort(new Error('job lease lost'));
    } catch { /* a busy moment: the next beat will do; the lease outlasts two missed beats */ }
  }, Math.max(100, (leaseSeconds * 1000) / 3));
  beat.unref();
  let lock: DbLock | undefined;
  try {
    try {
      lock = await lockForCrawl(db, [{ provider: job.provider, tenant: job.tenant }], log,
        { waitSeconds: req.lockWaitSeconds ?? 60, staleAfterSeconds: req.config.base.lock.staleAfterSeconds });
    } catch (err) {
      if (!(err instanceof LockedError)) throw err;
      const to = failJob(db, lease, err.message);
      log.warn('job not crawled: the tenant\'s crawl lease stayed held', { error: err.message, job_status: to });
      return { exitCode: EXIT.LOCKED };
    }
    const crawl = executeCrawl({ config: req.config, db, providers: [job.provider], tenants: [job.tenant], mode: job.mode, log, env: req.env, signal: ac.signal, progress: false });
    const runId = runningRunOf(db);
    if (runId !== undefined) { setJobRun(db, lease, runId); lock.setRunId(runId); }
    const summary = await withGrace(crawl, ac.signal, (req.graceSeconds ?? 5) * 1000);
    if (summary === 'cut-off' || summary.status === 'interrupted') {
      if (summary === 'cut-off') { crawl.catch(() => {}); if (runId !== undefined) interruptRun(db, runId); }
      if (!lost) releaseJob(db, lease, `interrupted on ${job.worker}: ${(stop.reason as Error | undefined)?.message ?? 'stopped'}`);
      log.warn(lost ? 'job crawl stopped: its lease was lost' : 'job interrupted: back in the queue', { run: runId });
      return lost ? { exitCode: EXIT.OK } : { exitCode: EXIT.INTERRUPTED, hardStop: summary === 'cut-off' };
    }
    const failed = summary.resources.filter((r) => r.status === 'failed' || r.status === 'partial').map((r) => `${r.resourceType}: ${r.error ?? r.status}`);
    const recorded = finishJob(db, lease, { runId: summary.runId, exitStatus: summary.status, error: failed.length ? failed.slice(0, 5).join('; ') : null });
    log.info(recorded ? 'job finished' : 'job finished after its lease was lost: not recorded', { run: summary.runId, status: summary.status,
      objects: summary.totals.objects, calls: summary.totals.apiCalls, duration_ms: summary.durationMs });
    return { exitCode: crawlExitCode(summary) };
  } catch (err) {
    if (isStorageFailure(err)) throw err;
    const message = (err as Error).message ?? String(err);
    const to = lost ? undefined : failJob(db, lease, message);
    log.error('job failed', { error: message, job_status: to });
    return { exitCode: err instanceof InputError ? EXIT.INPUT : EXIT.CRAWL_FAILED };
  } finally {
    clearInterval(beat);
    stop.removeEventListener('abort', onStop);
    lock?.release();
  }
}

export function registerWorker(program: Command): void {
  program.command('worker')
    .description('PostgreSQL only: crawl jobs from the queue `run --distributed` fills, one (provider, tenant) at a time, until stopped')
    .option('-c, --config <file>', 'config file: the providers and tenants this worker can crawl (their credentials in its environment)', 'nhi-census.yaml')
    .addOption(dbOption('the graph: a postgres://… URL (env NHI_CENSUS_DATABASE_URL; default: the config file\'s database)'))
    .addOption(providerOption('only jobs of these providers (default: every configured one)'))
    .option('--once', 'process at most one job, then exit with its crawl\'s exit code (0 when none is queued)')
    .option('--idle-exit <seconds>', 'exit 0 after this many seconds without a job', seconds)
    .option('--poll <ms>', 'how often an idle worker looks for a job', wholeNumber(10), 1000)
    .option('--lease <seconds>', 'job lease, heartbeated every third of it: a worker silent this long loses its job to another', wholeNumber(3), 60)
    .option('--wait <seconds>', 'wait this long for a tenant\'s crawl lease held by another crawl, then give the job back', seconds, 60)
    .addHelpText('after', WORKER_EXIT_HELP + '\nDeploying workers (systemd, Kubernetes): docs/postgres.md')
    .action(async (opts: { config: string; db?: string; provider?: string[]; once?: boolean; idleExit?: number; poll: number; lease: number; wait: number }, cmd: Command) => {
      const log = loggerFor(globals(cmd));
      const config = loadConfig(opts.config, await loadConnectors());
      const dbUrl = opts.db ?? config.base.database;
      requirePostgres(dbUrl, 'worker');
      const ac = new AbortController();
      const stop = (sig: string) => { log.warn(`received ${sig}: interrupting the current job (it goes back to the queue)`); ac.abort(new Error(`interrupted by ${sig}`)); };
      const onInt = () => stop('SIGINT');
      const onTerm = () => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      try {
        const r = await executeWorker({ config, dbUrl, log, providers: opts.provider, once: opts.once, idleExitSeconds: opts.idleExit,
          pollMs: opts.poll, leaseSeconds: opts.lease, lockWaitSeconds: opts.wait, signal: ac.signal });
        if (r.hardStop) process.exit(r.exitCode);
        process.exitCode = r.exitCode;
      } finally {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      }
    });
}
