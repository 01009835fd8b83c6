// Benchmark: reconcile 100,000 connectors against 5,000 inventory entries.
//   node --import tsx bench/reconcile-scale.ts [--connectors 100000] [--entries 5000]
// Builds a graph through the real GraphWriter (4 providers; scopes, credentials, owners, webhooks),
// an inventory (provider id rules, webhook hosts and name-pattern fallbacks), then times reconcile()
// three times (first run: all findings new, full; second: all persisting, new -> persisting; third: nothing changed), then
// after a new crawl in which 1% of the connectors changed, the next day with no crawl, and that day in full (--full) —
// the later ones incremental (docs/reconcile.md "Incremental reconciliation"). Reports peak memory (maxRSS), also as it
// stood before reconciling (the graph build and the inventory parse).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { openDb } from '../src/graph/db.ts';
import type { Emitted, GraphEdge, GraphNode } from '../src/graph/model.ts';
import { beginRun, finishRun, saveResourceResult } from '../src/graph/runs.ts';
import { GraphWriter } from '../src/graph/writer.ts';
import { parseInventory } from '../src/inventory/load.ts';
import { reconcile } from '../src/reconcile/engine.ts';
import { figure } from './_lib/figures.ts';

const arg = (name: string, def: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const N = arg('connectors', 100_000);
const E = arg('entries', 5_000);
const PROVIDERS = ['github', 'slack', 'google', 'azure'] as const;
const KEY: Record<string, [field: string, rule: string]> = { github: ['app_slug', 'app_slug'], slack: ['app_id', 'app_id'], google: ['client_id', 'oauth_client_id'], azure: ['app_id', 'app_id'] };
const SCOPES: Record<string, string[]> = {
  github: ['metadata:read', 'contents:read', 'contents:write', 'pull_requests:write', 'issues:read', 'administration:write', 'checks:write'],
  slack: ['chat:write', 'users:read', 'channels:read', 'channels:history', 'files:read', 'commands', 'admin.users:write'],
  google: ['openid', 'https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/drive.readonly', 'https://www.googleapis.com/auth/calendar', 'https://mail.google.com/'],
  azure: ['User.Read', 'User.Read.All', 'Mail.Read', 'Files.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All'],
};
const T0 = Date.parse('2026-11-20T00:00:00Z');
const ago = (d: number) => new Date(T0 - d * 86_400_000).toISOString();
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-'));
const dbFile = path.join(dir, 'bench.db');
const db = openDb(dbFile, { noBackup: true });
const t0 = performance.now();
const apps = Math.round(E * 1.02); // distinct apps (each installed ~N/apps times); the inventory approves ~98% of them
/** One crawl of a provider; `changed(n)`: connector n looks different in this crawl (a later crawl's 1% churn). */
function crawlProvider(pi: number, provider: (typeof PROVIDERS)[number], changed: (n: number) => boolean = () => false): void {
  const run = beginRun(db, { providers: [provider], mode: 'full', version: 'bench' });
  const w = new GraphWriter(db, run);
  const scope = `${provider}|t1|${provider}.connectors|`;
  const per = Math.ceil(N / PROVIDERS.length);
  const people: GraphNode[] = Array.from({ length: 2000 }, (_, i) => ({ id: `${provider}:user:u${i}`, kind: 'principal', type: `${provider}.user`, name: `u${i}`,
    props: { email: `person${i}@example.com`, status: i % 97 === 0 ? (provider === 'slack' ? 'deleted' : 'disabled') : 'active' } }));
  w.writePage({ provider, tenant: 't1', scope: `${provider}|t1|${provider}.users|`, parentId: null, emitted: { nodes: people, edges: [] } });
  w.completeListing(`${provider}|t1|${provider}.users|`);
  for (let start = 0; start < per; start += 1000) {
    const nodes: GraphNode[] = [];
    const edges: GraphEdge[] = [];
    for (let i = start; i < Math.min(per, start + 1000); i++) {
      const n = pi * per + i;
      const app = n % apps;
      const id = `${provider}:connector:c${n}`;
      const [field] = KEY[provider]!;
      nodes.push({ id, kind: 'connector', type: `${provider}.app`, name: `vendor-app-${app} #${n}`, props: {
        connector_type: provider === 'github' && n % 10 === 0 ? 'webhook' : 'app', [field]: `app-${app}`, enabled: true, created_at: ago(n % 900), last_used_at: ago(changed(n) ? 0 : n % 120) } });
      const ss = SCOPES[provider]!;
      for (let k = 0; k < 3; k++) {
        const s = ss[(k === 2 && n % 25 === 0 ? ss.length - 1 : (n + k) % (ss.length - 2))]!; // 4% hold a scope beyond approval
        nodes.push({ id: `${provider}:scope:${s}`, kind: 'scope', type: `${provider}.scope`, name: s, props: {} });
        edges.push({ type: 'HAS_SCOPE', from: id, to: `${provider}:scope:${s}` });
      }
      edges.push({ type: 'INSTALLED_BY', from: id, to: `${provider}:user:u${n % 2000}` });
      if (n % 5 === 0) {
        const cid = `${provider}:credential:k${n}`;
        nodes.push({ id: cid, kind: 'credential', type: `${provider}.secret`, name: `secret ${n}`, props: { credential_type: provider === 'azure' ? 'client_secret' : 'github_fine_grained_pat',
          created_at: ago(n % 500), expires_at: n % 15 === 0 ? null : ago(-(n % 400) + 30), last_used_at: ago(n % 150), static: true, enabled: true } });
        edges.push({ type: 'HAS_CREDENTIAL', from: id, to: cid });
      }
      if (provider === 'github' && n % 10 === 0) {
        const host = n % 20 === 0 ? `hooks.vendor${app % 300}.io` : `ci${n % 7}.example.com`;
        nodes.push({ id: `github:endpoint:${host}`, kind: 'endpoint', type: 'github.webhook_target', name: host, props: { host } });
        edges.push({ type: 'FORWARDS_TO', from: id, to: `github:endpoint:${host}`, props: { events: ['push'] } });
      }
    }
    w.writePage({ provider, tenant: 't1', scope, parentId: null, emitted: { nodes, edges } as Emitted });
  }
  w.completeListing(scope);
  const at = new Date().toISOString();
  for (const type of [`${provider}.connectors`, `${provider}.users`]) {
    saveResourceResult(db, run, { provider, tenant: 't1', resourceType: type, status: 'complete', listings: 1, listingsFailed: 0, objects: per, apiCalls: 1,
      notModified: 0, retries: 0, removed: 0, error: null, startedAt: at, finishedAt: at, durationMs: 1 });
  }
  finishRun(db, run, 'complete', {});
}
for (const [pi, provider] of PROVIDERS.entries()) crawlProvider(pi, provider);
const buildMs = performance.now() - t0;

// Inventory: E entries; most match one app id (installed ~N/E times across the providers), 50 are
// webhook-host entries and 50 name-pattern fallbacks; approved scopes leave out each provider's riskiest two.
const entries: Record<string, unknown>[] = [];
for (let e = 0; e < E; e++) {
  const match: Record<string, unknown> = e < 50 ? { webhook_host: `hooks.vendor${e}.io` } : e < 100 ? { name_pattern: `^vendor-app-${e * 7} ` }
    : Object.fromEntries(PROVIDERS.map((p) => [p, { [KEY[p]![1]]: `app-${e}` }])); // one vendor entry across providers
  entries.push({ id: `e${e}`, name: `Entry ${e}`, vendor: 'Vendor', business_owner: `person${e % 2000}@example.com`, technical_owner: `person${(e + 1) % 2000}@example.com`,
    purpose: 'bench', ticket: `T-${e}`, approved_on: '2025-01-01', approval_expires: e % 50 === 0 ? '2026-01-01' : '2027-12-31', match,
    scopes: Object.fromEntries(PROVIDERS.map((p) => [p, SCOPES[p]!.slice(0, -2)])), ...(e % 40 === 0 ? { rotation_days: 180 } : {}) });
}
const yamlText = YAML.stringify({ version: 1, defaults: { allowed_destinations: ['*.example.com'] }, entries });
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
  connectors: counts.n, inventory_entries: E, matched: first.matched, unmatched: first.unmatched,
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
const scale = `${N.toLocaleString('en')} × ${E.toLocaleString('en')}`;
figure({ bench: 'reconcile-scale', figure: `reconcile ${scale}, after a crawl changing 1% of connectors (incremental, wall)`, value: r4 / 1000, unit: 's',
  goal: ['<=', 3], note: `CPU ${r4cpu} s; full first run ${(r1 / 1000).toFixed(1)} s wall / ${r1cpu} s CPU` });
figure({ bench: 'reconcile-scale', figure: `reconcile ${scale}, the next day with no crawl (incremental, wall)`, value: r5 / 1000, unit: 's',
  goal: ['<=', 3], note: `CPU ${r5cpu} s; the same day in full ${(r6 / 1000).toFixed(1)} s wall / ${r6cpu} s CPU; same open findings: ${fifth.counts.open === sixth.counts.open}` });
db.close();
fs.rmSync(dir, { recursive: true, force: true });
