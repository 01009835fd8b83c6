// Benchmark: the monthly report over a tenant with 100,000 connectors (`node --import tsx bench/report-scale.ts [connectors]`).
// Builds the graph through the real GraphWriter in two dated runs a month apart (last month: 1% fewer
// connectors, some since removed; this month: the rest), two reconciliations with findings on ~40% of
// connectors, then times the report (model + every renderer + files) in a child process of its own, so its peak
// RSS is the report's, not the graph build's, and loads report.html in Debian's headless chromium: load time,
// layout, a full-page screenshot. Figures go to docs/report.md by hand.
// Options: `--cache-db FILE` builds the graph into FILE once and reuses it on later runs; `--out DIR` writes the
// report files there (generated as of a fixed moment, so two runs' files compare byte for byte, manifest.json aside);
// `--report-db FILE [--phase model|report]` times the model and renderers, or the report command end to end, alone on a
// copy of a graph built before (what the two child processes run; profile them).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../src/graph/db.ts';
import { beginRun, finishRun, saveResourceResult } from '../src/graph/runs.ts';
import { GraphWriter } from '../src/graph/writer.ts';
import type { GraphEdge, GraphNode } from '../src/graph/model.ts';
import { buildReportModel } from '../reports/model.ts';
import { renderHtml } from '../reports/render-html.ts';
import { renderMarkdown } from '../reports/render-markdown.ts';
import { renderBlastRadiusCsv, renderConnectorsCsv, renderFindingsCsv, renderJson } from '../reports/render-csv.ts';
import { prepareReach } from '../reports/blast-radius.ts';
import { writeReport } from '../reports/write-report.ts';
import { visit, withChromium, CHROMIUM } from '../test/report/chromium.ts';
import { figure, meter } from './_lib/figures.ts';

const args = process.argv.slice(2);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const reportDb = option('--report-db');
const cacheDb = option('--cache-db');
const outDir = option('--out');
/** The report as of a fixed moment: generated_at and every figure judged against it are the same on every run. */
const NOW = new Date('2026-11-21T00:00:00Z');
const OWNERS = Math.max(10, Math.round(N / 50));
const SCOPES = ['contents:read', 'contents:write', 'metadata:read', 'issues:write', 'pull_requests:write', 'administration:write', 'actions:write',
  'checks:write', 'secrets:read', 'members:read'];
const FAMILIES = [['orphans', 'high'], ['scope-drift', 'high'], ['inventory', 'medium'], ['privilege', 'critical'], ['credential-hygiene', 'medium'], ['scope-change', 'low']] as const;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-report-bench-'));
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

function crawl(db: Db, run: number, at: string, ids: number[]): void {
  const w = new GraphWriter(db, run, () => at);
  const scope = 'bench.things:acme';
  const shared: GraphNode[] = [
    ...SCOPES.map((s) => ({ id: `bench:scope:${s}`, kind: 'scope' as const, type: 'bench.permission', name: s, props: {}, ref: true })),
  ];
  for (let i = 0; i < ids.length; i += 2000) {
    const nodes: GraphNode[] = i === 0 ? [...shared] : [];
    const edges: GraphEdge[] = [];
    for (const n of ids.slice(i, i + 2000)) {
      const id = `bench:app:${n}`;
      nodes.push({ id, kind: 'connector', type: n % 3 === 0 ? 'bench.webhook' : 'bench.app_installation', name: `app-${n}`, props: { connector_type: 'app' } });
      const owner = `bench:user:${n % OWNERS}`;
      nodes.push({ id: owner, kind: 'principal', type: 'bench.user', name: `user${n % OWNERS}`, props: { email: `user${n % OWNERS}@acme.example`, status: 'active' }, ref: true });
      edges.push({ type: 'OWNS', from: owner, to: id });
      for (let k = 0; k < 3; k++) edges.push({ type: 'HAS_SCOPE', from: id, to: `bench:scope:${SCOPES[(n + k * 3) % SCOPES.length]}` });
      if (n % 4 === 0) {
        const cred = `bench:key:${n}`;
        nodes.push({ id: cred, kind: 'credential', type: 'bench.key', name: `key-${n}`, props: { created_at: '2025-01-01T00:00:00Z', expires_at: n % 8 ? null : '2027-01-01T00:00:00Z', static: true } });
        edges.push({ type: 'HAS_CREDENTIAL', from: id, to: cred });
      }
    }
    w.writePage({ provider: 'bench', tenant: 'acme', scope, parentId: null, emitted: { nodes, edges } });
  }
  w.completeListing(scope);
  saveResourceResult(db, run, { provider: 'bench', tenant: 'acme', resourceType: 'bench.things', status: 'complete', listings: 1, listingsFailed: 0,
    objects: ids.length, apiCalls: Math.ceil(ids.length / 100), notModified: 0, retries: 0, removed: 0, error: null, startedAt: at, finishedAt: at, durationMs: 1 });
  finishRun(db, run, 'complete', {});
  db.prepare('UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?').run(at, at, run);
}

