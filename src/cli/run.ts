// `nhi-census run`: the one command a scheduler calls. Takes the writer lock, then
// crawl (incremental where providers allow; full with --full or when the last full crawl is older than
// schedule.fullCrawlEveryDays) -> reconcile (when an inventory is configured) -> report (when a new
// month has started since the last one, or --report) -> notify (one digest per channel) -> metrics.
// Every step is recorded in pipeline_runs / run_steps (migration 006); exit codes are in EXIT_HELP.
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Severity } from '../catalogue/index.ts';
import { loadConfig, type LoadedConfig } from '../config/config.ts';
import { InputError } from '../config/yaml-errors.ts';
import type { CrawlSummary } from '../crawl/engine.ts';
import { configuredPermissionsByProvider } from '../crawl/permissions.ts';
import { loadConnectors } from '../crawl/load-connectors.ts';
import { crawlTargets } from '../crawl/targets.ts';
import { DatabaseUnusableError, openDb, type Db } from '../graph/db.ts';
import type { DbLock } from '../graph/lock.ts';
import { describeDatabase, isPostgresUrl } from '../graph/pg-open.ts';
import * as ledger from '../graph/pipeline-ledger.ts';
import { markInterruptedRuns } from '../graph/runs.ts';
import { dbBytes } from '../graph/retention.ts';
import { openFindingsBySeverity } from '../graph/findings.ts';
import { loadInventory, type LoadedInventory } from '../inventory/load.ts';
import { writeMetricsFile, type Sample } from '../notify/metrics.ts';
import { notify, type CrawlProblem, type DeliveryResult } from '../notify/index.ts';
import { openAtOrAbove, reconcile, type ReconcileSummary } from '../reconcile/engine.ts';
import type { Logger } from '../util/log.ts';
import { CliError, globals, lockForCommand, loggerFor, out } from './common.ts';
import { executeCrawl, printSummary } from './crawl.ts';
import { EXIT } from './exit-codes.ts';
import { parseSeverity } from './reconcile.ts';
import { providerList, providerOption, dbOption, seconds, tenantOption } from './options.ts';
import { executeDistributedRun } from './run-distributed.ts';
import { sleep } from '../util/sleep.ts';
import { asStorageError, isStorageFailure, StorageError } from '../util/storage-error.ts';
import { currentMonth, executeReport } from './report.ts';
import { terminal } from './terminal.ts';

export const EXIT_HELP = `
Exit codes (the first that applies):
  130  interrupted (SIGINT/SIGTERM): the crawl run is recorded 'interrupted'
    2  configuration error (config file, inventory, options): nothing was written
    7  could not start (no usable database: not a database, a newer schema; its folder is missing)
    6  another run holds the database lock (after --wait seconds); the message names pid, host and start time
    8  storage error: the database or a report file could not be written (disk full, I/O error, read-only); the message
       names the file; the run and its steps are closed 'failed' where the database still accepts writes
    4  the crawl failed for every resource
    1  an internal error in reconcile or report (the crawl is kept; see the run ledger)
    5  open findings at or above --fail-on exist
    3  the crawl was partial (some listings failed)
    0  clean
Alert delivery failures never change the exit code; they are logged and recorded in alert_deliveries.`;

export interface RunRequest {
  config: LoadedConfig;
  dbFile: string;
  log: Logger;
  providers?: string[];
  /** Only these tenant ids (`--tenant`; src/crawl/targets.ts). */
  tenants?: string[];
  full?: boolean;
  failOn?: Severity;
  report?: boolean;
  waitSeconds?: number;
  metricsFile?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Seconds to let in-flight requests finish after SIGINT/SIGTERM before the crawl is cut off (default 5). */
  graceSeconds?: number;
  now?: () => Date;
  progress?: boolean;
  /** `run --distributed` (src/cli/run-distributed.ts): the crawl the workers did, and the mode they did it in; not crawled here. */
  crawled?: { summary: CrawlSummary; choice: { mode: 'full' | 'incremental'; reason: string } };
}

export interface RunOutcome {
  exitCode: number;
  pipelineId: number | null;
  crawl?: CrawlSummary;
  reconcile?: ReconcileSummary;
  reportId?: number;
  deliveries: DeliveryResult[];
  /** The crawl was cut off after the grace period: in-flight requests are still pending; exit now. */
  hardStop?: boolean;
  /** A report file could not be written (exit 8): the one-line message. */
  storageError?: string;
}

