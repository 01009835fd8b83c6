// Issue 13 item 6: SIGTERM stops a crawl that is inside an endless paging chain — distinct next links every
// time, so the loop guard does not end it — within 5 s, with exit code 130 (docs/cli.md), the run recorded
// interrupted. The binary is spawned against a simulator started here, as a scheduler would run it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import YAML from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { buildGoogleScenario } from '../../scenarios/demo/google.ts';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { SimulatorHandle } from '../../src/simulator/server.ts';
import { spawnCli, until, type CliResult } from '../ops/helpers.ts';

// Rate budgets generous enough that pacing never sleeps (a sleeping pacer would notice the signal by chance).
const FAST = 100_000;
const fastSlack = () => {
  const s = buildSlackScenario();
  s.tiers = Object.fromEntries(['1', '2', '3', '4'].map((t) => [t, { limit: FAST, windowMs: 1000 }])) as typeof s.tiers;
  return s;
};
const fastGoogle = () => {
  const s = buildGoogleScenario();
  s.quotas = Object.fromEntries(['directory', 'reports', 'iam', 'resourceManager'].map((q) => [q, { limit: FAST, windowMs: 60_000, answer: 429 }])) as typeof s.quotas;
  return s;
};

/** Routes whose paging runs inside a listing (collected before anything is yielded) as well as page by page. */
const CASES: Array<{ name: string; provider: string; scenario(): unknown; route: string; config?: Record<string, unknown> }> = [
  { name: 'github Link rel="next" (org admins)', provider: 'github', scenario: () => buildGithubScenario(), route: 'members' },
  { name: 'slack team.integrationLogs pages', provider: 'slack', scenario: fastSlack, route: 'team.integrationLogs' },
  { name: 'google token events (nextPageToken)', provider: 'google', scenario: fastGoogle, route: 'activities',
    config: { quotas: { directory: FAST, reports: FAST, iam: FAST, resourceManager: FAST } } },
  { name: 'azure Graph nextLink after a $batch page', provider: 'azure', scenario: () => buildAzureScenario(), route: 'sp-owners' },
  { name: 'azure ARM nextLink (role definitions)', provider: 'azure', scenario: () => buildAzureScenario(), route: 'arm-role-definitions' },
];

let sim: SimulatorHandle | undefined;
let victim: ReturnType<typeof spawnCli> | undefined;
afterEach(async () => {
  if (victim && victim.child.exitCode === null && victim.child.signalCode === null) victim.child.kill('SIGKILL');
  await sim?.close();
  sim = undefined; victim = undefined;
});

describe('SIGTERM during an endless paging chain', () => {
  for (const c of CASES) {
    it(`${c.name}: exits ${EXIT.INTERRUPTED} within 5 s, run interrupted`, async () => {
      const spec = (await loadConnectors()).find((s) => s.name === c.provider)!;
      const block = c.scenario();
      sim = await spec.simulator!.start(block, { faults: [{ route: c.route, kind: 'next', next: '{self:n}', delayMs: 20 }] });
      const dir = path.resolve('test/.tmp', `sigterm-${process.pid}-${c.provider}-${c.route.replace(/\W/g, '')}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const dbFile = path.join(dir, 'nhi-census.db');
      const configFile = path.join(dir, 'nhi-census.yaml');
      fs.writeFileSync(configFile, YAML.stringify({ database: dbFile, providers: { [c.provider]: { ...spec.simulator!.configFor(sim, block), ...(c.config ?? {}) } } }));

      victim = spawnCli(['crawl', '-c', configFile, '--log-format', 'json'], spec.simulator!.envFor?.(sim) ?? {});
      const paged = () => sim!.log.filter((e) => e.route === c.route || e.route === `batch:${c.route}`).length;
      await until(() => paged() >= 8 || victim!.child.exitCode !== null, 'the paging chain to be running', 60_000);
      expect(victim.child.exitCode, 'the crawl is still paging').toBeNull();

      const sent = Date.now();
      victim.child.kill('SIGTERM');
      const res = await Promise.race([victim.done, new Promise<CliResult | 'still running'>((r) => setTimeout(() => r('still running'), 5000))]);
      const tookMs = Date.now() - sent;
      expect(res, `still running ${tookMs} ms after SIGTERM`).not.toBe('still running');
      expect((res as CliResult).code, (res as CliResult).stderr.slice(-2000)).toBe(EXIT.INTERRUPTED);
      expect(tookMs).toBeLessThan(5000);
      const db = new Database(dbFile, { readonly: true });
      try {
        expect(db.prepare('SELECT status FROM runs ORDER BY id DESC LIMIT 1').get()).toEqual({ status: 'interrupted' });
        expect(db.prepare("SELECT count(*) n FROM change_log WHERE change = 'removed'").get()).toEqual({ n: 0 });
      } finally { db.close(); }
    }, 90_000);
  }
});