function reconcile(db: Db, recon: number, run: number, at: string, ids: number[], share: number): number {
  db.prepare(`INSERT INTO reconciliations (id, started_at, finished_at, status, inventory_file, inventory_hash, crawl_runs)
      VALUES (?, ?, ?, 'complete', 'inventory.yaml', ?, ?)`).run(recon, at, at, String(recon).repeat(64), JSON.stringify({ bench: { run } }));
  const f = db.prepare(`INSERT INTO findings (id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence, remediation,
      owasp, nist, owners, status, first_seen_recon, last_seen_recon, first_seen_at, last_seen_at)
      VALUES (?, ?, ?, ?, 'bench', 'acme', ?, ?, ?, ?, ?, 'Review it with its owner.', 'NHI5:2025', 'PR.AA-05', ?, 'new', ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET status = 'persisting', last_seen_recon = excluded.last_seen_recon, last_seen_at = excluded.last_seen_at`);
  const o = db.prepare('INSERT INTO finding_observations (recon_id, finding_id, severity) VALUES (?, ?, ?)');
  const m = db.prepare('INSERT INTO inventory_matches (recon_id, connector_id, inventory_id, match_rule) VALUES (?, ?, ?, ?)');
  let count = 0;
  db.transaction(() => {
    for (const n of ids) {
      if (n % 2 === 0) m.run(recon, `bench:app:${n}`, `inv-${n % 5000}`, 'bench.app_id');
      if ((n * 7919) % 100 >= share) continue;
      const [family, severity] = FAMILIES[n % FAMILIES.length]!;
      const id = `f_${family}_${n}`;
      f.run(id, `${family}-rule`, family, severity, `bench:app:${n}`, `app-${n}`, `bench:app:${n}`, `app-${n}: ${family.replace('-', ' ')}`,
        JSON.stringify({ scopes: ['administration:write'], owner: `user${n % OWNERS}@acme.example` }), JSON.stringify([`user${n % OWNERS}@acme.example`]), recon, recon, at, at);
      o.run(recon, id, severity);
      count++;
    }
  })();
  return count;
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const peakKb = () => process.resourceUsage().maxRSS;

if (!reportDb) {
  const dbFile = path.join(dir, 'bench.db');
  if (cacheDb && fs.existsSync(cacheDb)) {
    console.log(`graph: reusing ${cacheDb}`);
  } else {
    const t0 = performance.now();
    const db = openDb(cacheDb ?? dbFile, { noBackup: true });
    const all = Array.from({ length: N + Math.round(N * 0.01) }, (_, i) => i);
    const lastMonth = all.slice(0, N - Math.round(N * 0.01));     // includes 1% that are removed this month
    const thisMonth = all.slice(Math.round(N * 0.01));             // 1% new this month; N in total
    const run1 = beginRun(db, { providers: ['bench'], mode: 'full', version: 'bench' });
    crawl(db, run1, '2026-10-20T09:00:00.000Z', lastMonth);
    const run2 = beginRun(db, { providers: ['bench'], mode: 'full', version: 'bench' });
    crawl(db, run2, '2026-11-20T09:00:00.000Z', thisMonth);
    const f1 = reconcile(db, 1, run1, '2026-10-20T10:00:00.000Z', lastMonth, 35);
    const f2 = reconcile(db, 2, run2, '2026-11-20T10:00:00.000Z', thisMonth, 40);
    db.prepare("UPDATE findings SET status = 'resolved', resolved_recon = 2, resolved_at = '2026-11-20T10:00:00.000Z' WHERE last_seen_recon = 1").run();
    db.close();
    console.log(`graph: ${N.toLocaleString('en-GB')} connectors this month, ${f2.toLocaleString('en-GB')} open findings (${f1.toLocaleString('en-GB')} last month) — built in ${ms(t0)}`);
  }
  // the model and renderers, then the report command end to end, each in a process of its own: each peak RSS is its own
  let status = 0;
  for (const phase of ['model', 'report']) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, String(N), '--report-db', cacheDb ?? dbFile, '--phase', phase,
      ...(outDir ? ['--out', outDir] : [])], { stdio: 'inherit' });
    status ||= child.status ?? 1;
  }
  if (!cacheDb) fs.rmSync(dbFile, { force: true });
  process.exit(status);
}

