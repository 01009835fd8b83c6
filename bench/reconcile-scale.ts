// Benchmark: reconcile 100,000 connectors against 5,000 inventory entries.
//   node --import tsx bench/reconcile-scale.ts [--connectors 100000] [--entries 5000] [--trusts 0]
// --trusts N adds bench/paths-scale's repositories and N cross-provider trusts (bench/_lib/trust-graph.ts): every
// reconciliation then also computes the cross-provider escalation paths.
// Builds a graph through the real GraphWriter (4 providers; scopes, credentials, owners, webhooks),
// an inventory (provider id rules, webhook hosts and name-pattern fallbacks), then times reconcile()
// three times (first run: all findings new, full; second: all persisting, new -> persisting; third: nothing changed), then
// after a new crawl in which 1% of the connectors changed, the next day with no crawl, and that day in full (--full) —
// the later ones incremental (docs/reconcile.md "Incremental reconciliation"). Reports peak memory (maxRSS), also as it
// stood before reconciling (the graph build and the inventory parse).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../src/graph/db.ts';
import { parseInventory } from '../src/inventory/load.ts';
import { reconcile } from '../src/reconcile/engine.ts';
import { figure } from './_lib/figures.ts';
import { PROVIDERS, scaleGraph, type ScaleProvider } from './_lib/scale-graph.ts';
import { writeTrusts } from './_lib/trust-graph.ts';

const arg = (name: string, def: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const N = arg('connectors', 100_000);
const E = arg('entries', 5_000);
const T = arg('trusts', 0);
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-'));
const dbFile = path.join(dir, 'bench.db');
const db = openDb(dbFile, { noBackup: true });
const t0 = performance.now();
const graph = scaleGraph(N, E);
const crawlProvider = (pi: number, provider: ScaleProvider, changed?: (n: number) => boolean) => graph.crawlProvider(db, pi, provider, changed);
for (const [pi, provider] of PROVIDERS.entries()) crawlProvider(pi, provider);
if (T > 0) writeTrusts(db, { perProvider: Math.ceil(N / PROVIDERS.length), repos: Math.round(N / 20), trusts: T });
const buildMs = performance.now() - t0;

const yamlText = graph.inventoryYaml();
const tParse = performance.now();
const inv = parseInventory('bench-inventory.yaml', yamlText);
const parseMs = performance.now() - tParse;

const now = new Date('2026-11-23T00:00:00Z');
// maxRSS is a high-water mark: read it before reconciling, so the graph build's peak is told apart
const rssBeforeReconcile = process.resourceUsage().maxRSS;
const cpuS = (c: NodeJS.CpuUsage) => +((c.user + c.system) / 1e6).toFixed(2); // the box is shared: CPU time beside wall
let c0 = process.cpuUsage();
const r1s = performance.now();
const first = reconcile(db, inv, { now });
const r1 = performance.now() - r1s;
const r1cpu = cpuS(process.cpuUsage(c0));
c0 = process.cpuUsage();
const r2s = performance.now();
const second = reconcile(db, inv, { now });
const r2 = performance.now() - r2s;
const r2cpu = cpuS(process.cpuUsage(c0));
c0 = process.cpuUsage();
const r3s = performance.now();
const third = reconcile(db, inv, { now });
const r3 = performance.now() - r3s;
const r3cpu = cpuS(process.cpuUsage(c0));
// a night later: a new crawl of one provider in which 1% of all connectors changed (a new last use), same evaluation time
crawlProvider(0, 'github', (n) => n % 100 === 7);
c0 = process.cpuUsage();
const r4s = performance.now();
const fourth = reconcile(db, inv, { now });
const r4 = performance.now() - r4s;
const r4cpu = cpuS(process.cpuUsage(c0));
// the next day with no new crawl: only units whose verdict or day count changes are evaluated again
const nextDay = new Date(now.getTime() + 86_400_000);
c0 = process.cpuUsage();
const r5s = performance.now();
const fifth = reconcile(db, inv, { now: nextDay });
const r5 = performance.now() - r5s;
const r5cpu = cpuS(process.cpuUsage(c0));
c0 = process.cpuUsage();
const r6s = performance.now();
const sixth = reconcile(db, inv, { now: nextDay, full: true });
const r6 = performance.now() - r6s;
const r6cpu = cpuS(process.cpuUsage(c0));
const maxRss = process.resourceUsage().maxRSS;
const counts = db.prepare("SELECT count(*) AS n FROM nodes WHERE kind = 'connector'").get() as { n: number };

console.log(JSON.stringify({
  connectors: counts.n, inventory_entries: E, trusts: T, matched: first.matched, unmatched: first.unmatched,
  findings_first: first.counts, findings_second: second.counts, findings_third: third.counts,
  build_graph_s: +(buildMs / 1000).toFixed(1), parse_inventory_s: +(parseMs / 1000).toFixed(2),
  reconcile_first_s: +(r1 / 1000).toFixed(2), reconcile_second_s: +(r2 / 1000).toFixed(2), reconcile_third_s: +(r3 / 1000).toFixed(2),
  reconcile_cpu_s: [r1cpu, r2cpu, r3cpu],
  modes: [first, second, third, fourth, fifth, sixth].map((s) => s.mode),
  incremental_1pct_changed_s: +(r4 / 1000).toFixed(2), incremental_1pct_changed_cpu_s: r4cpu, findings_fourth: fourth.counts,
  incremental_next_day_s: +(r5 / 1000).toFixed(2), incremental_next_day_cpu_s: r5cpu, findings_fifth: fifth.counts,
  full_next_day_s: +(r6 / 1000).toFixed(2), full_next_day_cpu_s: r6cpu, same_open_as_full: fifth.counts.open === sixth.counts.open,
  peak_rss: mb(maxRss), peak_rss_before_reconcile: mb(rssBeforeReconcile), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
}, null, 2));
const scale = `${N.toLocaleString('en')} × ${E.toLocaleString('en')}${T > 0 ? ` with ${T.toLocaleString('en')} trusts` : ''}`;
figure({ bench: 'reconcile-scale', figure: `reconcile ${scale}, after a crawl changing 1% of connectors (incremental, wall)`, value: r4 / 1000, unit: 's',
  goal: ['<=', 3], note: `CPU ${r4cpu} s; full first run ${(r1 / 1000).toFixed(1)} s wall / ${r1cpu} s CPU` });
figure({ bench: 'reconcile-scale', figure: `reconcile ${scale}, the next day with no crawl (incremental, wall)`, value: r5 / 1000, unit: 's',
  goal: ['<=', 3], note: `CPU ${r5cpu} s; the same day in full ${(r6 / 1000).toFixed(1)} s wall / ${r6cpu} s CPU; same open findings: ${fifth.counts.open === sixth.counts.open}` });
db.close();
fs.rmSync(dir, { recursive: true, force: true });
