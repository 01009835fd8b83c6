// Benchmark (not a test): a Slack workspace of 50,000 users and 1,000 apps with bots, crawled with the real
// WebClient through the real engine against the simulator in a child process (bench/_lib/child-sim.ts), so CPU
// time and peak RSS are the crawler's own. Reports API calls against the minimum number of pages, wall time against
// the tier-limit floor, crawler CPU per call, then an incremental crawl after 1% of users changed and 1% more apps
// were installed (incremental ÷ full requests).
//   node --import tsx bench/slack-scale.ts [--users 50000] [--apps 1000] [--window 100] [--quick]
// Tier limits are scaled for the bench: Slack's per-minute floors are served and paced per 100 ms (x600),
// so the floor is measurable in seconds; the engine paces by the same (scaled) budgets the simulator enforces.
// SLACK_BENCH_PAGE=200 crawls at Slack's advised page size instead of its maximum (1,000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromObject } from '../src/config/config.ts';
import { runCrawl, type CrawlSummary } from '../src/crawl/engine.ts';
import { loadConnectors } from '../src/crawl/load-connectors.ts';
import { openDb } from '../src/graph/db.ts';
import { createLogger } from '../src/util/log.ts';
import { buildSlackScenario } from '../scenarios/demo/slack.ts';
import type { SlackScenario } from '../connectors/slack/simulator/scenario.ts';
import { METHOD_TIERS, TIER_FLOOR, type Tier } from '../connectors/slack/rates.ts';
import { forkChildSim, isChildSim, serveChildSim, type SimStats } from './_lib/child-sim.ts';
import { figure, meter, msPerCall } from './_lib/figures.ts';

const { values } = parseArgs({ options: {
  users: { type: 'string' }, apps: { type: 'string' }, window: { type: 'string', default: '100' }, quick: { type: 'boolean', default: false },
} });
const USERS = Number(values.users ?? (values.quick ? 10_000 : 50_000));
const APPS = Number(values.apps ?? (values.quick ? 200 : 1_000));
const SCALE_WINDOW_MS = Number(values.window); // Slack's per-minute tier budgets, per 100 ms by default
const PAGE = Number(process.env.SLACK_BENCH_PAGE ?? 1000); // the provider's default (Slack's maximum)
const LOG_PAGE = 100;
const tiers = Object.fromEntries(([1, 2, 3, 4] as Tier[]).map((t) => [String(t), { limit: TIER_FLOOR[t].calls, windowMs: SCALE_WINDOW_MS }]));

interface Info { users: number; logs: number; min: Record<string, number>; absMin: Record<string, number> }

if (isChildSim()) {
  const scenario: SlackScenario = buildSlackScenario({ scale: { users: USERS, apps: APPS } });
  scenario.tiers = tiers;
  const ws = scenario.workspaces[0]!;
  // The minimum: one call per page at the configured page size (and at Slack's maximum limit of 1000).
  const bots = ws.users.filter((u) => u.is_bot && u.profile?.bot_id && !u.profile.api_app_id && !u.deleted).length;
  const min: Record<string, number> = {
    'team.info': 1,
    'users.list': Math.ceil(ws.users.length / PAGE),
    'team.integrationLogs': Math.ceil(ws.integrationLogs.length / LOG_PAGE),
    'bots.info': bots,
    // one name lookup per channel the integration log gives as an id (incoming webhooks' destinations)
    'conversations.info': new Set(ws.integrationLogs.map((l) => (l as { channel?: string }).channel).filter((c): c is string => !!c && /^[CG][A-Z0-9]+$/.test(c))).size,
    // Grid-only methods: a standalone workspace does not have them (not_applicable, not asked)
    ...(scenario.enterprise ? { 'admin.apps.approved.list': 1, 'admin.apps.restricted.list': 1, 'admin.apps.requests.list': 1, 'admin.workflows.search': 1 } : {}),
  };
  const absMin = { ...min, 'users.list': Math.ceil(ws.users.length / 1000), 'team.integrationLogs': Math.ceil(ws.integrationLogs.length / 1000) };
  await serveChildSim<SlackScenario>('slack', scenario, { info: { users: ws.users.length, logs: ws.integrationLogs.length, min, absMin } satisfies Info, ops: {
    // 1% of users change their profile; 1% more apps are installed (newest first in the integration log)
    change: (s) => {
      const w = s.workspaces[0]!;
      const n = Math.max(1, Math.round(w.users.length / 100));
      w.users.slice(0, n).forEach((u) => { u.real_name = `${u.real_name ?? u.name} (changed)`; });
      const added = Math.max(1, Math.round(APPS / 100));
      const now = String(Math.floor(Date.now() / 1000));
      w.integrationLogs.unshift(...Array.from({ length: added }, (_, i) => ({ app_id: `A9${String(i).padStart(8, '0')}`, app_type: `New App ${i}`,
        user_id: w.users[0]!.id, user_name: w.users[0]!.name, date: now, change_type: 'added', scope: 'chat:write' })));
      return { users: n, apps: added };
    },
  } });
} else {
  await bench();
}

