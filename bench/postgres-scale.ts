// Benchmark (not a test): PostgreSQL at scale (issue 18), each figure beside a ceiling measured in the same run.
//  1. ingest — rows/s of the graph writer's page writes (GraphWriter + GroupCommit, set-wise INSERT … SELECT FROM
//     jsonb_array_elements … ON CONFLICT, src/graph/upsert-set.ts) beside: a plain COPY of the same rows into an unindexed
//     table (the ceiling); that set-wise statement alone (its before-read and upsert, SQL taken from SetUpsert itself);
//     and COPY into a temporary staging table followed by the same INSERT … SELECT … ON CONFLICT from it. The three
//     statement-level ways run on one async node-postgres connection with the same prepared rows in the same batches
//     (the group commit's 5,000 rows), so they differ only in how the rows reach the server. Fresh graph and re-crawl.
//  2. reconcile and report — the 100,000-connector × 5,000-entry graph of bench/reconcile-scale.ts built into SQLite,
//     `db copy`'d into PostgreSQL (src/graph/copy.ts), then on both, step by step alternately: reconcile in full, after
//     a crawl changing 1% of connectors (incremental), the next day (incremental, then in full), the report model and
//     the report files. Wall and CPU (this process; on PostgreSQL also the server backend's, from /proc).
//  3. workers — one `nhi-census worker` vs three over the same multi-tenant scenario (6 GitHub organisations, each its
//     own rate-limited simulator), each time one `run --distributed`; goal: three-worker wall ÷ one-worker ≤ 0.40.
//     Guarded: when the built CLI has no `worker` command or no `run --distributed`, it prints "skipped" and no figure.
// Server: NHI_TEST_POSTGRES_URL, or a throw-away cluster from Debian's binaries (test/helpers/postgres.ts).
// Run: node --import tsx bench/postgres-scale.ts [--scale 1] [--quick] [--parts ingest,reconcile,workers] [--trials 3]
//   --scale s: s × 100,000 connectors (× 5,000 entries) for reconcile/report, s × 20,000 connectors for ingest, s × the
//   workers' scenario; --quick is --scale 0.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import YAML from 'yaml';
import { buildGithubScenario } from '../scenarios/demo/github.ts';
import { copyGraph } from '../src/graph/copy.ts';
import { openDb, type Db } from '../src/graph/db.ts';
import { GroupCommit, type ListingWrites } from '../src/graph/group-commit.ts';
import { bindValues, translateSql } from '../src/graph/pg/sql-params.ts';
import { beginRun } from '../src/graph/runs.ts';
import { SetUpsert, type PreparedEdge, type PreparedNode } from '../src/graph/upsert-set.ts';
import { GraphWriter } from '../src/graph/writer.ts';
import { parseInventory } from '../src/inventory/load.ts';
import { reconcile } from '../src/reconcile/engine.ts';
import { buildReportModel } from '../reports/model.ts';
import { writeReport } from '../reports/write-report.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { forkChildSim, isChildSim, serveChildSim, type ChildSim } from './_lib/child-sim.ts';
import { figure } from './_lib/figures.ts';
import { PROVIDERS, scaleGraph } from './_lib/scale-graph.ts';

const { values } = parseArgs({ options: {
  scale: { type: 'string', default: '1' }, quick: { type: 'boolean', default: false }, parts: { type: 'string', default: 'ingest,reconcile,workers' },
  trials: { type: 'string', default: '3' }, 'sim-org': { type: 'string' }, 'sim-rate': { type: 'string' },
} });
const scale = values.quick ? 0.1 : Number(values.scale);
const parts = new Set(values.parts.split(','));
const TENANTS = 6;
const WORKER_SCALE = { repos: Math.max(20, Math.round(200 * scale)), members: Math.max(50, Math.round(500 * scale)), installations: 20, hooksPerRepo: 1, keysPerRepo: 1 };
/** Each organisation's simulator: this many REST calls per 2-second window (its token's own budget). */
const RATE = { limit: 40, windowMs: 2000 };

