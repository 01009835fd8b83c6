// Benchmark (not a test): the Azure provider against a simulated tenant of 5,000 app registrations,
// 20,000 service principals and 50,000 users, the simulator in a child process (bench/_lib/child-sim.ts) so CPU
// time and peak RSS are the crawler's own — API calls with and without $batch, wall time against the throttling
// floor, crawler CPU per request, the calls of a delta crawl after 1% of objects changed, and the 110,000-service-
// principal tenant projected at Graph's real limits from the resource units measured per object.
// Run: node --import tsx bench/azure-scale.ts [--apps 5000 --sps 20000 --users 50000] [--quick]   (about 2 minutes)
//
// Throttling is simulated at 10x speed: Graph's identity budget for a large tenant is 8,000 resource units
// per 10 s; the simulator grants 8,000 RU per 1 s and the crawler declares 10x Graph's documented rates.
// Wall times are therefore ~10x shorter than against Graph; the floor is reported on the same scale.
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromObject } from '../src/config/config.ts';
import { runCrawl, type CrawlSummary } from '../src/crawl/engine.ts';
import { loadConnectors } from '../src/crawl/load-connectors.ts';
import { openDb } from '../src/graph/db.ts';
import { createLogger } from '../src/util/log.ts';
import { buildAzureScenario } from '../scenarios/demo/azure.ts';
import type { AzureScenario } from '../connectors/azure/simulator/scenario.ts';
import { graphRequestCost } from '../connectors/azure/graph-cost.ts';
import { forkChildSim, isChildSim, serveChildSim, type ChildSim } from './_lib/child-sim.ts';
import { figure, meter, msPerCall } from './_lib/figures.ts';

const { values } = parseArgs({ options: {
  apps: { type: 'string' }, sps: { type: 'string' }, users: { type: 'string' }, quick: { type: 'boolean', default: false },
  concurrency: { type: 'string', default: process.env.CONCURRENCY ?? '100' }, share: { type: 'string', default: process.env.NO_BATCH_SHARE ?? '0.1' },
} });
const SPEED = 10;
const RU_PER_WINDOW = 8000;
const q = values.quick;
const scale = { applications: Number(values.apps ?? process.env.APPS ?? (q ? 1000 : 5000)), servicePrincipals: Number(values.sps ?? process.env.SPS ?? (q ? 4000 : 20000)),
  users: Number(values.users ?? process.env.USERS ?? (q ? 10000 : 50000)) };
const concurrency = Number(values.concurrency);
/** The tenant the issue sizes: 110,000 service principals (applications and users scaled alike). */
const TARGET_SPS = 110_000;

/** What the simulator served since `from`: HTTP requests, $batch sub-requests, 429s, and the RU Graph charges, by kind of object. */
interface AzStats { length: number; outer: number; batches: number; sub: number; throttled: number; ru: number; ruBy: Record<'sp' | 'app' | 'user' | 'other', number> }
const kindOf = (route: string): keyof AzStats['ruBy'] => {
  const r = route.replace(/^batch:/, '');
  if (/^(sp-|servicePrincipals-|sign-in-activity)/.test(r)) return 'sp';
  if (/^(app-|applications-)/.test(r)) return 'app';
  if (/^(user-|users-|deleted-user)/.test(r)) return 'user';
  return 'other';
};

if (isChildSim()) {
  const scenario: AzureScenario = { ...buildAzureScenario(scale), throttle: { resourceUnits: RU_PER_WINDOW, windowMs: 10_000 / SPEED }, deltaPageSize: 200 };
  await serveChildSim<AzureScenario>('azure', scenario, { ops: {
    azstats: (_s, sim, m) => {
      const calls = sim.log.slice(Number(m.from ?? 0)).filter((e) => e.route !== 'token' && e.route !== 'openid-configuration');
      const ruBy = { sp: 0, app: 0, user: 0, other: 0 };
      let ru = 0;
      // what Graph charges (its documented identity-and-access costs, as the simulator meters them)
      for (const e of calls) {
        if (e.route === 'batch' || e.route.startsWith('arm-') || e.status === 429) continue;
        const c = graphRequestCost(e.method, `${e.path}${e.query}`);
        ru += c;
        ruBy[kindOf(e.route)] += c;
      }
      const outer = calls.filter((e) => !e.route.startsWith('batch:'));
      return { length: sim.log.length, outer: outer.length, batches: outer.filter((e) => e.route === 'batch').length, sub: calls.length - outer.length,
        throttled: calls.filter((e) => e.status === 429).length, ru, ruBy } satisfies AzStats;
    },
    // 1% of objects change: apps renamed, SPs disabled, users renamed
    change: (s) => {
      const pct = (n: number) => Math.max(1, Math.round(n / 100));
      s.applications.slice(0, pct(s.applications.length)).forEach((a) => { a.displayName = `${a.displayName}-renamed`; });
      s.servicePrincipals.slice(50, 50 + pct(s.servicePrincipals.length)).forEach((p) => { p.accountEnabled = !p.accountEnabled; });
      s.users.slice(100, 100 + pct(s.users.length)).forEach((u) => { u.displayName = `${u.displayName} (renamed)`; });
      return null;
    },
  } });
} else {
  await bench();
}

