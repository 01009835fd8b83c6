// Distributed crawling on a real PostgreSQL server (issue 18): `run --distributed` enqueues one job per configured
// (provider, tenant), `worker` processes crawl them, and the run reconciles and reports once. Three GitHub orgs (a
// list of three provider blocks, each its own simulator serving a variant of the demo org whose ids do not collide)
// beside the demo's Azure tenant, Google domain and Slack workspace — one tenant each: their simulators serve one
// tenant, and variants of those scenarios with disjoint ids are not built yet. One org's simulator is slow; the worker
// crawling it is SIGKILLed mid-crawl: its job is requeued when its lease runs out and crawled by another worker, its
// run is left 'interrupted', nothing is removed on its strength, and every tenant completes. The graph (nodes and what
// is marked removed) and the open findings equal a single-process SQLite `run` over the same simulators. With a
// deadline and no worker for most providers, the jobs left are cancelled, the run is partial (exit 3) and the
// uncrawled tenants are reported as not covered.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import YAML from 'yaml';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import type { JobRow } from '../../src/graph/jobs.ts';
import type { Scenario } from '../../src/simulator/scenario.ts';
import { startScenario, type RunningSimulators } from '../../src/simulator/start-all.ts';
import type { SimulatorHandle } from '../../src/simulator/server.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import { cli, spawnCli, until, type CliResult } from '../ops/helpers.ts';
import { startPostgres, type PostgresOrSkip } from '../helpers/postgres.ts';

let server: PostgresOrSkip;
const extra: Array<{ url: string; stop(): Promise<void> }> = [];
const dir = path.resolve('test/.tmp', `distributed-${process.pid}`);
const sims: RunningSimulators[] = [];
let env: Record<string, string> = {};
let providers: Record<string, unknown> = {};
let slowOrg: SimulatorHandle;
const ORGS = ['north', 'south', 'east'];

/** The demo org as org `k`: its login and member logins suffixed, every numeric id moved by k million (no collisions). */
function orgVariant(base: unknown, k: number): unknown {
  const gh = base as { org: { login: string }; members?: Array<{ login: string }>; outsideCollaborators?: Array<{ login: string }> };
  const login = `${gh.org.login}-${ORGS[k]}`;
  let text = JSON.stringify(base).replaceAll(gh.org.login, login);
  for (const u of [...(gh.members ?? []), ...(gh.outsideCollaborators ?? [])]) text = text.replaceAll(`"${u.login}"`, `"${u.login}-${ORGS[k]}"`);
  const shift = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => shift(x, ''));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([kk, x]) => [kk, shift(x, kk)]));
    return typeof v === 'number' && Number.isInteger(v) && (key === 'id' || key.endsWith('_id')) ? v + (k + 1) * 1_000_000 : v;
  };
  return shift(JSON.parse(text), '');
}