// The report alone, on a copy of the graph (writing the report records a `reports` row, which next month's report compares with).
const dbFile = path.join(dir, 'bench.db');
fs.copyFileSync(reportDb, dbFile);
const db = openDb(dbFile, { noBackup: true });
const phase = option('--phase') ?? 'model';
console.log(`[${phase}] peak RSS before: ${mb(peakKb())}`);
if (phase === 'model') {
  const reach = meter();
  prepareReach(db); // what writeReport does first: the latest reconciliation's reach summaries
  const r = reach.read();
  console.log(`reach summaries (before the model): ${(r.wallS * 1000).toFixed(0)} ms wall, ${(r.cpuS * 1000).toFixed(0)} ms CPU`);
  const clock = meter();
  const model = buildReportModel(db, { month: '2026-11', organisation: 'Bench Corp', now: NOW });
  const m = clock.read();
  const modelPeak = peakKb();
  console.log(`model: ${(m.wallS * 1000).toFixed(0)} ms wall, ${(m.cpuS * 1000).toFixed(0)} ms CPU; peak RSS after the model: ${mb(modelPeak)}`);
  for (const [name, fn] of [['report.md', renderMarkdown], ['report.html', renderHtml], ['findings.csv', renderFindingsCsv], ['connectors.csv', renderConnectorsCsv], ['blast-radius.csv', renderBlastRadiusCsv], ['report.json', renderJson]] as const) {
    const t = performance.now();
    const text = fn(model as never);
    console.log(`render ${name}: ${ms(t)}, ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB`);
  }
  db.close();
  fs.rmSync(dbFile, { force: true });
  figure({ bench: 'report-scale', figure: `report model, ${N.toLocaleString('en')} connectors`, value: m.wallS, unit: 's', note: `CPU ${m.cpuS.toFixed(1)} s` });
  figure({ bench: 'report-scale', figure: `report model peak RSS, ${N.toLocaleString('en')} connectors`, value: modelPeak / 1024, unit: 'MB' });
  process.exit(0);
}
const clock = meter();
const written = writeReport(db, outDir ?? path.join(dir, 'out'), { month: '2026-11', organisation: 'Bench Corp', now: NOW, force: true });
const e = clock.read();
console.log(`nhi-census report end to end (reach summaries + model + 6 files + reports row): ${(e.wallS * 1000).toFixed(0)} ms wall, ${(e.cpuS * 1000).toFixed(0)} ms CPU; peak RSS ${mb(peakKb())}`);
for (const f of written.files) console.log(`  ${f.name}: ${(f.bytes / 1e6).toFixed(2)} MB`);
db.close();
figure({ bench: 'report-scale', figure: `report end to end, ${N.toLocaleString('en')} connectors`, value: e.wallS, unit: 's', note: `CPU ${e.cpuS.toFixed(1)} s, peak RSS ${mb(peakKb())}` });

if (fs.existsSync(CHROMIUM)) {
  const html = written.files.find((f) => f.name === 'report.html')!.path;
  const shot = path.join(dir, 'report-100k.png');
  const v = await withChromium(async (ctx) => {
    const first = await visit(ctx, html);
    const second = await visit(ctx, html, { screenshot: shot });
    return { first, second };
  });
  console.log(`chromium: load (parse + style + layout) ${v.first.loadMs.toFixed(0)} ms cold, ${v.second.loadMs.toFixed(0)} ms warm; ` +
    `console errors ${v.first.consoleErrors.length}, requests ${v.first.requests.length}; screenshot ${shot}`);
}
fs.rmSync(dbFile, { force: true });
console.log(`files in ${outDir ?? dir}`);