/** Provider crawls of this run that failed or went partial (for alerts). */
export function crawlProblems(s: CrawlSummary): CrawlProblem[] {
  const byProvider = new Map<string, CrawlSummary['resources']>();
  for (const r of s.resources) (byProvider.get(r.provider) ?? byProvider.set(r.provider, []).get(r.provider)!).push(r);
  const problems: CrawlProblem[] = [];
  for (const [provider, rs] of byProvider) {
    const bad = rs.filter((r) => r.status === 'failed' || r.status === 'partial');
    if (!bad.length) continue;
    const status = rs.every((r) => r.status === 'failed' || r.status === 'unsupported' || r.status === 'not_applicable') ? 'failed' : 'partial';
    problems.push({ provider, status, runId: s.runId, errors: [...new Set(bad.map((r) => r.error ?? `${r.resourceType} ${r.status}`))].slice(0, 10) });
  }
  return problems;
}

function previousMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** Full when asked, or when any selected provider's last full crawl is missing or older than the interval. */
export function chooseMode(db: Db, providers: string[], full: boolean, everyDays: number, now: Date): { mode: 'full' | 'incremental'; reason: string } {
  if (full) return { mode: 'full', reason: '--full' };
  for (const p of providers) {
    const last = ledger.lastFullCrawl(db, p);
    if (!last) return { mode: 'full', reason: `no full crawl of ${p} yet` };
    const days = (now.getTime() - Date.parse(last)) / 86400_000;
    if (days >= everyDays) return { mode: 'full', reason: `last full crawl of ${p} was ${days.toFixed(1)} days ago (schedule.fullCrawlEveryDays: ${everyDays})` };
  }
  return { mode: 'incremental', reason: `last full crawl within ${everyDays} days` };
}

