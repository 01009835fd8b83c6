// Benchmark (not a test): the Google provider against a simulated domain of 20,000 users (3 OAuth grants
// each on average) and 200 Cloud projects x 20 service accounts — API calls against the minimum the data
// needs, wall time against the quota floor, the calls of an incremental crawl after 1% of users changed
// their grants, and the crawler's peak RSS. The simulator runs in a child process (the other core), so the
// crawler's RSS and CPU are its own.
// Run: node --import tsx bench/google-scale.ts [--users 20000 --grants 3 --projects 200 --accounts 20 --speed 20 --concurrency 32] [--quick]
// (BENCH_DB_DIR=/dev/shm keeps the database off disk). Wall time is CPU-bound on the crawler's single
// thread (SQLite writes per page dominate); crawler CPU seconds are printed beside it, as they say more
// than wall time on a shared machine.
//
// Quotas are simulated at SPEED x Google's defaults (Directory 2,400/min, Reports 2,400/min, IAM 6,000/min,
// Resource Manager 600/min): the simulator grants SPEED x each per minute and the crawler declares the same,
// so wall times are ~SPEED x shorter than against Google; the floor is reported on both scales.
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCrawl, type CrawlSummary } from '../src/crawl/engine.ts';
import { openDb } from '../src/graph/db.ts';
import { createLogger } from '../src/util/log.ts';
import { google, SIM_TOKEN_ENV } from '../connectors/google/index.ts';
import { googleConfigSchema } from '../connectors/google/config.ts';
import { auditEntry, type GoogleScenario, type SimToken } from '../connectors/google/simulator/scenario.ts';
import { buildGoogleScenario } from '../scenarios/demo/google.ts';
import { daySlices } from '../connectors/google/token-usage.ts';
import { forkChildSim, isChildSim, serveChildSim } from './_lib/child-sim.ts';
import { figure, msPerCall } from './_lib/figures.ts';

const { values } = parseArgs({ options: {
  users: { type: 'string' }, grants: { type: 'string', default: '3' }, projects: { type: 'string' },
  accounts: { type: 'string', default: '20' }, speed: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '32' },
  quick: { type: 'boolean', default: false },
} });
const SPEED = Number(values.speed);
const scale = { users: Number(values.users ?? (values.quick ? 4000 : 20000)), grantsPerUser: Number(values.grants), projects: Number(values.projects ?? (values.quick ? 40 : 200)),
  serviceAccountsPerProject: Number(values.accounts) };
const QUOTA = { directory: 2400, reports: 2400, iam: 6000, resourceManager: 600 };

const QUOTA_ANSWER = (k: string) => (k === 'directory' || k === 'reports' ? 403 : 429);

if (isChildSim()) await serve();
else await bench();

/** Child process: builds the scenario, serves it, applies the 1% change and reports the request log on request. */
async function serve(): Promise<void> {
  const scenario: GoogleScenario = buildGoogleScenario(scale);
  scenario.quotas = Object.fromEntries(Object.entries(QUOTA).map(([k, v]) => [k, { limit: v * SPEED, windowMs: 60_000, answer: QUOTA_ANSWER(k) }]));
  const count = (o: Record<string, unknown[]> | undefined) => Object.values(o ?? {}).flat().length;
  await serveChildSim<GoogleScenario>('google', scenario, {
    info: { customer: scenario.customer, users: scenario.users.length, grants: count(scenario.tokens),
      projects: (scenario.projects ?? []).map((p) => ({ projectId: p.projectId, accounts: scenario.serviceAccounts?.[p.projectId]?.length ?? 0 })),
      accounts: count(scenario.serviceAccounts), keys: count(scenario.keys), events: eventsInLookback(scenario) } satisfies Ready['scenario'],
    ops: {
      change: (s) => changeOnePercent(s),
      log: (_s, sim, m) => {
        const byApi: Record<string, number> = {};
        let tokens = 0;
        for (const e of sim.log.slice(Number(m.from ?? 0))) {
          if (e.bucket && e.status !== 403 && e.status !== 429) byApi[e.bucket] = (byApi[e.bucket] ?? 0) + 1;
          if (e.route === 'tokens' && e.status === 200) tokens++;
        }
        return { byApi, tokens, length: sim.log.length };
      },
    },
  });
}

/**
 * Token events a full crawl reads: authorize / revoke over 180 days (grant dates), activity over 30 (last use)
 * — the defaults; activity is read one day per query, so its minimum is counted per day.
 */
