// Benchmark: reach paths over the 100,000-connector graph of bench/reconcile-scale (bench/_lib/scale-graph.ts), plus
// repositories and cross-provider trusts written by a crawl of their own (the shared generator is left as it is).
//   node --import tsx bench/paths-scale.ts [--connectors 100000] [--repos 5000] [--trusts 2000] [--queries 50] [--quick]
// Times `paths --from` (the walk over the `paths` view, one query per level) for a sample of connectors, the reach
// summaries of every connector (one read of the steps, every walk in memory; goal ≤ 5 s) and the cross-provider
// escalation paths a reconciliation computes (the same memory graph), each also as a ratio
// to a ceiling measured in the same run: one plain scan of the edges table (every row's ids, type and props).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPaths } from '../src/cli/paths.ts';
import { openDb } from '../src/graph/db.ts';
import { computeReachSummaries } from '../src/reach/summaries.ts';
import { computeEscalations } from '../src/reconcile/escalation-paths.ts';
import { figure, meter } from './_lib/figures.ts';
import { PROVIDERS, scaleGraph } from './_lib/scale-graph.ts';
import { writeTrusts } from './_lib/trust-graph.ts';

const quick = process.argv.includes('--quick');
const arg = (name: string, def: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const N = arg('connectors', quick ? 10_000 : 100_000);
const REPOS = arg('repos', Math.round(N / 20));
const TRUSTS = arg('trusts', Math.round(N / 50));
const QUERIES = arg('queries', 50);
const per = Math.ceil(N / PROVIDERS.length);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-paths-'));
const db = openDb(path.join(dir, 'bench.db'), { noBackup: true });
const build = meter();
const graph = scaleGraph(N, Math.max(100, Math.round(N / 20)));
for (const [pi, provider] of PROVIDERS.entries()) graph.crawlProvider(db, pi, provider);
writeTrusts(db, { perProvider: per, repos: REPOS, trusts: TRUSTS });
const buildS = build.read().wallS;

// the ceiling: one plain scan of the edges table, the better of two passes
let scanS = Infinity;
let edgeRows = 0;
for (let k = 0; k < 2; k++) {
  const m = meter();
  edgeRows = 0;
  for (const _ of db.prepare('SELECT src, dst, type, props FROM edges').raw(true).iterate()) edgeRows++;
  scanS = Math.min(scanS, m.read().wallS);
}

// paths --from: GitHub connectors, one in 500 of which controls every repository (and crosses every trust)
const sample = Array.from({ length: QUERIES }, (_, q) => `github:connector:c${(q * 997) % per}`);
sample[0] = 'github:connector:c2'; // an all-repositories installation with contents:write
const hub = meter();
const widest = findPaths(db, { from: sample[0]!, depth: 6, limit: 1_000_000 }).length;
const hubMs = hub.read().wallS * 1000;
const q = meter();
let rows = 0;
for (const id of sample.slice(1)) rows += findPaths(db, { from: id, depth: 6, limit: 1_000_000 }).length;
const qS = q.read();
const perQueryMs = (qS.wallS * 1000) / (sample.length - 1);
const toM = meter();
const toRows = findPaths(db, { to: 'subscription 0', depth: 6, limit: 1_000_000 }).length;
const toMs = toM.read().wallS * 1000;

const s = meter();
let summaries = 0;
let privileged = 0;
let viaTrust = 0;
for (const r of computeReachSummaries(db)) { summaries++; privileged += r.privileged; if (r.trusts) viaTrust++; }
const sS = s.read();

// the cross-provider escalation paths every reconciliation computes when trusts exist (the same memory graph, its own load)
const esc = meter();
const escalations = computeEscalations(db).length;
const eS = esc.read();

console.log(JSON.stringify({
  connectors: N, repositories: REPOS, trusts: TRUSTS, edges: edgeRows, build_graph_s: +buildS.toFixed(1), edge_scan_s: +scanS.toFixed(3),
  paths_from_ms_per_query: +perQueryMs.toFixed(1), paths_rows: rows, all_repositories_query_ms: +hubMs.toFixed(0), all_repositories_query_rows: widest, paths_to_ms: +toMs.toFixed(1), paths_to_rows: toRows,
  summaries_s: +sS.wallS.toFixed(2), summaries_cpu_s: +sS.cpuS.toFixed(2), summaries, privileged, reaching_through_trust: viaTrust,
  escalations_s: +eS.wallS.toFixed(2), escalations_cpu_s: +eS.cpuS.toFixed(2), escalation_paths: escalations,
  peak_rss: `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`, node: process.version, cpus: os.cpus().length,
}, null, 2));
const scale = `${N.toLocaleString('en')} connectors`;
figure({ bench: 'paths-scale', figure: `paths --from a connector, ${scale} (per query, wall)`, value: perQueryMs, unit: 'ms',
  note: `${(perQueryMs / (scanS * 1000)).toFixed(3)} × one edges scan (${(scanS * 1000).toFixed(0)} ms, ${edgeRows.toLocaleString('en')} rows); an installation controlling all ${REPOS} repositories: ${hubMs.toFixed(0)} ms, ${widest} rows; --to ${toMs.toFixed(0)} ms` });
figure({ bench: 'paths-scale', figure: `reach summaries of every connector, ${scale} (wall)`, value: sS.wallS, unit: 's', goal: ['<=', 5],
  note: `${(sS.wallS / scanS).toFixed(1)} × one edges scan; CPU ${sS.cpuS.toFixed(1)} s; ${summaries.toLocaleString('en')} summaries, ${viaTrust} through a trust` });
figure({ bench: 'paths-scale', figure: `cross-provider escalation paths, ${scale} (wall, inside reconcile)`, value: eS.wallS, unit: 's',
  note: `${(eS.wallS / scanS).toFixed(1)} × one edges scan; CPU ${eS.cpuS.toFixed(1)} s; ${escalations.toLocaleString('en')} paths from ${TRUSTS} trusts` });
db.close();
fs.rmSync(dir, { recursive: true, force: true });