export async function executeRun(req: RunRequest): Promise<RunOutcome> {
  const { config, log } = req;
  const now = req.now ?? (() => new Date());
  const env = req.env ?? process.env;
  const deliveries: DeliveryResult[] = [];
  // Configuration first: nothing is opened or written when it is wrong (exit 2).
  const selected = [...config.providers.keys()].filter((n) => !req.providers?.length || req.providers.includes(n));
  const missing = (req.providers ?? []).filter((n) => !config.providers.has(n));
  if (missing.length) throw new InputError(`provider(s) not configured: ${missing.join(', ')} (configure them under providers: in the config file)`);
  if (!selected.length) throw new InputError('no providers configured: add a providers: block to the config file');
  crawlTargets(config, req.providers, req.tenants);
  const inventory: LoadedInventory | null = config.base.inventory ? loadInventory(config.base.inventory) : null;

  let db: Db;
  try {
    db = openDb(req.dbFile, { postgres: true });
  } catch (err) {
    // unusable (7) and storage (8) errors say so themselves, as for every command
    if (err instanceof DatabaseUnusableError || err instanceof StorageError) throw err;
    throw new CliError(`could not open database ${describeDatabase(req.dbFile)}: ${(err as Error).message}`, EXIT.CANNOT_START);
  }
  let lock: DbLock | undefined;
  let pipelineId: number | null = null;
  try {
    lock = await lockForCommand(db, 'run', log, { waitSeconds: req.waitSeconds ?? 0, staleAfterSeconds: config.base.lock.staleAfterSeconds });
    markInterruptedRuns(db);
    pipelineId = ledger.beginPipeline(db, { providers: selected, full: Boolean(req.full), fail_on: req.failOn ?? null, report: Boolean(req.report) });
    const plog = log.child({ pipeline: pipelineId });
    ledger.endStep(db, pipelineId, 'lock', 'complete', { pid: process.pid });

    // Crawl.
    const choice = req.crawled?.choice ?? chooseMode(db, selected, Boolean(req.full), config.base.schedule.fullCrawlEveryDays, now());
    plog.info('run started', { providers: selected, mode: choice.mode, mode_reason: choice.reason });
    ledger.startStep(db, pipelineId, 'crawl');
    const crawlPromise = req.crawled ? Promise.resolve(req.crawled.summary) : executeCrawl({ config, db, providers: req.providers, tenants: req.tenants, mode: choice.mode, log: plog, env, signal: req.signal, progress: req.progress ?? false });
    let crawlRunId: number | undefined;
    try {
      crawlRunId = ledger.runningRunOf(db);
      if (crawlRunId !== undefined) { lock.setRunId(crawlRunId); ledger.updatePipeline(db, pipelineId, { crawl_run_id: crawlRunId }); }
    } catch (err) {
      // (a full disk) the crawl is under way on this connection: let it end — it meets the same failure — before the database closes
      await crawlPromise.catch(() => {});
      throw err;
    }
    const crawl = await withGrace(crawlPromise, req.signal, (req.graceSeconds ?? 5) * 1000);
    if (crawl === 'cut-off') {
      crawlPromise.catch(() => {}); // it may still settle, against a closed database; the caller exits now
      if (crawlRunId !== undefined) ledger.interruptRun(db, crawlRunId);
      ledger.endStep(db, pipelineId, 'crawl', 'interrupted', { run: crawlRunId, mode: choice.mode }, 'in-flight requests outlasted the grace period');
      ledger.finishPipeline(db, pipelineId, 'interrupted', EXIT.INTERRUPTED, { crawl_run: crawlRunId });
      plog.warn('run interrupted', { run: crawlRunId });
      return { exitCode: EXIT.INTERRUPTED, pipelineId, deliveries, hardStop: true };
    }
    for (const r of crawl.resources) {
      plog.info('resource crawled', { run: crawl.runId, provider: r.provider, tenant: r.tenant, resource: r.resourceType, status: r.status,
        objects: r.objects, calls: r.apiCalls, not_modified: r.notModified, retries: r.retries, removed: r.removed, duration_ms: r.durationMs, error: r.error ?? undefined });
    }
    ledger.updatePipeline(db, pipelineId, { crawl_run_id: crawl.runId });
    lock.setRunId(null);
    ledger.endStep(db, pipelineId, 'crawl', crawl.status === 'running' ? 'failed' : crawl.status,
      { run: crawl.runId, mode: choice.mode, mode_reason: choice.reason, totals: crawl.totals });
    if (crawl.status === 'interrupted') {
      ledger.finishPipeline(db, pipelineId, 'interrupted', EXIT.INTERRUPTED, { crawl_run: crawl.runId });
      return { exitCode: EXIT.INTERRUPTED, pipelineId, crawl, deliveries };
    }
    let internalError = false;
    let storageError: StorageError | undefined;

    // Reconcile.
    let recon: ReconcileSummary | undefined;
    if (crawl.status === 'failed') ledger.endStep(db, pipelineId, 'reconcile', 'skipped', { reason: 'the crawl failed' });
    else if (!inventory) ledger.endStep(db, pipelineId, 'reconcile', 'skipped', { reason: 'no inventory: configured (set inventory: in the config file)' });
    else {
      ledger.startStep(db, pipelineId, 'reconcile');
      try {
        // a full crawl night is also a full reconciliation: the weekly check that incremental ones agree with it
        recon = reconcile(db, inventory, { now: now(), full: choice.mode === 'full', trustedIssuers: config.base.trust?.issuers });
        ledger.updatePipeline(db, pipelineId, { recon_id: recon.reconId });
        ledger.endStep(db, pipelineId, 'reconcile', 'complete', { recon: recon.reconId, mode: recon.mode, counts: recon.counts, by_severity: recon.bySeverity });
        plog.info('reconciled', { recon: recon.reconId, ...recon.counts });
      } catch (err) {
        if (isStorageFailure(err)) throw err; // the database cannot be written: stop here (see the outer catch)
        internalError = true;
        ledger.endStep(db, pipelineId, 'reconcile', 'failed', null, (err as Error).message);
        plog.error('reconcile failed', { error: (err as Error).message });
      }
    }

    // Report: the previous month once a new month has started, or the current month with --report.
    let reportId: number | undefined;
    const t = now();
    const month = req.report ? currentMonth(t) : previousMonth(t);
    const monthStart = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1)).toISOString();
    const due = req.report || (!ledger.reportExists(db, month) && ledger.finishedRunBefore(db, monthStart));
    if (!due) ledger.endStep(db, pipelineId, 'report', 'skipped', { reason: ledger.reportExists(db, month) ? `report for ${month} exists` : `no crawl finished before ${monthStart.slice(0, 10)}` });
    else {
      ledger.startStep(db, pipelineId, 'report');
      try {
        const r = executeReport({ db, month, outDir: path.join(config.base.report.dir, month), organisation: config.base.organisation,
          expectedProviders: [...config.providers.keys()], now: t, permissions: configuredPermissionsByProvider(config.providers) });
        reportId = r.reportId;
        ledger.updatePipeline(db, pipelineId, { report_id: r.reportId });
        ledger.endStep(db, pipelineId, 'report', 'complete', { report: r.reportId, month, files: r.files.map((f) => f.path) });
        plog.info('report written', { report: r.reportId, month, dir: path.join(config.base.report.dir, month) });
      } catch (err) {
        // a report file that could not be written (StorageError names it) fails the step; a database that cannot be written stops the run
        if (isStorageFailure(err) && !(err instanceof StorageError)) throw err;
        const input = err instanceof InputError;
        if (err instanceof StorageError) storageError = err;
        else if (!input) internalError = true;
        ledger.endStep(db, pipelineId, 'report', input ? 'skipped' : 'failed', { month }, (err as Error).message);
        (input ? plog.warn : plog.error)('report not written', { month, error: (err as Error).message });
      }
    }

    // Notify: never fails the run.
    if (!config.base.alerts) ledger.endStep(db, pipelineId, 'notify', 'skipped', { reason: 'no alerts: configured' });
    else {
      ledger.startStep(db, pipelineId, 'notify');
      const problems = crawlProblems(crawl);
      deliveries.push(...await notify({ db, config: config.base.alerts, env, log: plog, organisation: config.base.organisation ?? '(organisation not configured)',
        crawlProblems: problems, pipelineRunId: pipelineId, crawlRunId: crawl.runId }));
      const failed = deliveries.filter((d) => d.status === 'failed').length;
      ledger.endStep(db, pipelineId, 'notify', failed ? (failed === deliveries.length ? 'failed' : 'partial') : 'complete', { deliveries });
    }

    const atOrAbove = req.failOn ? openAtOrAbove(db, req.failOn) : 0;
    const exitCode = storageError ? EXIT.STORAGE : crawl.status === 'failed' ? EXIT.CRAWL_FAILED : internalError ? EXIT.ERROR : atOrAbove > 0 ? EXIT.FINDINGS
      : crawl.status === 'partial' ? EXIT.PARTIAL : EXIT.OK;

    if (req.metricsFile) {
      try {
        writeMetricsFile(req.metricsFile, metricsOf(db, { crawl, recon, deliveries, exitCode, startedAt: t }));
        ledger.endStep(db, pipelineId, 'metrics', 'complete', { file: req.metricsFile });
      } catch (err) {
        ledger.endStep(db, pipelineId, 'metrics', 'failed', { file: req.metricsFile }, (err as Error).message);
        plog.error('metrics file not written', { error: (err as Error).message });
      }
    }
    const status = crawl.status === 'failed' || internalError || storageError ? 'failed' : crawl.status === 'partial' ? 'partial' : 'complete';
    const summary = { crawl_run: crawl.runId, mode: choice.mode, crawl_status: crawl.status, recon: recon?.reconId ?? null, report: reportId ?? null,
      new_findings: recon?.counts.new ?? null, open_at_or_above_fail_on: req.failOn ? atOrAbove : null,
      deliveries: deliveries.map((d) => `${d.channel}:${d.status}`) };
    ledger.finishPipeline(db, pipelineId, status, exitCode, summary);
    plog.info('run finished', { exit_code: exitCode, ...summary });
    return { exitCode, pipelineId, crawl, reconcile: recon, reportId, deliveries, storageError: storageError?.message };
  } catch (err) {
    // a full disk (or I/O error) under the database: exit 8 naming it; the rows are closed where it still accepts writes
    const failure = isStorageFailure(err) ? asStorageError(err, `database ${describeDatabase(req.dbFile)}`) : err;
    if (pipelineId !== null && db.open) {
      ledger.closePipelineFailed(db, pipelineId, failure instanceof StorageError ? EXIT.STORAGE : EXIT.ERROR, (failure as Error).message ?? String(failure));
    }
    throw failure;
  } finally {
    lock?.release();
    db.close();
  }
}