function eventsInLookback(s: GoogleScenario): { authorize: number; revoke: number; activity: number; activityPages: number } {
  const events = (name: string) => (s.tokenEvents ?? []).filter((a) => a.events.some((e) => e.name === name)).map((a) => a.id.time ?? '');
  const since = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  const activity = events('activity');
  const activityPages = daySlices(since(30), Date.now()).reduce((sum, [start, end]) =>
    sum + Math.max(1, Math.ceil(activity.filter((t) => t >= start && (!end || t <= end)).length / 1000)), 0);
  return { authorize: events('authorize').filter((t) => t >= since(180)).length, revoke: events('revoke').filter((t) => t >= since(180)).length,
    activity: activity.filter((t) => t >= since(30)).length, activityPages };
}

/** 1% of users change their grants: half authorize a new app, half revoke one — with their audit events. */
function changeOnePercent(scenario: GoogleScenario): number {
  const changed = scenario.users.slice(0, Math.max(1, Math.round(scenario.users.length / 100)));
  const app: SimToken = { clientId: '777000111222-newtool.apps.googleusercontent.com', displayText: 'New Tool', scopes: ['openid'], nativeApp: false, anonymous: false };
  changed.forEach((u, i) => {
    const list = (scenario.tokens![u.id] ??= []);
    let name: 'authorize' | 'revoke' = 'authorize';
    if (i % 2 === 1 && list.length) { list.pop(); name = 'revoke'; } else list.push({ ...app });
    scenario.tokenEvents!.push({ id: { time: new Date().toISOString(), uniqueQualifier: `b${i}`, applicationName: 'token' },
      actor: { email: u.primaryEmail, profileId: u.id }, events: [{ type: 'auth', name, parameters: [{ name: 'client_id', value: app.clientId }] }] });
  });
  // and 1% of the Cloud side: a new key on 1% of the service accounts, a policy change in 1% of the projects (audit-logged)
  const projects = scenario.projects ?? [];
  const accounts = projects.flatMap((p) => (scenario.serviceAccounts?.[p.projectId] ?? []).map((sa) => ({ p, sa })));
  const log = (scenario.cloudAuditLog ??= []);
  accounts.filter((_, i) => i % 100 === 50).forEach(({ p, sa }, i) => {
    (scenario.keys![sa.email] ??= []).push({ name: `${sa.name}/keys/bench${String(i).padStart(36, '0')}`, keyType: 'USER_MANAGED', validAfterTime: new Date().toISOString() });
    log.push(auditEntry(p.projectId, 'google.iam.admin.v1.CreateServiceAccountKey', `projects/-/serviceAccounts/${sa.uniqueId}`));
  });
  projects.filter((_, i) => i % 100 === 7).forEach((p) => {
    ((scenario.iamPolicies ??= {})[p.projectId] ??= { bindings: [] }).bindings!.push({ role: 'roles/viewer', members: ['user:bench@partner.example'] });
    log.push(auditEntry(p.projectId, 'SetIamPolicy', `projects/${p.projectId}`));
  });
  return changed.length;
}

interface Ready { scenario: { customer: GoogleScenario['customer']; users: number; grants: number; projects: { projectId: string; accounts: number }[]; accounts: number; keys: number; events: { authorize: number; revoke: number; activity: number; activityPages: number } } }