async function freshDatabaseOn(url: string): Promise<{ url: string; stop(): Promise<void> }> {
  const name = `nhi_dist_${process.pid}_${extra.length}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { await c.query(`CREATE DATABASE ${name}`); } finally { await c.end(); }
  const u = new URL(url); u.pathname = `/${name}`;
  const db = { url: u.toString(), async stop() {
    const d = new pg.Client({ connectionString: url });
    await d.connect();
    try { await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } finally { await d.end(); }
  } };
  extra.push(db);
  return db;
}

beforeAll(async () => {
  server = await startPostgres();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const specs = await loadConnectors();
  const demo = buildDemoScenario();
  const rest = await startScenario(demo, specs, { only: ['azure', 'google', 'slack'] });
  sims.push(rest);
  const github: unknown[] = [];
  for (const k of ORGS.keys()) {
    const s = await startScenario({ name: `org ${k}`, github: orgVariant(demo.github, k) } as Scenario, specs, { only: ['github'] });
    sims.push(s);
    github.push(s.providers.github);
    Object.assign(env, s.env);
    if (k === 1) slowOrg = s.handles.get('github')!;
  }
  env = { ...env, ...rest.env };
  providers = { ...rest.providers, github };
}, 180_000);

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  for (const d of extra) await d.stop();
  if ('url' in server) await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const urlOf = (ctx: TestContext): string | null => {
  if ('skipped' in server) { console.warn(server.skipped); ctx.skip(); return null; }
  return server.url;
};

function writeConfig(name: string, database: string): string {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, YAML.stringify({ database, organisation: 'Halcyon Logistics', inventory: DEMO_INVENTORY, providers,
    report: { dir: path.join(dir, `reports-${name}`) } }));
  return file;
}

const jobsOf = (db: Db): JobRow[] => db.prepare<[], JobRow>('SELECT * FROM crawl_jobs ORDER BY id').all();
const logLines = (r: CliResult): Array<Record<string, unknown>> => r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
const WORKER = ['--log-format', 'json', 'worker', '--lease', '6', '--poll', '200', '--wait', '30'];

describe('run --distributed with worker processes', () => {
  it('every tenant is crawled once by some worker, a SIGKILLed worker\'s job is retried elsewhere, and the result equals a SQLite run', async (ctx) => {
    const url = urlOf(ctx);
    if (!url) return;
    const config = writeConfig('pg', url);
    const workers = [0, 1, 2].map(() => spawnCli([...WORKER, '-c', config, '--db', url], env));
    let db: Db | undefined;
    try {
      // the second org answers slowly until its first crawler is killed
      slowOrg.setFaults([{ route: '*', kind: 'delay', delayMs: 400 }]);
      const run = spawnCli(['--log-format', 'json', 'run', '--distributed', '-c', config, '--db', url, '--report'], env);
      db = openDb(url, { postgres: true });
      const pgDb = db;
      const slowTenant = `halcyon-logistics-${ORGS[1]}`;
      let victim: JobRow | undefined;
      await until(() => {
        try { victim = jobsOf(pgDb).find((j) => j.tenant === slowTenant && j.status === 'running' && j.run_id !== null); } catch { /* not migrated yet */ }
        return victim !== undefined && (slowOrg.faults[0]?.fired ?? 0) >= 3;
      }, 'the slow org being crawled', 120_000);
      const killed = workers.find((w) => w.child.pid === victim!.worker_pid)!;
      expect(killed, `worker pid ${victim!.worker_pid} is one of ours`).toBeDefined();
      killed.child.kill('SIGKILL');
      expect((await killed.done).signal).toBe('SIGKILL');
      slowOrg.setFaults([]);

      const r = await run.done;
      expect(r.code, r.stderr.slice(-3000)).toBe(0);
      expect(r.stdout).toMatch(/run \d+: exit 0/);
      const jobs = jobsOf(db);
      expect(jobs.map((j) => `${j.provider}:${j.tenant}`).sort()).toEqual(
        ['azure', 'google', 'slack'].flatMap((p) => jobs.filter((j) => j.provider === p).map((j) => `${p}:${j.tenant}`))
          .concat(ORGS.map((o) => `github:halcyon-logistics-${o}`)).sort());
      expect(jobs).toHaveLength(6);
      expect(jobs.every((j) => j.status === 'done' && j.exit_status === 'complete'), JSON.stringify(jobs)).toBe(true);
      const retried = jobs.find((j) => j.id === victim!.id)!;
      expect(retried.attempts).toBe(2);
      expect(retried.worker_pid).not.toBe(victim!.worker_pid);
      expect(retried.run_id).not.toBe(victim!.run_id);
      // the killed worker's run: interrupted, nothing left running, nothing removed on its strength
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').get(victim!.run_id)).toEqual({ status: 'interrupted' });
      expect(db.prepare("SELECT count(*) AS n FROM run_resources WHERE run_id = ? AND status = 'running'").get(victim!.run_id)).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM nodes WHERE removed_run = ?').get(victim!.run_id)).toEqual({ n: 0 });
      // the run logged which worker held which job as it changed: the killed one, then another
      const lines = logLines(r);
      // (a poll may miss a whole attempt on a loaded machine: each line names the holder before, from the row)
      const seen = lines.filter((l) => (l.msg === 'job running' || l.msg === 'job done') && l.job === victim!.id);
      expect(seen.map((l) => l.worker).every((w) => w === victim!.worker || w === retried.worker)).toBe(true);
      expect(seen.at(-1)).toMatchObject({ msg: 'job done', worker: retried.worker, attempt: 2, previous_worker: victim!.worker });
      expect(retried.previous_worker).toBe(victim!.worker);
      expect(new Set(lines.filter((l) => l.msg === 'job running' || l.msg === 'job done').map((l) => l.worker)).size).toBeGreaterThanOrEqual(2);
      // the row holds what to crawl, never a credential of the workers' environment
      const rows = JSON.stringify(jobs);
      for (const v of Object.values(env).filter((v) => v.length >= 8)) expect(rows).not.toContain(v);

      // the same scenario crawled by one process into SQLite
      const liteFile = path.join(dir, 'single.db');
      const single = await cli(['--log-format', 'json', 'run', '-c', writeConfig('lite', liteFile), '--report'], env);
      expect(single.code, single.stderr.slice(-3000)).toBe(0);
      const lite = openDb(liteFile, { readonly: true });
      try {
        const nodes = (d: Db) => d.prepare("SELECT id, CASE WHEN removed_run IS NULL THEN 'live' ELSE 'removed' END AS state FROM nodes ORDER BY id").all();
        const pgNodes = nodes(db);
        expect(pgNodes.length).toBeGreaterThan(300);
        expect(pgNodes).toEqual(nodes(lite));
        expect(db.prepare('SELECT count(*) AS n FROM nodes WHERE removed_run IS NOT NULL').get()).toEqual({ n: 0 });
        const open = (d: Db) => d.prepare("SELECT id, severity FROM findings WHERE status IN ('new', 'persisting') ORDER BY id").all();
        expect(open(db).length).toBeGreaterThan(10);
        expect(open(db)).toEqual(open(lite));
        const tenants = (d: Db) => d.prepare("SELECT DISTINCT provider, tenant FROM run_resources rr JOIN runs r ON r.id = rr.run_id WHERE r.status = 'complete' ORDER BY 1, 2").all();
        expect(tenants(db)).toEqual(tenants(lite));
      } finally { lite.close(); }

      // idle workers stop on SIGTERM with exit 0
      for (const w of workers.filter((x) => x !== killed)) w.child.kill('SIGTERM');
      const survivors = await Promise.all(workers.filter((x) => x !== killed).map((w) => w.done));
      expect(survivors.map((w) => w.code)).toEqual([0, 0]);
      // whoever noticed first (a worker or the run) requeued the job, naming the silent holder
      const requeue = [...lines, ...survivors.flatMap(logLines)].filter((l) => l.msg === 'job requeued: its worker stopped heartbeating' && l.job === victim!.id);
      expect(requeue.map((l) => l.holder)).toEqual([victim!.worker]);
    } finally {
      db?.close();
      slowOrg.setFaults([]);
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    }
  }, 300_000);

  it('a deadline cancels the jobs no worker took: the run is partial (exit 3) and their tenants are reported as not covered', async (ctx) => {
    const base = urlOf(ctx);
    if (!base) return;
    const { url } = await freshDatabaseOn(base);
    const config = writeConfig('deadline', url);
    const worker = spawnCli([...WORKER, '-c', config, '--db', url, '-p', 'slack'], env); // only Slack is crawled
    try {
      const r = await cli(['--log-format', 'json', 'run', '--distributed', '--deadline', '8', '-c', config, '--db', url, '--report'], env);
      expect(r.code, r.stderr.slice(-3000)).toBe(3);
      const db = openDb(url, { postgres: true });
      try {
        const jobs = jobsOf(db);
        expect(jobs.map((j) => [j.provider, j.status])).toEqual(expect.arrayContaining([['slack', 'done'], ['azure', 'cancelled'], ['google', 'cancelled']]));
        expect(jobs.filter((j) => j.provider === 'github').map((j) => j.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
        expect(jobs.find((j) => j.provider === 'azure')!.error).toBe('deadline of 8 s passed');
        expect(db.prepare("SELECT step, status FROM run_steps WHERE step = 'crawl'").get()).toEqual({ step: 'crawl', status: 'partial' });
      } finally { db.close(); }
      expect(logLines(r).filter((l) => l.msg === 'job cancelled').length).toBe(5);
      const month = fs.readdirSync(path.join(dir, 'reports-deadline'))[0]!;
      const report = fs.readFileSync(path.join(dir, 'reports-deadline', month, 'report.md'), 'utf8');
      for (const p of ['github', 'azure', 'google']) expect(report).toMatch(new RegExp(`${p}[^\\n]*not covered|${p}[^\\n]*nothing about ${p} is covered`));
      expect(report).not.toMatch(/slack[^\n]*nothing about slack is covered/);
    } finally {
      worker.child.kill('SIGTERM');
      expect((await worker.done).code).toBe(0);
    }
  }, 180_000);
});