/** Waits for the crawl; once aborted, gives it `graceMs` to stop before cutting it off. */
export async function withGrace<T>(p: Promise<T>, signal: AbortSignal | undefined, graceMs: number): Promise<T | 'cut-off'> {
  if (!signal) return p;
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<'cut-off'>((resolve) => {
    const arm = () => { timer = setTimeout(() => resolve('cut-off'), graceMs); };
    if (signal.aborted) arm(); else signal.addEventListener('abort', arm, { once: true });
  });
  try { return await Promise.race([p, cut]); } finally { clearTimeout(timer); }
}

function metricsOf(db: Db, r: { crawl: CrawlSummary; recon?: ReconcileSummary; deliveries: DeliveryResult[]; exitCode: number; startedAt: Date }): Sample[] {
  const byProvider = new Map<string, { objects: number; calls: number; retries: number; failed: number }>();
  for (const x of r.crawl.resources) {
    const a = byProvider.get(x.provider) ?? { objects: 0, calls: 0, retries: 0, failed: 0 };
    a.objects += x.objects; a.calls += x.apiCalls; a.retries += x.retries; a.failed += x.status === 'failed' || x.status === 'partial' ? 1 : 0;
    byProvider.set(x.provider, a);
  }
  const per = (k: 'objects' | 'calls' | 'retries' | 'failed') => [...byProvider].map(([provider, a]) => ({ labels: { provider }, value: a[k] }));
  const open = openFindingsBySeverity(db);
  return [
    { name: 'nhi_census_run_last_timestamp_seconds', help: 'Start of the last nhi-census run (unix seconds).', type: 'gauge', values: [{ value: Math.floor(r.startedAt.getTime() / 1000) }] },
    { name: 'nhi_census_run_exit_code', help: 'Exit code of the last nhi-census run (0 clean, 3 partial, 5 findings, ...).', type: 'gauge', values: [{ value: r.exitCode }] },
    { name: 'nhi_census_run_duration_seconds', help: 'Duration of the last crawl.', type: 'gauge', values: [{ value: r.crawl.durationMs / 1000 }] },
    { name: 'nhi_census_crawl_complete', help: '1 if the last crawl completed, 0 if partial, failed or interrupted.', type: 'gauge', values: [{ value: r.crawl.status === 'complete' ? 1 : 0 }] },
    { name: 'nhi_census_crawl_objects', help: 'Objects listed by the last crawl.', type: 'gauge', values: per('objects') },
    { name: 'nhi_census_crawl_api_calls', help: 'API calls made by the last crawl.', type: 'gauge', values: per('calls') },
    { name: 'nhi_census_crawl_retries', help: 'Retried API calls in the last crawl.', type: 'gauge', values: per('retries') },
    { name: 'nhi_census_crawl_incomplete_resources', help: 'Resource listings that failed or went partial in the last crawl.', type: 'gauge', values: per('failed') },
    { name: 'nhi_census_findings_open', help: 'Open findings by severity.', type: 'gauge',
      values: ['critical', 'high', 'medium', 'low', 'info'].map((severity) => ({ labels: { severity }, value: open.find((o) => o.severity === severity)?.n ?? 0 })) },
    { name: 'nhi_census_findings_new', help: 'Findings first raised by the last reconciliation.', type: 'gauge', values: [{ value: r.recon?.counts.new ?? 0 }] },
    { name: 'nhi_census_alert_deliveries_failed', help: 'Alert channels the last run could not deliver to.', type: 'gauge',
      values: [{ value: r.deliveries.filter((d) => d.status === 'failed').length }] },
    { name: 'nhi_census_database_bytes', help: 'Size of the SQLite database (pages in use and free).', type: 'gauge', values: [{ value: dbBytes(db) }] },
  ];
}

