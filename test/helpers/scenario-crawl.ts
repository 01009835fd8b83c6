// Test helper: start the simulators of every provider block in a scenario, crawl them all with the real
// clients through the real engine into `db`, and close the simulators (the crawl must end complete).
import { expect } from 'vitest';
import { executeCrawl } from '../../src/cli/crawl.ts';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { Db } from '../../src/graph/db.ts';
import type { Scenario } from '../../src/simulator/scenario.ts';
import { startScenario } from '../../src/simulator/start-all.ts';
import { createLogger } from '../../src/util/log.ts';

export async function crawlScenario(db: Db, scenario: Scenario): Promise<void> {
  const specs = await loadConnectors();
  const sims = await startScenario(scenario, specs);
  try {
    const config = configFromObject({ database: ':memory:', providers: sims.providers }, specs, '(test)');
    const summary = await executeCrawl({ config, db, log: createLogger({ format: 'json', level: 'error', write: () => {} }), env: { ...process.env, ...sims.env } });
    expect(summary.status).toBe('complete');
  } finally { await sims.close(); }
}