interface Result { label: string; wallS: number; cpuS: number; stats: AzStats; summary: CrawlSummary }

async function crawl(sim: ChildSim, label: string, dbFile: string, opts: { batch: boolean; mode: 'full' | 'incremental'; fresh: boolean }): Promise<Result> {
  const specs = await loadConnectors();
  if (opts.fresh) for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
  const db = openDb(dbFile);
  const log = createLogger({ level: 'warn', write: () => {} });
  const block = { ...sim.config, batch: opts.batch, graphRequestsPer10s: RU_PER_WINDOW * SPEED, concurrency };
  const p = configFromObject({ providers: { azure: block } }, specs, '(bench)').providers.get('azure')!;
  const from = (await sim.ask<AzStats>('azstats', { from: 0 })).length;
  const signal = new AbortController().signal;
  setMaxListeners(10_000, signal); // every listing waiting on the rate budget listens for abort
  const m = meter();
  const summary = await runCrawl({ db, log, mode: opts.mode, env: sim.env, signal, providers: [{ spec: p.spec, config: p.config, concurrency }], maxRateWaitMs: 120_000 });
  const { cpuS, wallS } = m.read();
  db.close();
  const stats = await sim.ask<AzStats>('azstats', { from });
  const floorS = (stats.ru / RU_PER_WINDOW) * (10 / SPEED);
  console.log(`${label.padEnd(34)} status=${summary.status} wall=${wallS.toFixed(1)}s cpu=${cpuS.toFixed(1)}s floor=${floorS.toFixed(1)}s `
    + `http_requests=${stats.outer} batched_subrequests=${stats.sub} graph_RU=${stats.ru} 429s=${stats.throttled} retries=${summary.totals.retries} objects=${summary.totals.objects} `
    + `cpu_per_request=${msPerCall(cpuS, stats.outer).toFixed(2)}ms cpu_per_subrequest=${msPerCall(cpuS, stats.outer - stats.batches + stats.sub).toFixed(2)}ms`);
  if (process.env.VERBOSE) for (const x of summary.resources) console.log('   ', x.resourceType.padEnd(40), x.status, 'listings', x.listings, 'calls', x.apiCalls, 'ms', x.durationMs);
  return { label, wallS, cpuS, stats, summary };
}