async function bench(): Promise<void> {
  const t0 = Date.now();
  const sim = await forkChildSim<Ready['scenario']>();
  const ready = { scenario: sim.info };
  const sc = ready.scenario;
  const config = googleConfigSchema.parse({ ...sim.config,
    quotas: Object.fromEntries(Object.entries(QUOTA).map(([k, v]) => [k, v * SPEED])) });
  const env = { ...process.env, [SIM_TOKEN_ENV]: 'ya29.bench' } as NodeJS.ProcessEnv;
  const dir = path.join(process.env.BENCH_DB_DIR ?? os.tmpdir(), `nhi-google-bench-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const db = openDb(path.join(dir, 'graph.db'));
  const log = createLogger({ write: () => {} });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // every queued call waiting on a rate budget listens for abort
  let cpuMark = process.cpuUsage();
  const cpuSince = () => { const d = process.cpuUsage(cpuMark); cpuMark = process.cpuUsage(); return (d.user + d.system) / 1e6; };
  const crawl = (mode: 'full' | 'incremental') => runCrawl({ db, log, mode, env, maxRateWaitMs: 120_000, signal: abort.signal,
    providers: [{ spec: google, config, concurrency: Number(values.concurrency) }] });
  const byApi = (from: number) => sim.ask<{ byApi: Record<string, number>; tokens: number; length: number }>('log', { from });

  const minimum = {
    directory: 1 + Math.ceil(sc.users / config.pageSize.users) + 1 + sc.users, // customer, users pages, deleted users, one tokens.list per user
    iam: sc.projects.reduce((a, p) => a + Math.max(1, Math.ceil(p.accounts / config.pageSize.serviceAccounts)), 0) + sc.accounts,
    resourceManager: Math.ceil(sc.projects.length / config.pageSize.projects) + sc.projects.length,
    // grant dates and last use: the authorize and revoke events of the look-back window, and the activity events
    // one day per query (30 queries, more where a day holds over a page), read once for all users
    reports: (['authorize', 'revoke'] as const).reduce((a, k) => a + Math.max(1, Math.ceil(sc.events[k] / config.pageSize.activities)), 0) + sc.events.activityPages,
  };
  const floorMs = (calls: Record<string, number>, speed: number) =>
    Math.max(...Object.entries(calls).map(([k, n]) => (n / (QUOTA[k as keyof typeof QUOTA] * speed)) * 60_000));
  const line = (s: CrawlSummary, cpuS: number) => `status ${s.status}, ${s.totals.apiCalls} calls (${s.totals.retries} retries), ${s.totals.objects} objects, `
    + `${(s.durationMs / 1000).toFixed(1)} s wall, ${cpuS.toFixed(1)} s crawler CPU = ${msPerCall(cpuS, s.totals.apiCalls).toFixed(2)} ms per call`;

  console.log(`scenario: ${sc.users} users, ${sc.grants} grants, ${sc.projects.length} projects, ${sc.accounts} service accounts, ${sc.keys} keys, token events in the look-backs ${JSON.stringify(sc.events)}; quotas ${SPEED}x Google's; concurrency ${values.concurrency}`);
  cpuSince();
  const full = await crawl('full');
  const fullCpu = cpuSince();
  const fullCalls = await byApi(0);
  const minTotal = Object.values(minimum).reduce((a, b) => a + b, 0);
  console.log(`full crawl: ${line(full, fullCpu)}`);
  console.log(`  calls by API ${JSON.stringify(fullCalls.byApi)}; minimum ${JSON.stringify(minimum)} = ${minTotal}`);
  console.log(`  quota floor ${(floorMs(minimum, SPEED) / 1000).toFixed(1)} s at ${SPEED}x quotas (= ${(floorMs(minimum, 1) / 60_000).toFixed(1)} min at Google's defaults); wall ${(full.durationMs / 1000).toFixed(1)} s`);
  console.log(`  graph: ${JSON.stringify(db.prepare('SELECT kind, count(*) AS n FROM nodes WHERE removed_run IS NULL GROUP BY kind').all())}`);

  const changed = await sim.ask<number>('change');
  const mark = fullCalls.length;
  cpuSince();
  const inc = await crawl('incremental');
  const incCpu = cpuSince();
  const incCalls = await byApi(mark);
  console.log(`incremental crawl after ${changed} users (1%) changed grants and 1% of service accounts got a key, 1% of projects a policy change: ${line(inc, incCpu)}`);
  console.log(`  calls by API ${JSON.stringify(incCalls.byApi)}; tokens.list calls ${incCalls.tokens} (full: ${fullCalls.tokens}); Workspace calls ${(incCalls.byApi.directory ?? 0) + (incCalls.byApi.reports ?? 0)} vs ${fullCalls.byApi.directory ?? 0} in the full crawl`);
  const sent = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  console.log(`  incremental ÷ full, requests sent: ${sent(incCalls.byApi)} / ${sent(fullCalls.byApi)} = ${((100 * sent(incCalls.byApi)) / sent(fullCalls.byApi)).toFixed(1)}% (goal ≤ 10%)`);
  console.log(`crawler peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  db.close();
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const B = 'google-scale';
  figure({ bench: B, figure: 'Google crawler CPU per API call, full crawl', value: msPerCall(fullCpu, full.totals.apiCalls), unit: 'ms',
    note: `wall ${(full.durationMs / 1000).toFixed(1)} s, CPU ${fullCpu.toFixed(1)} s, ${full.totals.apiCalls} calls` });
  figure({ bench: B, figure: 'Google API calls ÷ minimum', value: sent(fullCalls.byApi) / minTotal, unit: '×', goal: ['<=', 1], note: `${sent(fullCalls.byApi)} vs ${minTotal}` });
  figure({ bench: B, figure: `Google wall ÷ quota floor (quotas ×${SPEED})`, value: full.durationMs / floorMs(minimum, SPEED), unit: '×' });
  figure({ bench: B, figure: 'Google incremental ÷ full, requests sent (1% changed)', value: (100 * sent(incCalls.byApi)) / sent(fullCalls.byApi), unit: '%', goal: ['<=', 10],
    note: `${sent(incCalls.byApi)} / ${sent(fullCalls.byApi)}` });
}
