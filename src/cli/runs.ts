// `nhi-census runs`: the run ledger — each run, and per resource its completeness, objects, calls and errors
// (snake_case columns, as in every view and table).
import type { Command } from 'commander';
import { openDb } from '../graph/db.ts';
import { listRuns, runResources } from '../graph/runs.ts';
import { out } from './common.ts';
import { renderRows } from './format.ts';
import { choiceOption, wholeNumber, dbOption } from './options.ts';

export function registerRuns(program: Command): void {
  program.command('runs')
    .description('show the run ledger (latest runs; --run N for one run\'s resources)')
    .addOption(dbOption(undefined, 'nhi-census.db'))
    .option('--run <id>', 'show the per-resource results of this run', wholeNumber(1))
    .option('-n, --limit <n>', 'how many runs', wholeNumber(1), 20)
    .addOption(choiceOption('-f, --format <format>', 'table | csv | json', ['table', 'csv', 'json'], 'table'))
    .action((opts: { db: string; run?: number; limit: number; format: 'table' | 'csv' | 'json' }) => {
      const db = openDb(opts.db, { readonly: true, postgres: true });
      try {
        if (opts.run) {
          out(renderRows(runResources(db, opts.run).map((r) => ({
            provider: r.provider, tenant: r.tenant, resource_type: r.resourceType, status: r.status, listings: r.listings,
            listings_failed: r.listingsFailed, objects: r.objects, api_calls: r.apiCalls, not_modified: r.notModified, retries: r.retries,
            removed: r.removed, error: r.error, started_at: r.startedAt, finished_at: r.finishedAt, duration_ms: r.durationMs, notes: r.notes,
          })), opts.format));
          return;
        }
        out(renderRows(listRuns(db, opts.limit).map((r) => {
          const s = r.summary ? JSON.parse(r.summary) as { totals?: Record<string, number>; durationMs?: number } : {};
          return { run: r.id, started_at: r.started_at, finished_at: r.finished_at, status: r.status, mode: r.mode,
            providers: JSON.parse(r.providers).join(','), objects: s.totals?.objects ?? null, api_calls: s.totals?.apiCalls ?? null,
            retries: s.totals?.retries ?? null, seconds: s.durationMs ? Math.round(s.durationMs / 100) / 10 : null, host: r.host, pid: r.pid };
        }), opts.format));
      } finally {
        db.close();
      }
    });
}
