// `nhi-census demo` (npm run demo): the whole main job against the bundled simulated company —
// start the simulators, crawl them with the real SDK clients, reconcile against the bundled inventory
// and write the monthly report (last month first, so the report has a month to compare with).
// No credentials, no network.
import { dbOption } from './options.ts';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { configFromObject } from '../config/config.ts';
import { DatabaseUnusableError, openDb } from '../graph/db.ts';
import { graphHeldBy } from '../graph/copy.ts';
import { describeDatabase, isPostgresUrl } from '../graph/pg-open.ts';
import { loadConnectors } from '../crawl/load-connectors.ts';
import { configuredPermissionsByProvider } from '../crawl/permissions.ts';
import { startScenario } from '../simulator/start-all.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { lastMonthScenario } from '../../scenarios/demo/last-month.ts';
import { shiftRecordedTimes } from '../graph/report-queries.ts';
import type { Scenario } from '../simulator/scenario.ts';
import type { Db } from '../graph/db.ts';
import type { Logger } from '../util/log.ts';
import { currentMonth, executeReport, printReport } from './report.ts';
import { globals, loggerFor, out } from './common.ts';
import { executeCrawl, printSummary, crawlExitCode } from './crawl.ts';
import { DEMO_INVENTORY, reconcileDemo } from './reconcile.ts';
import { selfCommand } from './self-command.ts';
import { dateDemoToday, DEMO_INVENTORY_AS_OF } from '../../scenarios/demo/today.ts';

export function registerDemo(program: Command): void {
  program.command('demo')
    .description('run the main job end to end against simulated providers: crawl the demo company, reconcile, write the report')
    .addOption(dbOption('the graph: a SQLite file (recreated) or an empty PostgreSQL database (postgres://…; env NHI_CENSUS_DATABASE_URL)', 'nhi-census.db'))
    .option('--out <dir>', 'report folder', 'reports-out')
    .addHelpText('after', '\nNothing leaves this machine: the simulators listen on 127.0.0.1 only.')
    .action(async (opts: { db: string; out: string }, cmd: Command) => {
      const log = loggerFor(globals(cmd));
      const db = openDemoDb(opts.db); // before anything is written
      try {
        // dated today: the scenario and a copy of the demo inventory move together (scenarios/demo/today.ts)
        const today = dateDemoToday(DEMO_INVENTORY, opts.out);
        out(`Demo dated today: the scenario and the demo inventory moved ${today.days} day(s) from their ${DEMO_INVENTORY_AS_OF.slice(0, 10)} writing (${today.inventory}).\n`);
        const scenario = buildDemoScenario();
        // History first: the company as it was last month, crawled and reconciled, then dated a month back
        // (same day of the previous month), so this month's report has a previous month to compare with.
        const now = new Date();
        out(`Last month (simulated: crawled now, then dated ${sameDayLastMonth(now).toISOString().slice(0, 10)}):`);
        await crawlAndReconcile(db, lastMonthScenario(scenario), opts.db, log, today.inventory);
        shiftRecordedTimes(db, now.getTime() - sameDayLastMonth(now).getTime());
        out('\nThis month:');
        const { summary, providers, permissions } = await crawlAndReconcile(db, scenario, opts.db, log, today.inventory);
        out('');
        printReport(executeReport({ db, month: currentMonth(now), outDir: opts.out, organisation: scenario.name ?? 'Demo company', expectedProviders: providers, permissions,
          replaceFile: opts.db }));
        const where = describeDatabase(opts.db);
        out(`\nOpen ${path.join(opts.out, 'report.html')} in a browser. Graph written to ${where}. Try: ${selfCommand()} query "select provider, type, name, app_id from connectors" --db ${where}`);
        process.exitCode = crawlExitCode(summary);
      } finally {
        db.close();
      }
    });
}

/**
 * The demo's database: a file is recreated; a PostgreSQL database must hold no graph yet (fresh, or only migrated) —
 * the demo never replaces a graph on a server, which others may share (exit 7 before anything is written).
 */
function openDemoDb(where: string): Db {
  if (!isPostgresUrl(where)) {
    for (const f of [where, `${where}-wal`, `${where}-shm`]) fs.rmSync(f, { force: true });
    return openDb(where);
  }
  const db = openDb(where, { postgres: true });
  const held = graphHeldBy(db);
  if (!held) return db;
  db.close();
  throw new DatabaseUnusableError(`${describeDatabase(where)} already holds a graph (${held}): the demo writes into an empty database and never `
    + 'replaces a graph on a server — give it a fresh one (createdb), or a file');
}

async function crawlAndReconcile(db: Db, scenario: Scenario, dbFile: string, log: Logger, inventory: string) {
  const specs = await loadConnectors();
  const sims = await startScenario(scenario, specs);
  try {
    for (const [name, h] of sims.handles) log.info('simulator up', { provider: name, url: h.url });
    const config = configFromObject({ database: dbFile, organisation: scenario.name, providers: sims.providers }, specs, '(demo)');
    const summary = await executeCrawl({ config, db, log, env: { ...process.env, ...sims.env } });
    printSummary(summary);
    out('');
    reconcileDemo(db, { inventory });
    return { summary, providers: [...config.providers.keys()], permissions: configuredPermissionsByProvider(config.providers) };
  } finally {
    await sims.close();
  }
}

function sameDayLastMonth(d: Date): Date {
  const t = new Date(d);
  const day = t.getUTCDate();
  t.setUTCDate(1);
  t.setUTCMonth(t.getUTCMonth() - 1);
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(day, last));
  return t;
}