async function main(): Promise<void> {
  const server = await startPostgres();
  if ('skipped' in server) { console.log(server.skipped); return; }
  process.once('SIGINT', () => { void server.stop().finally(() => process.exit(130)); }); // an interrupted run leaves no server behind
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  /** Another database on the same server (one per part: each starts empty). */
  const database = async (name: string) => {
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(server.url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  try {
    if (parts.has('ingest')) await ingestPart(await database('bench_ingest'));
    if (parts.has('reconcile')) await reconcilePart(await database('bench_reconcile'));
    if (parts.has('workers')) await workersPart(database);
  } finally {
    await admin.end();
    await server.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

// ---------------------------------------------------------------------------------------------------------------
// 1. Ingest

/** COPY … FROM STDIN on a node-postgres client: a submittable (pg has the protocol messages but no API for them). */
function copyFrom(client: pg.Client, sql: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    void client.query({
      submit: (con: any) => con.query(sql),
      handleCopyInResponse: (con: any) => {
        for (let i = 0; i < data.length; i += 1 << 20) con.sendCopyFromChunk(Buffer.from(data.slice(i, i + (1 << 20))));
        con.endCopyFrom();
      },
      handleCommandComplete: () => {},
      handleError: reject, // the client forgets the query then: no ReadyForQuery comes to it
      handleReadyForQuery: resolve,
    } as never);
  });
}

/** One row of COPY's text format. */
const copyRow = (cols: unknown[]) => `${cols.map((v) => (v === null || v === undefined ? '\\N'
  : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'))).join('\t')}\n`;

/** The SQL SetUpsert runs on PostgreSQL, read from SetUpsert itself (so the comparison follows upsert-set.ts as it changes). */
function setUpsertSql(): Record<'nodesBefore' | 'upsertNodes' | 'edgesBefore' | 'upsertEdges', string> {
  const recorder = { dialect: 'postgres', prepare: (sql: string) => ({ sql }) } as unknown as Db;
  const s = (new SetUpsert(recorder, 0) as unknown as { s: Record<string, { sql: string }> }).s;
  return { nodesBefore: s.nodesBefore!.sql, upsertNodes: s.upsertNodes!.sql, edgesBefore: s.edgesBefore!.sql, upsertEdges: s.upsertEdges!.sql };
}

interface Batch { nodes: PreparedNode[]; edges: PreparedEdge[] }

async function ingestPart(url: string): Promise<void> {
  const N = Math.round(20_000 * scale);
  const graph = scaleGraph(N, Math.max(100, Math.round(5000 * scale)));
  // pages of 100 connectors, as a provider API pages them
  const pages = PROVIDERS.flatMap((p, pi) => graph.pages(pi, p, undefined, 100));
  const gdb = openDb(url, { postgres: true, noBackup: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // the same rows in the group commit's batches (flushed at 5,000 nodes and edges), each id once per batch as SetUpsert writes it
  const prep = new GraphWriter(gdb, beginRun(gdb, { providers: ['bench'], mode: 'full', version: 'bench' }));
  const batches: Batch[] = [];
  let nodes = new Map<string, PreparedNode>();
  let edges = new Map<string, PreparedEdge>();
  let queued = 0;
  const flush = () => { if (queued) batches.push({ nodes: [...nodes.values()], edges: [...edges.values()] }); nodes = new Map(); edges = new Map(); queued = 0; };
  for (const page of pages) {
    const p = prep.preparePage(page);
    for (const n of p.nodes) { if (n.ref || n.patch) throw new Error('the bench graph has no references or patches'); if (!nodes.has(n.id)) nodes.set(n.id, n); }
    for (const e of p.edges) if (!edges.has(e.id)) edges.set(e.id, e);
    queued += p.rows;
    if (queued >= 5000) flush();
  }
  flush();
  const rows = batches.reduce((a, b) => a + b.nodes.length + b.edges.length, 0);
  const emitted = pages.reduce((a, p) => a + p.emitted.nodes.length + p.emitted.edges.length, 0);
  console.log(`ingest: ${fmt(N)} connectors, ${pages.length} pages, ${fmt(emitted)} rows emitted, ${fmt(rows)} rows written in ${batches.length} batches`);

  const sql = setUpsertSql();
  const q = (text: string, args: unknown[]) => { const t = translateSql(text); return client.query(t.text, bindValues(t, args)); };
  const nodeCols = (n: PreparedNode) => [n.id, n.provider, n.kind, n.type, n.name, n.tenant, n.props, n.hash, n.source, n.parent_id];
  const edgeCols = (e: PreparedEdge) => [e.id, e.type, e.src, e.dst, e.provider, e.props, e.hash, e.source, e.parent_id];
  // staging: typed columns c0..c9 (c6 jsonb: props) in ON COMMIT DELETE ROWS temporary tables; the upsert is SetUpsert's,
  // reading them instead of jsonb_array_elements(@rows)
  const fromStage = (text: string, table: string, jsonbCol: number) => text
    .replace(/jsonb_array_elements\(@rows::jsonb\) AS t\(v\)/, `pg_temp.${table}`)
    .replace(new RegExp(`\\(v->>${jsonbCol}\\)::jsonb`), `c${jsonbCol}`)
    .replace(/v->>(\d+)/g, 'c$1');
  const stageNodes = fromStage(sql.upsertNodes, 'stage_nodes', 6);
  const stageEdges = fromStage(sql.upsertEdges, 'stage_edges', 5);
  if (/v->>|jsonb_array_elements/.test(stageNodes + stageEdges)) throw new Error('SetUpsert SQL changed shape: update fromStage');
  await client.query(`CREATE TEMP TABLE stage_nodes (ord int, c0 text, c1 text, c2 text, c3 text, c4 text, c5 text, c6 jsonb, c7 text, c8 text, c9 text) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE stage_edges (ord int, c0 text, c1 text, c2 text, c3 text, c4 text, c5 jsonb, c6 text, c7 text, c8 text) ON COMMIT DELETE ROWS;
    CREATE TABLE copy_nodes (LIKE nodes INCLUDING DEFAULTS INCLUDING IDENTITY); CREATE TABLE copy_edges (LIKE edges INCLUDING DEFAULTS INCLUDING IDENTITY)`);
  const stageNodesBefore = `SELECT s.ord AS i, n.id, n.name, n.props, n.removed_run FROM pg_temp.stage_nodes s LEFT JOIN nodes n ON n.id = s.c0
    WHERE n.id IS NULL OR n.removed_run IS NOT NULL OR n.props_hash IS DISTINCT FROM s.c7 OR n.name IS DISTINCT FROM s.c4`;
  const stageEdgesBefore = `SELECT s.ord AS i, e.id, e.props, e.removed_run FROM pg_temp.stage_edges s LEFT JOIN edges e ON e.id = s.c0
    WHERE e.id IS NULL OR e.removed_run IS NOT NULL OR e.props_hash IS DISTINCT FROM s.c6`;

  const at = new Date().toISOString();
  let run = 1000;
  const empty = () => client.query('TRUNCATE nodes, edges, change_log, copy_nodes, copy_edges CASCADE');
  const timed = async (fn: () => unknown) => { const t = performance.now(); await fn(); return rows / ((performance.now() - t) / 1000); };
  const inTx = async (fn: () => Promise<void>) => { await client.query('BEGIN'); await fn(); await client.query('COMMIT'); };

  /** Today's page writes, whole: GraphWriter (masking, canonical JSON, hashes, history, scope grades) through the group commit and the sync driver. */
  const writer = () => {
    const w = new GraphWriter(gdb, beginRun(gdb, { providers: ['bench'], mode: 'full', version: 'bench' }));
    const commit = new GroupCommit(gdb, w);
    const listings = new Map<string, ListingWrites>();
    for (const page of pages) {
      const l = listings.get(page.scope) ?? listings.set(page.scope, commit.listing(page.scope, (err) => { throw err; })).get(page.scope)!;
      commit.page(l, page);
    }
    commit.close();
  };
  /** SetUpsert's statements: before-read and upsert per table, rows as one jsonb array parameter. */
  const setWise = async () => {
    const r = ++run;
    for (const b of batches) await inTx(async () => {
      await q(sql.nodesBefore, [JSON.stringify(b.nodes.map((n) => [n.id, 0, n.hash, n.name]))]);
      await q(sql.upsertNodes, [{ rows: JSON.stringify(b.nodes.map(nodeCols)), run: r, at }]);
      await q(sql.edgesBefore, [JSON.stringify(b.edges.map((e) => [e.id, e.hash]))]);
      await q(sql.upsertEdges, [{ rows: JSON.stringify(b.edges.map(edgeCols)), run: r, at }]);
    });
  };
  /** The same, the rows COPY'd into the staging tables first. */
  const staging = async () => {
    const r = ++run;
    for (const b of batches) await inTx(async () => {
      await copyFrom(client, 'COPY pg_temp.stage_nodes FROM STDIN', b.nodes.map((n, i) => copyRow([i, ...nodeCols(n)])).join(''));
      await client.query(stageNodesBefore);
      await q(stageNodes, [{ run: r, at }]);
      await copyFrom(client, 'COPY pg_temp.stage_edges FROM STDIN', b.edges.map((e, i) => copyRow([i, ...edgeCols(e)])).join(''));
      await client.query(stageEdgesBefore);
      await q(stageEdges, [{ run: r, at }]);
    });
  };
  /** The ceiling: the same rows, every column, COPY'd into tables without keys or indexes, one transaction. */
  const ceiling = async () => {
    await client.query('TRUNCATE copy_nodes, copy_edges');
    await inTx(async () => {
      await copyFrom(client, `COPY copy_nodes (id, provider, kind, type, name, tenant, props, props_hash, source, parent_id, first_seen_run, last_seen_run,
          first_seen_at, last_seen_at, changed_run) FROM STDIN`, batches.flatMap((b) => b.nodes.map((n) => copyRow([...nodeCols(n), 1, 1, at, at, 1]))).join(''));
      await copyFrom(client, `COPY copy_edges (id, type, src, dst, provider, props, props_hash, source, parent_id, first_seen_run, last_seen_run,
          first_seen_at, last_seen_at, changed_run) FROM STDIN`, batches.flatMap((b) => b.edges.map((e) => copyRow([...edgeCols(e), 1, 1, at, at, 1]))).join(''));
    });
  };

  const r = { writer: [] as number[], writerRe: [] as number[], setWise: [] as number[], setWiseRe: [] as number[], staging: [] as number[], stagingRe: [] as number[], ceiling: [] as number[] };
  // warm every path once, checking that each leaves the same graph
  const graphRows = async () => Number((await client.query('SELECT (SELECT count(*) FROM nodes) + (SELECT count(*) FROM edges) AS n')).rows[0].n);
  const left: number[] = [];
  for (const path of [writer, setWise, staging]) { await empty(); await path(); left.push(await graphRows()); }
  if (new Set(left).size !== 1) throw new Error(`the ingest paths leave different graphs: ${left.join(', ')} rows`);
  await ceiling();
  for (let trial = 0; trial < Number(values.trials); trial++) {
    await empty();
    r.writer.push(await timed(writer));
    r.writerRe.push(await timed(writer));
    await empty();
    r.setWise.push(await timed(setWise));
    r.setWiseRe.push(await timed(setWise));
    await empty();
    r.staging.push(await timed(staging));
    r.stagingRe.push(await timed(staging));
    r.ceiling.push(Math.max(await timed(ceiling), await timed(ceiling))); // the better of two: a ceiling is a best case
    console.log(`trial ${trial + 1} (rows/s, fresh / re-crawl): writer ${fmt(r.writer.at(-1)!)} / ${fmt(r.writerRe.at(-1)!)}; set-wise statement `
      + `${fmt(r.setWise.at(-1)!)} / ${fmt(r.setWiseRe.at(-1)!)}; COPY staging ${fmt(r.staging.at(-1)!)} / ${fmt(r.stagingRe.at(-1)!)}; COPY ceiling ${fmt(r.ceiling.at(-1)!)}`);
  }
  const m = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)])) as Record<keyof typeof r, number>;
  const note = `median of ${values.trials}; ${fmt(rows)} rows, ${batches.length} batches; ceiling ${fmt(m.ceiling)} rows/s`;
  figure({ bench: 'postgres-scale', figure: 'PG ingest: graph writer ÷ COPY ceiling (fresh graph)', value: m.writer / m.ceiling, unit: '×',
    note: `${note}; writer ${fmt(m.writer)} rows/s, re-crawl ${fmt(m.writerRe)}` });
  figure({ bench: 'postgres-scale', figure: 'PG ingest: set-wise INSERT … ON CONFLICT ÷ COPY ceiling', value: m.setWise / m.ceiling, unit: '×',
    note: `${note}; ${fmt(m.setWise)} rows/s, re-crawl ${fmt(m.setWiseRe)}` });
  figure({ bench: 'postgres-scale', figure: 'PG ingest: COPY staging + INSERT … ON CONFLICT ÷ COPY ceiling', value: m.staging / m.ceiling, unit: '×',
    note: `${note}; ${fmt(m.staging)} rows/s, re-crawl ${fmt(m.stagingRe)}` });
  const gain = m.staging / m.setWise;
  figure({ bench: 'postgres-scale', figure: 'PG ingest: COPY staging ÷ set-wise (fresh; > 1.5 would justify the change)', value: gain, unit: '×',
    note: `re-crawl ${(m.stagingRe / m.setWiseRe).toFixed(2)}×; decision: ${gain > 1.5 ? 'COPY staging' : 'keep the set-wise INSERT'}` });
  await client.end();
  gdb.close();
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Reconcile and report, SQLite beside PostgreSQL

/** CPU seconds of a process (user + system), from /proc; null when unreadable (a server elsewhere). */
function procCpuS(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime (fields 14 and 15) in clock ticks, 100 per second on Linux
  } catch { return null; }
}

