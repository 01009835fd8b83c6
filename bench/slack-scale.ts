// Benchmark (not a test): a Slack workspace of 50,000 users and 1,000 apps with bots, crawled with the
// real WebClient through the real engine against the simulator. Reports API calls against the minimum
// number of pages, wall time against the tier-limit floor, and memory.
//   node --import tsx bench/slack-scale.ts [users] [apps] [tier window ms, default 100]
// Tier limits are scaled for the bench: Slack's per-minute floors are served and paced per 100 ms (x600),
// so the floor is measurable in seconds; the engine paces by the same (scaled) budgets the simulator enforces.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../connectors/slack/index.ts';
import { configFromObject } from '../src/config/config.ts';
import { runCrawl } from '../src/crawl/engine.ts';
import { allProviders } from '../src/crawl/provider.ts';
import { openDb } from '../src/graph/db.ts';
import { createLogger } from '../src/util/log.ts';
import { buildSlackScenario } from '../scenarios/demo/slack.ts';
import { startSlackSimulator } from '../connectors/slack/simulator/index.ts';
import { SIM_SLACK_TOKEN } from '../connectors/slack/simulator/routes.ts';
import { METHOD_TIERS, TIER_FLOOR, type Tier } from '../connectors/slack/rates.ts';

const USERS = Number(process.argv[2] ?? 50_000);
const APPS = Number(process.argv[3] ?? 1_000);
const SCALE_WINDOW_MS = Number(process.argv[4] ?? 100); // Slack's per-minute tier budgets, per 100 ms by default
const PAGE = Number(process.env.SLACK_BENCH_PAGE ?? 1000); // the provider's default (Slack's maximum); SLACK_BENCH_PAGE=200 for Slack's advice
const LOG_PAGE = 100;

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const tiers = Object.fromEntries(([1, 2, 3, 4] as Tier[]).map((t) => [String(t), { limit: TIER_FLOOR[t].calls, windowMs: SCALE_WINDOW_MS }]));

const t0 = Date.now();
const scenario = buildSlackScenario({ scale: { users: USERS, apps: APPS } });
scenario.tiers = tiers;
const ws = scenario.workspaces[0]!;
const sim = await startSlackSimulator(scenario);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-slack-bench-'));
const db = openDb(path.join(dir, 'bench.db'));
const spec = allProviders().find((p) => p.name === 'slack')!;
const config = configFromObject({ providers: { slack: {
  slackApiUrl: `${sim.url}/api/`, teamId: ws.team.id, tokenEnv: 'NHI_SIM_SLACK_TOKEN', pageSize: PAGE, logPageSize: LOG_PAGE,
  tiers: Object.fromEntries(Object.entries(tiers).map(([t, r]) => [t, { calls: r.limit, perMs: r.windowMs }])),
} } }, [spec], '(bench)').providers.get('slack')!;
console.log(`scenario: ${ws.users.length} users.list members, ${ws.integrationLogs.length} integration log entries (built in ${Date.now() - t0} ms)`);

const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 25);
const summary = await runCrawl({ db, log: createLogger({ level: 'warn' }), env: { NHI_SIM_SLACK_TOKEN: SIM_SLACK_TOKEN },
  providers: [{ spec, config: config.config, concurrency: 8 }] });
clearInterval(sampler);
rssPeak = Math.max(rssPeak, process.memoryUsage().rss);

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
const made: Record<string, number> = {};
for (const e of sim.log) made[e.route] = (made[e.route] ?? 0) + 1;
// Floor: each method's bucket runs in parallel; a method needs (calls - 1) spacings of its tier.
const floorMs = Math.max(...Object.entries(min).map(([m, n]) => {
  const t = METHOD_TIERS[m]!;
  return Math.max(0, n - 1) * (SCALE_WINDOW_MS / TIER_FLOOR[t].calls);
}));
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

console.log(`status: ${summary.status}; objects ${summary.totals.objects}; nodes ${(db.prepare('SELECT count(*) n FROM nodes').get() as { n: number }).n}`);
for (const m of Object.keys(min)) console.log(`  ${m.padEnd(28)} calls ${String(made[m] ?? 0).padStart(5)}  minimum ${String(min[m]).padStart(5)}  (at limit=1000: ${absMin[m as keyof typeof absMin]})`);
console.log(`API calls: ${summary.totals.apiCalls} (engine), ${sim.log.length} (simulator); minimum ${sum(min)} at page size ${PAGE}, ${sum(absMin)} at 1000; retries ${summary.totals.retries}; 429s ${sim.log.filter((e) => e.status === 429).length}`);
console.log(`wall: ${(summary.durationMs / 1000).toFixed(2)} s; tier-limit floor ${(floorMs / 1000).toFixed(2)} s (users.list, tier 2 scaled x${60_000 / SCALE_WINDOW_MS}); rate waits ${(summary.totals.rateWaitMs / 1000).toFixed(2)} s`);
console.log(`memory: RSS ${mb(rssBefore)} before the crawl (scenario + simulator in-process), peak ${mb(rssPeak)} (+${mb(rssPeak - rssBefore)})`);
console.log(`at Slack's real tier 2 (20/min) the users.list floor alone is ${((min['users.list']! - 1) * 3 / 60).toFixed(1)} min at page size ${PAGE}, ${((absMin['users.list'] - 1) * 3 / 60).toFixed(1)} min at 1000`);
db.close();
await sim.close();
fs.rmSync(dir, { recursive: true, force: true });
