// `nhi-census demo` (npm run demo): the whole main job against the bundled simulated company —
// start the simulators, crawl them with the real SDK clients, and (as later stages land) reconcile
// and report. No credentials, no network.
import fs from 'node:fs';
import type { Command } from 'commander';
import { configFromObject } from '../config/config.ts';
import { openDb } from '../graph/db.ts';
import { loadConnectors } from '../crawl/load-connectors.ts';
import { startScenario } from '../simulator/start-all.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { globals, loggerFor, out } from './common.ts';
import { executeCrawl, printSummary, crawlExitCode } from './crawl.ts';
import { reconcileDemo } from './reconcile.ts';

export function registerDemo(program: Command): void {
  program.command('demo')
    .description('run the main job end to end against simulated providers: crawl the demo company into the graph')
    .option('--db <file>', 'database file (recreated)', 'nhi-census.db')
    .addHelpText('after', '\nNothing leaves this machine: the simulators listen on 127.0.0.1 only.')
    .action(async (opts: { db: string }, cmd: Command) => {
      const log = loggerFor(globals(cmd));
      const specs = await loadConnectors();
      const scenario = buildDemoScenario();
      for (const f of [opts.db, `${opts.db}-wal`, `${opts.db}-shm`]) fs.rmSync(f, { force: true });
      const sims = await startScenario(scenario, specs);
      const db = openDb(opts.db);
      try {
        for (const [name, h] of sims.handles) log.info('simulator up', { provider: name, url: h.url });
        const config = configFromObject({ database: opts.db, organisation: scenario.name, providers: sims.providers }, specs, '(demo)');
        const summary = await executeCrawl({ config, db, log, env: { ...process.env, ...sims.env } });
        printSummary(summary);
        out('');
        reconcileDemo(db);
        out(`\nGraph written to ${opts.db}. Try: nhi-census query "select provider, type, name, app_id from connectors" --db ${opts.db}`);
        process.exitCode = crawlExitCode(summary);
      } finally {
        db.close();
        await sims.close();
      }
    });
}