interface Step { wallS: number; cpuS: number; serverCpuS: number | null }

async function reconcilePart(url: string): Promise<void> {
  const N = Math.round(100_000 * scale);
  const E = Math.round(5_000 * scale);
  const graph = scaleGraph(N, E);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pg-scale-'));
  try {
    const sdb = openDb(path.join(dir, 'bench.db'), { noBackup: true });
    let t = performance.now();
    for (const [pi, provider] of PROVIDERS.entries()) graph.crawlProvider(sdb, pi, provider);
    console.log(`reconcile: graph of ${fmt(N)} connectors built into SQLite in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const pdb = openDb(url, { postgres: true, noBackup: true });
    t = performance.now();
    const copied = copyGraph(sdb, pdb);
    const copyS = (performance.now() - t) / 1000;
    const copiedRows = copied.tables.reduce((a, x) => a + x.rows, 0);
    console.log(`db copy into PostgreSQL: ${fmt(copiedRows)} rows in ${copyS.toFixed(1)} s (${fmt(copiedRows / copyS)} rows/s, verified)`);
    const inv = parseInventory('bench-inventory.yaml', graph.inventoryYaml());
    const backendPid = (pdb.prepare('SELECT pg_backend_pid() AS pid').get() as { pid: number }).pid;
    const backends = [{ name: 'sqlite', db: sdb, pid: null as number | null }, { name: 'postgres', db: pdb, pid: backendPid }] as const;
    const measure = (b: (typeof backends)[number], fn: (db: Db) => unknown): Step => {
      const s0 = b.pid === null ? null : procCpuS(b.pid);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      fn(b.db);
      const c = process.cpuUsage(c0);
      const s1 = b.pid === null ? null : procCpuS(b.pid);
      return { wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6, serverCpuS: s0 === null || s1 === null ? null : s1 - s0 };
    };
    const now = new Date('2026-11-23T00:00:00Z');
    const nextDay = new Date(now.getTime() + 86_400_000);
    // the report covers the month the crawls and reconciliations were recorded in (the real clock)
    const reportNow = new Date();
    const report = { month: reportNow.toISOString().slice(0, 7), organisation: 'Bench Corp', now: reportNow };
    const steps: Array<[string, (db: Db) => unknown]> = [
      ['reconcile in full (first run)', (db) => reconcile(db, inv, { now })],
      ['crawl changing 1% of connectors', (db) => graph.crawlProvider(db, 0, 'github', (n) => n % 100 === 7)],
      ['reconcile after it (incremental)', (db) => reconcile(db, inv, { now })],
      ['reconcile the next day (incremental)', (db) => reconcile(db, inv, { now: nextDay })],
      ['reconcile the next day in full', (db) => reconcile(db, inv, { now: nextDay, full: true })],
      ['report model', (db) => buildReportModel(db, report)],
      ['report files', (db) => writeReport(db, path.join(dir, `out-${db === sdb ? 'sqlite' : 'pg'}`), { ...report, force: true })],
    ];
    const scaleName = `${N.toLocaleString('en')} × ${E.toLocaleString('en')}`;
    const show = (s: Step) => `${s.wallS.toFixed(2)} s wall, CPU ${s.cpuS.toFixed(2)} s${s.serverCpuS === null ? '' : ` + server ${s.serverCpuS.toFixed(2)} s`}`;
    for (const [name, fn] of steps) {
      const [sq, pq] = backends.map((b) => measure(b, fn)) as [Step, Step];
      console.log(`${name}: SQLite ${show(sq)}; PostgreSQL ${show(pq)}`);
      figure({ bench: 'postgres-scale', figure: `${name}, ${scaleName}: PostgreSQL ÷ SQLite (wall)`, value: pq.wallS / sq.wallS, unit: '×',
        note: `SQLite ${show(sq)}; PostgreSQL ${show(pq)}` });
    }
    const open = (db: Db) => (db.prepare("SELECT count(*) AS n FROM findings WHERE status IN ('new', 'persisting')").get() as { n: number }).n;
    console.log(`open findings: SQLite ${open(sdb)}, PostgreSQL ${open(pdb)}`);
    if (open(sdb) !== open(pdb)) throw new Error('the two backends disagree on the open findings');
    sdb.close();
    pdb.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. One worker vs three

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A fresh build of the CLI for the spawned processes (the tests' way: test/global-setup.ts), or why there is none to use. */
function buildCli(): { dist: string } | { skipped: string } {
  // inside the checkout, as the tests' build (test/.tmp): the built modules resolve their packages from its node_modules
  const dist = path.join(ROOT, 'test/.tmp', `bench-dist-${process.pid}`);
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), dist], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) return { skipped: `skipped: the CLI does not build (${b.stderr.trim().split('\n').at(-1)})` };
  const help = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/nhi-census.js'), ...args, '--help'],
    { env: { ...process.env, NHI_CENSUS_DIST: dist }, encoding: 'utf8' }).stdout ?? '';
  if (!/^\s+worker\b/m.test(help([])) || !help(['worker']).includes('--db')) return { skipped: 'skipped: worker command not available' };
  if (!help(['run']).includes('--distributed')) return { skipped: 'skipped: run --distributed not available' };
  return { dist };
}

async function workersPart(database: (name: string) => Promise<string>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pg-workers-'));
  const sims: ChildSim[] = [];
  const cli = buildCli();
  try {
    if ('skipped' in cli) { console.log(`workers: ${cli.skipped}`); return; }
    for (let i = 0; i < TENANTS; i++) sims.push(await forkChildSim(process.argv[1]!, ['--sim-org', `tenant-${i + 1}`, '--sim-rate', JSON.stringify(RATE), '--scale', String(scale)]));
    const env = { ...process.env, ...sims[0]!.env, NHI_CENSUS_DIST: cli.dist }; // the simulators accept any key and token
    const config = path.join(dir, 'nhi-census.yaml');
    fs.writeFileSync(config, YAML.stringify({
      organisation: 'Bench Corp', inventory: path.join(ROOT, 'scenarios/demo/inventory.yaml'), report: { dir: path.join(dir, 'reports') },
      retry: { maxRetries: 20 }, providers: { github: sims.map((s) => s.config) },
    }));
    const cliArgs = (args: string[]) => [path.join(ROOT, 'bin/nhi-census.js'), ...args];
    const walls: Record<number, number> = {};
    const crawlWalls: Record<number, number> = {};
    for (const workers of [1, 3]) {
      const url = await database(`bench_workers_${workers}`);
      const procs: ChildProcess[] = Array.from({ length: workers }, (_, i) => spawn(process.execPath,
        cliArgs(['--log-format', 'json', 'worker', '--db', url, '-c', config, '--idle-exit', '600']), { env: { ...env, NHI_BENCH_WORKER: String(i + 1) }, stdio: ['ignore', 'ignore', 'pipe'] }));
      try {
        // workers are standing services: the run is timed from when every one of them is up and polling
        await Promise.all(procs.map((p) => workerReady(p)));
        const t0 = performance.now();
        const run = spawn(process.execPath, cliArgs(['--log-format', 'json', 'run', '--distributed', '--db', url, '-c', config, '--deadline', '1800']), { env, stdio: ['ignore', 'pipe', 'pipe'] });
        run.stdout!.on('data', () => {}); // progress lines, not needed
        const marks: Record<string, number> = {}; // when the run logged that the jobs were enqueued / all finished
        let tail = '';
        run.stderr!.on('data', (chunk: Buffer) => {
          const lines = (tail + chunk.toString('utf8')).split('\n');
          tail = lines.pop()!;
          for (const l of lines) {
            const m = /"msg":"(crawl jobs enqueued|crawl jobs finished)"/.exec(l);
            if (m) marks[m[1]!] = performance.now();
            else if (/"level":"(warn|error)"/.test(l)) process.stderr.write(`${l}\n`);
          }
        });
        const code = await new Promise<number | null>((resolve) => run.on('close', resolve));
        walls[workers] = (performance.now() - t0) / 1000;
        crawlWalls[workers] = ((marks['crawl jobs finished'] ?? NaN) - (marks['crawl jobs enqueued'] ?? NaN)) / 1000;
        console.log(`workers: ${workers} worker(s), ${TENANTS} tenants: run --distributed exited ${code} after ${walls[workers]!.toFixed(1)} s (crawl jobs ${crawlWalls[workers]!.toFixed(1)} s)`);
        if (code !== 0) throw new Error(`run --distributed exited ${code} with ${workers} worker(s)`);
      } finally {
        for (const p of procs) p.kill('SIGTERM');
        await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((resolve) => p.on('exit', resolve)) : undefined)));
      }
    }
    figure({ bench: 'postgres-scale', figure: `run --distributed, ${TENANTS} rate-limited tenants: three workers ÷ one (wall)`, value: walls[3]! / walls[1]!, unit: '×',
      goal: ['<=', 0.4], note: `one worker ${walls[1]!.toFixed(1)} s, three ${walls[3]!.toFixed(1)} s; ${RATE.limit} calls per ${RATE.windowMs / 1000} s per tenant` });
    // the same two runs from enqueue to the last job's end: the crawl work the workers share, without the one
    // reconcile + report and process start-up both runs pay once (ideal: ⌈tenants ÷ 3⌉ ÷ tenants)
    figure({ bench: 'postgres-scale', figure: `run --distributed, ${TENANTS} rate-limited tenants: crawl jobs, three workers ÷ one (wall)`, value: crawlWalls[3]! / crawlWalls[1]!, unit: '×',
      goal: ['<=', 0.4], note: `one worker ${crawlWalls[1]!.toFixed(1)} s, three ${crawlWalls[3]!.toFixed(1)} s; ideal ${(Math.ceil(TENANTS / 3) / TENANTS).toFixed(2)}` });
  } finally {
    await Promise.all(sims.map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
    if ('dist' in cli) fs.rmSync(cli.dist, { recursive: true, force: true });
  }
}

/** Resolves once a worker logs that it started (its JSON log on stderr); its later lines are drained unread. */
function workerReady(p: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (/"msg":"worker started"/.test(seen)) { seen = ''; p.stderr!.off('data', onData); p.stderr!.on('data', () => {}); resolve(); }
      else if (seen.length > 1_000_000) seen = seen.slice(-10_000);
    };
    p.stderr!.on('data', onData);
    p.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it started: ${seen.slice(-2000)}`)));
  });
}

// last: everything above is initialised by now
if (isChildSim()) { // a workers-part simulator: one organisation of the multi-tenant scenario, rate-limited
  const org = values['sim-org']!;
  const scenario = JSON.parse(JSON.stringify(buildGithubScenario(WORKER_SCALE)).replaceAll('halcyon-logistics', org));
  scenario.rateLimit = JSON.parse(values['sim-rate']!);
  await serveChildSim('github', scenario);
} else {
  await main();
}