async function bench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_DB_DIR ?? os.tmpdir(), 'nhi-azure-bench-'));
  console.log(`tenant: ${scale.applications} applications, ${scale.servicePrincipals} service principals, ${scale.users} users; `
    + `throttle ${RU_PER_WINDOW} RU per ${10 / SPEED} s (Graph: per 10 s, ${SPEED}x speed); concurrency ${concurrency}; simulator in a child process`);
  let sim = await forkChildSim();
  const full = await crawl(sim, 'full crawl, $batch', path.join(dir, 'azure.db'), { batch: true, mode: 'incremental', fresh: true });
  await sim.ask('change');
  const delta = await crawl(sim, 'delta crawl after 1% changed', path.join(dir, 'azure.db'), { batch: true, mode: 'incremental', fresh: false });
  await sim.close();
  // Without $batch every sub-request is its own HTTP request (same listings, same pages): the count is exact from the
  // batched run. The no-$batch crawl itself is measured on a --share (default 10%) sample of the tenant, as at full
  // size it needs ~4 minutes of loopback HTTPS on a 2-core machine.
  const share = Number(values.share);
  const sample = { apps: Math.round(scale.applications * share), sps: Math.round(scale.servicePrincipals * share), users: Math.round(scale.users * share) };
  sim = await forkChildSim(undefined, ['--apps', String(sample.apps), '--sps', String(sample.sps), '--users', String(sample.users)]);
  const sampleBatch = await crawl(sim, `sample ${share * 100}%: full crawl, $batch`, path.join(dir, 'sample.db'), { batch: true, mode: 'full', fresh: true });
  const noBatch = await crawl(sim, `sample ${share * 100}%: full crawl, no $batch`, path.join(dir, 'nobatch.db'), { batch: false, mode: 'full', fresh: true });
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const s = full.stats;
  const unbatched = s.outer - s.batches + s.sub;
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`\nsummary: full crawl ${s.outer} HTTP requests with $batch vs ${unbatched} without (${(unbatched / s.outer).toFixed(1)}x; sample measured: `
    + `${sampleBatch.stats.outer} vs ${noBatch.stats.outer}, wall ${sampleBatch.wallS.toFixed(1)} s vs ${noBatch.wallS.toFixed(1)} s); `
    + `delta crawl ${delta.stats.outer} requests (${delta.stats.sub} inside $batch) for ${delta.summary.totals.objects} changed objects; crawler peak RSS ${rssMb} MB`);
  // Projection: RU per object as measured (per service principal, application, user; the rest fixed), the tenant's mix
  // scaled to 110,000 service principals, at Graph's real budget (8,000 RU per 10 s); wall at the measured wall ÷ floor.
  const factor = TARGET_SPS / scale.servicePrincipals;
  const ruTarget = s.ruBy.other + (s.ruBy.sp + s.ruBy.app + s.ruBy.user) * factor;
  const floorMin = (ruTarget / RU_PER_WINDOW) * 10 / 60;
  const floorS = (s.ru / RU_PER_WINDOW) * (10 / SPEED);
  // At Graph's real budget the crawl is paced, not CPU-bound: it takes the floor, or what the measured crawl took (at 10x
  // speed, CPU and all) times the object factor, whichever is longer.
  const workMin = (full.wallS * factor) / 60;
  const projectedMin = Math.max(floorMin, workMin);
  console.log(`projection, ${TARGET_SPS} service principals (${Math.round(scale.applications * factor)} applications, ${Math.round(scale.users * factor)} users): `
    + `RU per service principal ${(s.ruBy.sp / scale.servicePrincipals).toFixed(2)}, per application ${(s.ruBy.app / scale.applications).toFixed(2)}, per user ${(s.ruBy.user / scale.users).toFixed(3)}, `
    + `fixed ${s.ruBy.other} ⇒ ${Math.round(ruTarget)} RU = ${floorMin.toFixed(1)} min floor at 8,000 RU / 10 s; the measured crawl's wall × ${factor.toFixed(1)} = ${workMin.toFixed(1)} min; `
    + `429s in the measured crawl: ${s.throttled}`);
  const B = 'azure-scale';
  figure({ bench: B, figure: 'Azure crawler CPU per HTTP request ($batch), full crawl', value: msPerCall(full.cpuS, s.outer), unit: 'ms',
    note: `${msPerCall(full.cpuS, unbatched).toFixed(2)} ms per sub-request; wall ${full.wallS.toFixed(1)} s, CPU ${full.cpuS.toFixed(1)} s` });
  figure({ bench: B, figure: 'Azure wall ÷ throttling floor (×10 speed)', value: full.wallS / floorS, unit: '×', note: `${full.wallS.toFixed(1)} s vs ${floorS.toFixed(1)} s` });
  figure({ bench: B, figure: 'Azure 429s (full + delta crawl)', value: s.throttled + delta.stats.throttled, unit: '', goal: ['<=', 0] });
  figure({ bench: B, figure: 'Azure incremental ÷ full, requests sent (1% changed)', value: (100 * delta.stats.outer) / s.outer, unit: '%', goal: ['<=', 10], note: `${delta.stats.outer} / ${s.outer}` });
  figure({ bench: B, figure: `Entra ${TARGET_SPS / 1000}k service principals at Graph's limits, projected`, value: projectedMin, unit: 'min', goal: ['<=', 30],
    note: `max(RU floor ${floorMin.toFixed(1)} min, measured wall × ${factor.toFixed(1)} = ${workMin.toFixed(1)} min); ${Math.round(ruTarget)} RU` });
  figure({ bench: B, figure: 'Azure HTTP requests without ÷ with $batch', value: unbatched / s.outer, unit: '×' });
}