export function registerRun(program: Command): void {
  program.command('run')
    .description('the scheduled job: crawl, reconcile, write the monthly report when due, send alerts (one writer at a time)')
    .option('-c, --config <file>', 'config file', 'nhi-census.yaml')
    .addOption(dbOption('the graph: a SQLite file or a postgres://… URL (env NHI_CENSUS_DATABASE_URL; default: the config file\'s database)'))
    .addOption(providerOption())
    .addOption(tenantOption())
    // the earlier spelling, kept working for existing schedules; not shown in --help
    .addOption(new Option('--providers <name...>', 'deprecated: use -p/--provider').argParser(providerList).hideHelp())
    .option('--full', 'full crawl (default: incremental, full when the last full crawl is older than schedule.fullCrawlEveryDays)')
    .option('--fail-on <severity>', 'exit 5 when open findings at or above this severity exist (critical|high|medium|low|info)')
    .option('--report', 'write the report for the current month now (it is written for the previous month automatically once a month starts)')
    .option('--wait <seconds>', 'wait this long for a run holding the database lock', '0')
    .option('--metrics-file <path>', 'write Prometheus text metrics here (node-exporter textfile collector), atomically')
    .option('--every <interval>', 'built-in scheduler: stay up and run again every interval (e.g. 24h, 6h, 30m); SIGTERM stops it between runs with exit 0')
    .option('--distributed', 'PostgreSQL only: enqueue one crawl job per (provider, tenant) for `nhi-census worker`s, wait for them, then reconcile and report here')
    .option('--deadline <seconds>', 'with --distributed: cancel the jobs not finished after this many seconds (their tenants count as not crawled: exit 3)', seconds)
    .addHelpText('after', EXIT_HELP + '\nRecipes (cron, systemd, Kubernetes, GitHub Actions): docs/operations.md')
    .action(async (opts: { config: string; db?: string; provider?: string[]; providers?: string[]; tenant?: string[]; full?: boolean; failOn?: string; report?: boolean; wait: string; metricsFile?: string; every?: string; distributed?: boolean; deadline?: number }, cmd: Command) => {
      const log = loggerFor(globals(cmd));
      const failOn = parseSeverity(opts.failOn, '--fail-on');
      const everyMs = opts.every === undefined ? undefined : parseInterval(opts.every);
      const wait = Number(opts.wait);
      if (!Number.isFinite(wait) || wait < 0) throw new InputError(`--wait must be a number of seconds (got ${opts.wait})`);
      if (opts.deadline !== undefined && !opts.distributed) throw new InputError('--deadline applies to run --distributed only');
      const execute = opts.distributed ? (r: RunRequest) => executeDistributedRun({ ...r, deadlineSeconds: opts.deadline }) : executeRun;
      const config = loadConfig(opts.config, await loadConnectors());
      const dbFile = opts.db ?? config.base.database;
      const providers = opts.provider || opts.providers ? [...new Set([...(opts.provider ?? []), ...(opts.providers ?? [])])] : undefined;
      if (!isPostgresUrl(dbFile) && !fs.existsSync(path.dirname(path.resolve(dbFile)))) throw new CliError(`database folder ${path.dirname(path.resolve(dbFile))} does not exist`, EXIT.CANNOT_START);
      const ac = new AbortController();
      const stop = (sig: string) => { log.warn(`received ${sig}: stopping`, { grace_seconds: 5 }); ac.abort(new Error(`interrupted by ${sig}`)); };
      const onInt = () => stop('SIGINT');
      const onTerm = () => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      try {
        for (;;) {
          const startedAt = Date.now();
          const r = await execute({ config, dbFile, log, providers, tenants: opts.tenant, full: opts.full, failOn, report: opts.report, waitSeconds: wait,
            metricsFile: opts.metricsFile, signal: ac.signal, progress: terminal().isTTY && !globals(cmd).quiet });
          if (r.crawl) printSummary(r.crawl);
          if (r.reconcile) out(`reconciliation ${r.reconcile.reconId}: ${r.reconcile.counts.new} new, ${r.reconcile.counts.persisting} persisting, ${r.reconcile.counts.resolved} resolved findings`);
          if (r.reportId !== undefined) out(`report #${r.reportId} written under ${config.base.report.dir}`);
          for (const d of r.deliveries) out(`alert ${d.channel}: ${d.status}${d.attempts ? ` after ${d.attempts} attempt(s)` : ''} (${d.newFindings} new, ${d.resolved} resolved, ${d.crawlProblems} crawl problems)`);
          out(`run ${r.pipelineId}: exit ${r.exitCode}`);
          if (r.storageError) process.stderr.write(`nhi-census: ${r.storageError}\n`);
          if (r.hardStop) process.exit(r.exitCode);
          process.exitCode = r.exitCode;
          // Built-in scheduler: a run's exit code is logged and the next run is waited for; a configuration
          // error or an interruption ends the loop with that code.
          if (everyMs === undefined || ac.signal.aborted || r.exitCode === EXIT.INPUT || r.exitCode === EXIT.INTERRUPTED) break;
          const next = new Date(startedAt + everyMs);
          log.info('next run scheduled', { at: next.toISOString(), last_exit_code: r.exitCode });
          try { await sleep(next.getTime() - Date.now(), ac.signal); } catch { process.exitCode = EXIT.OK; break; }
        }
      } finally {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      }
    });
}

/** '24h', '30m', '90s', '1d' -> milliseconds (at least one second). */
export function parseInterval(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(v.trim());
  const ms = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'] : NaN;
  if (!Number.isFinite(ms) || ms < 1000) throw new InputError(`--every must be an interval such as 24h, 30m or 90s (got ${v})`);
  return ms;
}