async function bench(): Promise<void> {
  const sim = await forkChildSim<Info>();
  const specs = await loadConnectors();
  const p = configFromObject({ providers: { slack: { ...sim.config, pageSize: PAGE, logPageSize: LOG_PAGE,
    tiers: Object.fromEntries(Object.entries(tiers).map(([t, r]) => [t, { calls: r.limit, perMs: r.windowMs }])) } } }, specs, '(bench)').providers.get('slack')!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-slack-bench-'));
  const db = openDb(path.join(dir, 'bench.db'));
  const { min, absMin } = sim.info;
  console.log(`scenario: ${sim.info.users} users.list members, ${sim.info.logs} integration log entries; simulator in a child process`);
  let mark = (await sim.stats()).length;
  const crawl = async (mode: 'full' | 'incremental'): Promise<{ summary: CrawlSummary; cpuS: number; wallS: number; served: SimStats }> => {
    const m = meter();
    const summary = await runCrawl({ db, log: createLogger({ level: 'warn', write: () => {} }), mode, env: sim.env, maxRateWaitMs: 120_000,
      providers: [{ spec: p.spec, config: p.config, concurrency: 8 }] });
    const { cpuS, wallS } = m.read();
    const served = await sim.stats(mark);
    mark = served.length;
    return { summary, cpuS, wallS, served };
  };
  const full = await crawl('full');
  const made = full.served.byRoute;
  // Floor: each method's bucket runs in parallel; a method needs (calls - 1) spacings of its tier.
  const floorMs = Math.max(...Object.entries(min).map(([m, n]) => Math.max(0, n - 1) * (SCALE_WINDOW_MS / TIER_FLOOR[METHOD_TIERS[m]!].calls)));
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const calls = full.summary.totals.apiCalls;
  console.log(`status: ${full.summary.status}; objects ${full.summary.totals.objects}; nodes ${(db.prepare('SELECT count(*) n FROM nodes').get() as { n: number }).n}`);
  for (const m of Object.keys(min)) console.log(`  ${m.padEnd(28)} calls ${String(made[m] ?? 0).padStart(5)}  minimum ${String(min[m]).padStart(5)}  (at limit=1000: ${absMin[m]})`);
  console.log(`API calls: ${calls} (engine), ${full.served.requests} (simulator); minimum ${sum(min)} at page size ${PAGE}, ${sum(absMin)} at 1000; retries ${full.summary.totals.retries}; 429s ${full.served.byStatus['429'] ?? 0}`);
  console.log(`wall: ${full.wallS.toFixed(2)} s; crawler CPU ${full.cpuS.toFixed(2)} s = ${msPerCall(full.cpuS, calls).toFixed(2)} ms per call; tier-limit floor ${(floorMs / 1000).toFixed(2)} s `
    + `(users.list, tier 2 scaled x${60_000 / SCALE_WINDOW_MS}); rate waits ${(full.summary.totals.rateWaitMs / 1000).toFixed(2)} s`);
  console.log(`at Slack's real tier 2 (20/min) the users.list floor alone is ${((min['users.list']! - 1) * 3 / 60).toFixed(1)} min at page size ${PAGE}, ${((absMin['users.list']! - 1) * 3 / 60).toFixed(1)} min at 1000`);
  const changed = await sim.ask<{ users: number; apps: number }>('change');
  const inc = await crawl('incremental');
  console.log(`incremental crawl after ${changed.users} users (1%) changed and ${changed.apps} apps were installed: status ${inc.summary.status}, ${inc.served.requests} requests `
    + `${JSON.stringify(inc.served.byRoute)}, wall ${inc.wallS.toFixed(2)} s, crawler CPU ${inc.cpuS.toFixed(2)} s; `
    + `incremental ÷ full ${inc.served.requests} / ${full.served.requests} = ${((100 * inc.served.requests) / full.served.requests).toFixed(1)}%`);
  db.close();
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`crawler peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  const B = 'slack-scale';
  // (no per-call goal: a call here carries up to 1,000 users, so CPU per call is mostly mapping and writing them)
  figure({ bench: B, figure: 'Slack crawler CPU per API call, full crawl', value: msPerCall(full.cpuS, calls), unit: 'ms',
    note: `${((full.cpuS * 1e6) / Math.max(1, full.summary.totals.objects)).toFixed(0)} µs per object; wall ${full.wallS.toFixed(1)} s, CPU ${full.cpuS.toFixed(1)} s, ${calls} calls of up to ${PAGE} users` });
  figure({ bench: B, figure: 'Slack API calls ÷ minimum', value: calls / sum(min), unit: '×', goal: ['<=', 1] });
  figure({ bench: B, figure: 'Slack wall ÷ tier floor (tiers ×600)', value: full.wallS / Math.max(0.001, floorMs / 1000), unit: '×', note: `${full.wallS.toFixed(1)} s vs ${(floorMs / 1000).toFixed(2)} s` });
  figure({ bench: B, figure: 'Slack 429s', value: full.served.byStatus['429'] ?? 0, unit: '', goal: ['<=', 0] });
  figure({ bench: B, figure: 'Slack incremental ÷ full, requests sent (1% changed)', value: (100 * inc.served.requests) / full.served.requests, unit: '%', goal: ['<=', 10],
    note: `${inc.served.requests} / ${full.served.requests}` });
}
