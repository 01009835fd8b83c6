// `nhi-census crawl`: crawl the configured providers into the graph and print the run summary.
import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/config.ts';
import { InputError } from '../config/yaml-errors.ts';
import { openDb, type Db } from '../graph/db.ts';
import { runningRunOf } from '../graph/pipeline-ledger.ts';
import { runCrawl, type CrawlSummary } from '../crawl/engine.ts';
import { loadConnectors } from '../crawl/load-connectors.ts';
import { crawlTargets } from '../crawl/targets.ts';
import { createProgress } from '../crawl/progress.ts';
import type { Logger } from '../util/log.ts';
import { globals, lockForCrawl, loggerFor, out } from './common.ts';
import { EXIT } from './exit-codes.ts';
import { renderRows } from './format.ts';
import { providerOption, seconds, dbOption, tenantOption } from './options.ts';
import { terminal } from './terminal.ts';
import { asStorageError } from '../util/storage-error.ts';
import { VERSION } from './version.ts';

export interface CrawlRequest {
  config: LoadedConfig;
  db: Db;
  providers?: string[];
  /** Only these tenant ids of the selected providers (src/crawl/targets.ts); undefined or empty = all. */
  tenants?: string[];
  mode?: 'full' | 'incremental';
  log: Logger;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  progress?: boolean;
}

/** The configured providers a crawl covers (all, or those named); InputError when a name is not configured or none is. */
export function selectProviders(config: LoadedConfig, names?: string[]): Array<NonNullable<ReturnType<LoadedConfig['providers']['get']>>> {
  const selected = [...config.providers.values()].filter((p) => !names?.length || names.includes(p.spec.name));
  const missing = (names ?? []).filter((n) => !config.providers.has(n));
  if (missing.length) throw new InputError(`provider(s) not configured: ${missing.join(', ')} (configure them under providers: in the config file)`);
  if (!selected.length) throw new InputError('no providers configured: add a providers: block to the config file');
  return selected;
}

export async function executeCrawl(req: CrawlRequest): Promise<CrawlSummary> {
  // only the providers with a tenant to crawl; an unknown tenant id is an InputError listing the configured ones
  const targets = crawlTargets(req.config, req.providers, req.tenants);
  const selected = selectProviders(req.config, req.providers).filter((p) => targets.some((t) => t.provider === p.spec.name));
  const tenants = req.tenants?.length ? targets.map((t) => t.tenant) : undefined;
  const progress = createProgress({ tty: req.progress ?? terminal().isTTY, log: req.log });
  return runCrawl({
    db: req.db, log: req.log, mode: req.mode, env: req.env, signal: req.signal, version: VERSION, progress,
    maxRateWaitMs: req.config.base.maxRateWaitSeconds * 1000,
    maxPagesPerListing: req.config.base.maxPagesPerListing,
    retry: req.config.base.retry,
    providers: selected.map((p) => ({ spec: p.spec, config: p.config, configs: p.configs, tenants,
      concurrency: (p.config as { concurrency?: number }).concurrency ?? req.config.base.concurrency })),
  });
}

export function crawlExitCode(s: CrawlSummary): number {
  return s.status === 'complete' ? EXIT.OK : s.status === 'partial' ? EXIT.PARTIAL : s.status === 'interrupted' ? EXIT.INTERRUPTED : EXIT.CRAWL_FAILED;
}

export function printSummary(s: CrawlSummary): void {
  out(renderRows(s.resources.map((r) => ({
    provider: r.provider, tenant: r.tenant, resource: r.resourceType, status: r.status, objects: r.objects, api_calls: r.apiCalls,
    not_modified: r.notModified, retries: r.retries, removed: r.removed, duration_ms: r.durationMs, error: r.error ?? '',
  })), 'table'));
  out(`run ${s.runId}: ${s.status} in ${(s.durationMs / 1000).toFixed(1)} s — ${s.totals.objects} objects, ${s.totals.apiCalls} API calls ` +
    `(${s.totals.notModified} not modified), ${s.totals.retries} retries, ${s.totals.removed} removed`);
}

export function withAbort<T>(fn: (signal: AbortSignal) => Promise<T>, log: Logger): Promise<T> {
  const ac = new AbortController();
  const stop = (sig: string) => { log.warn(`received ${sig}: stopping after in-flight requests`); ac.abort(new Error(`interrupted by ${sig}`)); };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return fn(ac.signal).finally(() => { process.off('SIGINT', onInt); process.off('SIGTERM', onTerm); });
}

export function registerCrawl(program: Command): void {
  program.command('crawl')
    .description('crawl the configured providers into the SQLite graph')
    .option('-c, --config <file>', 'config file', 'nhi-census.yaml')
    .addOption(providerOption())
    .addOption(tenantOption())
    .addOption(dbOption('the graph: a SQLite file or a postgres://… URL (env NHI_CENSUS_DATABASE_URL; default: the config file\'s database)'))
    .option('--incremental', 'use incremental sources where the provider has them (delta links, conditional requests, audit events)')
    .option('--wait <seconds>', 'wait this long for a run holding the database lock (then exit 6)', seconds, 0)
    .addHelpText('after', '\nExit codes: 0 complete, 2 bad config, 3 partial (some listings failed), 4 failed, 6 locked, 7 no usable database (not a database, newer schema), 8 storage error (disk full, read-only), 130 interrupted.\nCredentials come from environment variables named in the config (see README).')
    .action(async (opts, cmd: Command) => {
      const log = loggerFor(globals(cmd));
      const specs = await loadConnectors();
      const config = loadConfig(opts.config, specs);
      selectProviders(config, opts.provider); // before the database is created: exit 2 writes nothing
      crawlTargets(config, opts.provider, opts.tenant);
      const dbFile: string = opts.db ?? config.base.database;
      const db = openDb(dbFile, { postgres: true });
      let lock;
      try {
        // The tenants' crawl leases on PostgreSQL, the writer lock on SQLite (src/graph/lock.ts): wait up to --wait seconds, then exit 6.
        lock = await lockForCrawl(db, crawlTargets(config, opts.provider, opts.tenant), log, { waitSeconds: opts.wait, staleAfterSeconds: config.base.lock.staleAfterSeconds });
        const held = lock;
        const summary = await withAbort((signal) => {
          const p = executeCrawl({ config, db, providers: opts.provider, tenants: opts.tenant, mode: opts.incremental ? 'incremental' : 'full', log, signal });
          held.setRunId(runningRunOf(db) ?? null);
          return p;
        }, log);
        printSummary(summary);
        process.exitCode = crawlExitCode(summary);
      } catch (err) {
        throw asStorageError(err, `database ${db.name}`); // a full disk, a lost server: exit 8, one line naming the database (no password)
      } finally {
        lock?.release();
        db.close();
      }
    });
}
