// Benchmark (not a test): peak RSS of the crawler alone at 1x and 10x (issue 16, "flat memory"). Each crawl runs
// in its own process (peak RSS is per process) and its simulator in a child of that process, so the figure is the
// crawler's own. Prints one line per scale and the 10x / 1x ratio (goal <= 1.5).
//   node --import tsx bench/fanout-rss.ts [--provider github|azure] [--base 1] [--factor 10] [--bound N] [--cache-mb M]
// --bound sets the engine's bound on pending (queued, not started) listings; omitted: the engine's default.
// --cache-mb overrides SQLite's page cache (src/graph/db.ts: 64 MB), which fills as the database grows past it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { configFromObject } from '../src/config/config.ts';
import { runCrawl } from '../src/crawl/engine.ts';
import { loadConnectors } from '../src/crawl/load-connectors.ts';
import { openDb } from '../src/graph/db.ts';
import { createLogger } from '../src/util/log.ts';
import { forkChildSim, isChildSim, serveChildSim } from './_lib/child-sim.ts';
import { figure } from './_lib/figures.ts';

const { values } = parseArgs({ options: {
  provider: { type: 'string', default: 'github' }, base: { type: 'string', default: '1' }, factor: { type: 'string', default: '10' },
  bound: { type: 'string' }, 'cache-mb': { type: 'string' }, role: { type: 'string', default: 'main' }, scale: { type: 'string', default: '1' },
} });
const self = fileURLToPath(import.meta.url);
const provider = values.provider!;

/** The scenario at scale `f` (1x: a mid-sized tenant), with the simulator's rate limits out of the way. */
async function scenarioAt(f: number): Promise<unknown> {
  if (provider === 'github') {
    const { buildGithubScenario } = await import('../scenarios/demo/github.ts');
    return { ...buildGithubScenario({ repos: Math.round(400 * f), members: Math.round(2000 * f), installations: Math.round(30 * f), hooksPerRepo: 1, keysPerRepo: 1 }),
      rateLimit: { limit: 1e9, windowMs: 60_000 } };
  }
  if (provider === 'azure') {
    const { buildAzureScenario } = await import('../scenarios/demo/azure.ts');
    return buildAzureScenario({ applications: Math.round(250 * f), servicePrincipals: Math.round(1000 * f), users: Math.round(2500 * f) });
  }
  throw new Error(`--provider ${provider}: github or azure`);
}

if (isChildSim()) {
  // the simulator process (bench/_lib/child-sim.ts): serves the scenario until told to close
  await serveChildSim(provider, await scenarioAt(Number(values.scale)));
} else if (values.role === 'crawl') {
  // the crawler process: its peak RSS is the figure
  const ready = await forkChildSim();
  const specs = await loadConnectors();
  const extra = provider === 'azure' ? { graphRequestsPer10s: 1e6 } : {};
  const config = configFromObject({ providers: { [provider]: { ...ready.config, ...extra } } }, specs, '(bench)');
  const p = config.providers.get(provider)!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-fanout-bench-'));
  const db = openDb(path.join(dir, 'bench.db'));
  if (values['cache-mb']) db.pragma(`cache_size = -${Number(values['cache-mb']) * 1024}`);
  const rssBefore = process.resourceUsage().maxRSS / 1024;
  const t0 = Date.now();
  const summary = await runCrawl({ db, log: createLogger({ level: 'warn', write: () => {} }), env: ready.env, maxRateWaitMs: 120_000,
    maxPendingListings: values.bound ? Number(values.bound) : undefined,
    providers: [{ spec: p.spec, config: p.config, concurrency: 8 }] } as Parameters<typeof runCrawl>[0]);
  const wallS = (Date.now() - t0) / 1000;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  await ready.close();
  const listings = summary.resources.reduce((a, r) => a + r.listings, 0);
  console.log(JSON.stringify({ scale: Number(values.scale), status: summary.status, listings, api_calls: summary.totals.apiCalls,
    objects: summary.totals.objects, peak_pending: summary.fanout?.[provider]?.peakPending, wall_s: wallS,
    not_complete: summary.resources.filter((r) => r.status !== 'complete').map((r) => `${r.resourceType}: ${r.status} ${(r.error ?? '').slice(0, 160)}`), rss_at_start_mb: Math.round(rssBefore), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else {
  const run = (scale: number) => {
    const args = ['--import', 'tsx', self, '--role', 'crawl', '--provider', provider, '--scale', String(scale), ...(values.bound ? ['--bound', values.bound] : []),
      ...(values['cache-mb'] ? ['--cache-mb', values['cache-mb']] : [])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) throw new Error(`crawl at ${scale}x failed (exit ${r.status}): ${r.stdout}`);
    return JSON.parse(line) as { peak_rss_mb: number };
  };
  const base = Number(values.base);
  const one = run(base);
  console.log(JSON.stringify(one));
  const ten = run(base * Number(values.factor));
  console.log(JSON.stringify(ten));
  const ratio = ten.peak_rss_mb / one.peak_rss_mb;
  console.log(JSON.stringify({ provider, bound: values.bound ?? 'default', sqlite_cache_mb: values['cache-mb'] ?? 'default', peak_rss_ratio: Math.round(ratio * 100) / 100, goal: 1.5 }));
  figure({ bench: 'fanout-rss', figure: `${provider} crawler peak RSS at ${values.factor}× ÷ at 1×`, value: ratio, unit: '×', goal: ['<=', 1.5], note: `${one.peak_rss_mb} → ${ten.peak_rss_mb} MB` });
}
