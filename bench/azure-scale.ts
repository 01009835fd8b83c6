// Benchmark (not a test): the Azure provider against a simulated tenant of 5,000 app registrations,
// 20,000 service principals and 50,000 users — API calls with and without $batch, wall time against the
// throttling floor, calls of a delta crawl after 1% of objects changed, peak RSS.
// Run: node --import tsx bench/azure-scale.ts   (about 2 minutes)
//
// Throttling is simulated at 10x speed: Graph's identity budget for a large tenant is 8,000 resource units
// per 10 s; the simulator grants 8,000 RU per 1 s and the crawler declares 10x Graph's documented rates.
// Wall times are therefore ~10x shorter than against Graph; the floor is reported on the same scale.
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { configFromObject } from '../src/config/config.ts';
import { runCrawl, type CrawlSummary } from '../src/crawl/engine.ts';
import { loadConnectors } from '../src/crawl/load-connectors.ts';
import { openDb } from '../src/graph/db.ts';
import { createLogger } from '../src/util/log.ts';
import { buildAzureScenario } from '../scenarios/demo/azure.ts';
import type { AzureScenario } from '../connectors/azure/simulator/scenario.ts';
import { graphRequestCost } from '../connectors/azure/graph-cost.ts';

const SPEED = 10;
const RU_PER_WINDOW = 8000;
const scale = { applications: Number(process.env.APPS ?? 5000), servicePrincipals: Number(process.env.SPS ?? 20000), users: Number(process.env.USERS ?? 50000) };
const concurrency = Number(process.env.CONCURRENCY ?? 100);

const specs = await loadConnectors();
const spec = specs.find((s) => s.name === 'azure')!;
let scenario: AzureScenario = { ...buildAzureScenario(scale), throttle: { resourceUnits: RU_PER_WINDOW, windowMs: 10_000 / SPEED }, deltaPageSize: 200 };
let sim = await spec.simulator!.start(scenario, {});
const env = spec.simulator!.envFor!(sim);
const dir = path.resolve('bench/out');
fs.mkdirSync(dir, { recursive: true });

interface Result { label: string; wallMs: number; outer: number; batches: number; sub: number; throttled: number; ru: number; summary: CrawlSummary }

async function crawl(label: string, dbName: string, opts: { batch: boolean; mode: 'full' | 'incremental'; fresh: boolean }): Promise<Result> {
  const dbFile = path.join(dir, dbName);
  if (opts.fresh) for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
  const db = openDb(dbFile);
  const log = createLogger({ level: 'warn', write: () => {} });
  const block = { ...spec.simulator!.configFor(sim, scenario), batch: opts.batch, graphRequestsPer10s: RU_PER_WINDOW * SPEED, concurrency };
  const config = configFromObject({ providers: { azure: block } }, specs, '(bench)');
  const p = config.providers.get('azure')!;
  const mark = sim.log.length;
  const signal = new AbortController().signal;
  setMaxListeners(10_000, signal); // every listing waiting on the rate budget listens for abort
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const summary = await runCrawl({ db, log, mode: opts.mode, env, signal, providers: [{ spec: p.spec, config: p.config, concurrency }], maxRateWaitMs: 120_000 });
  const wallMs = Date.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  db.close();
  const calls = sim.log.slice(mark).filter((e) => e.route !== 'token' && e.route !== 'openid-configuration');
  const outer = calls.filter((e) => !e.route.startsWith('batch:'));
  const sub = calls.filter((e) => e.route.startsWith('batch:'));
  // what Graph charges (its documented identity-and-access costs, as the simulator meters them)
  const ru = calls.filter((e) => e.route !== 'batch' && !e.route.startsWith('arm-') && e.status !== 429)
    .reduce((a, e) => a + graphRequestCost(e.method, `${e.path}${e.query}`), 0);
  const throttled = calls.filter((e) => e.status === 429).length;
  const r = { label, wallMs, outer: outer.length, batches: outer.filter((e) => e.route === 'batch').length, sub: sub.length, throttled, ru, summary };
  const floorMs = (ru / RU_PER_WINDOW) * (10_000 / SPEED);
  console.log(`${label.padEnd(34)} status=${summary.status} wall=${(wallMs / 1000).toFixed(1)}s cpu=${cpuS.toFixed(1)}s floor=${(floorMs / 1000).toFixed(1)}s `
    + `http_requests=${outer.length} batched_subrequests=${sub.length} graph_RU=${ru} 429s=${throttled} retries=${summary.totals.retries} objects=${summary.totals.objects}`);
  if (process.env.VERBOSE) for (const x of summary.resources) console.log('   ', x.resourceType.padEnd(40), x.status, 'listings', x.listings, 'calls', x.apiCalls, 'ms', x.durationMs, x.startedAt.slice(17), x.finishedAt?.slice(17));
  return r;
}

console.log(`tenant: ${scenario.applications.length} applications, ${scenario.servicePrincipals.length} service principals, ${scenario.users.length} users; `
  + `throttle ${RU_PER_WINDOW} RU per ${10 / SPEED} s (Graph: per 10 s, ${SPEED}x speed); concurrency ${concurrency}`);
const full = await crawl('full crawl, $batch', 'azure-bench.db', { batch: true, mode: 'incremental', fresh: true });

// 1% of objects change: 50 apps renamed, 200 SPs disabled, 500 users renamed.
const pct = (n: number) => Math.max(1, Math.round(n / 100));
scenario.applications.slice(0, pct(scale.applications)).forEach((a) => { a.displayName = `${a.displayName}-renamed`; });
scenario.servicePrincipals.slice(50, 50 + pct(scale.servicePrincipals)).forEach((p) => { p.accountEnabled = !p.accountEnabled; });
scenario.users.slice(100, 100 + pct(scale.users)).forEach((u) => { u.displayName = `${u.displayName} (renamed)`; });
const delta = await crawl('delta crawl after 1% changed', 'azure-bench.db', { batch: true, mode: 'incremental', fresh: false });
// Without $batch every sub-request is its own HTTP request (same listings, same pages): the count is exact from the
// batched run. The no-$batch crawl itself is measured on a NO_BATCH_SHARE (default 10%) sample of the tenant, as
// at full size it needs ~4 minutes of loopback HTTPS on a 2-core machine.
const share = Number(process.env.NO_BATCH_SHARE ?? 0.1);
const sampleScale = { applications: Math.round(scale.applications * share), servicePrincipals: Math.round(scale.servicePrincipals * share), users: Math.round(scale.users * share) };
await sim.close();
const sample: AzureScenario = { ...buildAzureScenario(sampleScale), throttle: scenario.throttle, deltaPageSize: 200 };
sim = await spec.simulator!.start(sample, {});
scenario = sample;
const sampleBatch = await crawl(`sample ${share * 100}%: full crawl, $batch`, 'azure-bench-sample.db', { batch: true, mode: 'full', fresh: true });
const noBatch = await crawl(`sample ${share * 100}%: full crawl, no $batch`, 'azure-bench-nobatch.db', { batch: false, mode: 'full', fresh: true });

const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(`\nsummary: full crawl ${full.outer} HTTP requests with $batch vs ${full.outer - full.batches + full.sub} without `
  + `(${((full.outer - full.batches + full.sub) / full.outer).toFixed(1)}x; sample measured: ${sampleBatch.outer} vs ${noBatch.outer}, wall ${(sampleBatch.wallMs / 1000).toFixed(1)} s vs ${(noBatch.wallMs / 1000).toFixed(1)} s); `
  + `delta crawl ${delta.outer} requests (${delta.sub} inside $batch) for ${delta.summary.totals.objects} changed objects; peak RSS ${rssMb} MB (crawler + simulator in one process)`);
await sim.close();
