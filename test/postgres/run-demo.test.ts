// run, demo and inventory draft on PostgreSQL (issue 18): `demo --db postgres://…` writes the same report as the demo
// into a SQLite file at the same (frozen) clock, and refuses a database that already holds a graph; `inventory draft`
// from PostgreSQL is the SQLite file's draft and never writes a password from the URL; `run` against the demo
// simulators (crawl, reconcile, report, alerts) completes on PostgreSQL with the same steps, findings and alerts as
// on SQLite, through executeRun and through the CLI (no database-folder check for a URL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type TestContext } from 'vitest';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { executeRun } from '../../src/cli/run.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import { createLogger } from '../../src/util/log.ts';
import { runMain } from '../cli/run-main.ts';
import { startOpsEnv, startReceiver, type OpsEnv, type Receiver } from '../ops/helpers.ts';
import { startPostgres, type PostgresOrSkip } from '../helpers/postgres.ts';

let servers: PostgresOrSkip[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pg-run-'));
beforeAll(async () => {
  // one server; a second database on it for the run test (the demo database is not empty any more)
  const first = await startPostgres();
  servers = [first];
  if ('url' in first) {
    const extra = await freshDatabaseOn(first.url);
    servers.push(extra);
  }
}, 120_000);
afterAll(async () => {
  for (const s of [...servers].reverse()) if ('url' in s) await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Another empty database on the same server (created with plain pg: the graph layer is under test). */
async function freshDatabaseOn(url: string): Promise<PostgresOrSkip> {
  const pg = (await import('pg')).default;
  const name = `nhi_run_${process.pid}_${Date.now()}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { await c.query(`CREATE DATABASE ${name}`); } finally { await c.end(); }
  const u = new URL(url); u.pathname = `/${name}`;
  return { url: u.toString(), async stop() {
    const d = new pg.Client({ connectionString: url });
    await d.connect();
    try { await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } finally { await d.end(); }
  } };
}

const urlOf = (ctx: TestContext, i = 0): string | null => {
  const s = servers[i];
  if (!s || 'skipped' in s) { console.warn(s && 'skipped' in s ? s.skipped : 'PostgreSQL suite skipped'); ctx.skip(); return null; }
  return s.url;
};

/** `nhi-census <args>` with the wall clock stopped at `at` (both backends write the same times). */
async function runAt(at: Date, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try { return await runMain(args); } finally { vi.useRealTimers(); }
}

function openFindings(db: Db): Array<Record<string, unknown>> {
  return db.prepare("SELECT id, severity, status FROM findings WHERE status IN ('new','persisting') ORDER BY id").all() as Array<Record<string, unknown>>;
}

function compareDbs(lite: string, url: string, fn: (db: Db) => unknown): { a: unknown; b: unknown } {
  const a = openDb(lite, { readonly: true });
  const b = openDb(url, { readonly: true, postgres: true });
  try { return { a: fn(a), b: fn(b) }; } finally { a.close(); b.close(); }
}

const lite = path.join(dir, 'demo.db');
const outs = { lite: path.join(dir, 'demo-lite'), pg: path.join(dir, 'demo-pg') };

describe('demo and inventory draft on PostgreSQL', () => {
  it('demo --db postgres://… writes the same report as into the SQLite file, and refuses a database holding a graph', async (ctx) => {
    const url = urlOf(ctx);
    if (!url) return;
    const at = new Date();
    const a = await runAt(at, ['demo', '--db', lite, '--out', outs.lite, '--log-format', 'json']);
    expect(a.code, a.stderr.slice(-2000)).toBe(0);
    const b = await runAt(at, ['demo', '--db', url, '--out', outs.pg, '--log-format', 'json']);
    expect(b.code, b.stderr.slice(-2000)).toBe(0);
    expect(b.stdout).not.toContain(outs.lite);
    for (const f of ['report.md', 'findings.csv', 'connectors.csv', 'report.json']) {
      // the same text but for the folder each demo wrote (the dated demo inventory beside the report)
      const [x, y] = [outs.lite, outs.pg].map((o) => fs.readFileSync(path.join(o, f), 'utf8').replaceAll(o, '<out>'));
      expect(y, f).toEqual(x);
    }
    const { a: fa, b: fb } = compareDbs(lite, url, openFindings);
    expect((fa as unknown[]).length).toBeGreaterThan(0);
    expect(fb).toEqual(fa);
    const { a: ca, b: cb } = compareDbs(lite, url, (db) => db.prepare('SELECT count(*) AS n FROM connectors').get());
    expect(cb).toEqual(ca);
    // the month back: history shifted on both alike (the demo dates last month's crawl a month back)
    const { a: ra, b: rb } = compareDbs(lite, url, (db) => db.prepare('SELECT id, started_at, finished_at FROM runs ORDER BY id').all());
    expect(rb).toEqual(ra);

    // a second demo into the same database: refused (exit 7), nothing written — the demo never wipes a server's graph
    const runsBefore = compareDbs(lite, url, (db) => db.prepare('SELECT count(*) AS n FROM runs').get()).b;
    const again = await runMain(['demo', '--db', url, '--out', path.join(dir, 'demo-pg-2')]);
    expect(again.code).toBe(7);
    expect(again.stderr).toMatch(/already holds a graph/);
    expect(compareDbs(lite, url, (db) => db.prepare('SELECT count(*) AS n FROM runs').get()).b).toEqual(runsBefore);
  }, 240_000);

  it('inventory draft from PostgreSQL is the SQLite draft, and never writes the password in the URL', async (ctx) => {
    const url = urlOf(ctx);
    if (!url) return;
    if (!fs.existsSync(lite)) { ctx.skip(); return; } // needs the demo databases of the previous test
    const u = new URL(url);
    const password = u.password || 'pw-never-written-4c9e1b';
    u.password = password; // the test server trusts loopback: a password is accepted and ignored
    const withPassword = u.toString();
    const outFile = path.join(dir, 'draft-pg.yaml');
    const pg = await runMain(['inventory', 'draft', '--db', withPassword, '-o', outFile]);
    expect(pg.code, pg.stderr).toBe(0);
    const lt = await runMain(['inventory', 'draft', '--db', lite]);
    expect(lt.code, lt.stderr).toBe(0);
    const text = fs.readFileSync(outFile, 'utf8');
    for (const s of [text, pg.stdout, pg.stderr]) expect(s).not.toContain(password);
    expect(text).toMatch(/from postgres:\/\/nhi@127\.0\.0\.1:\d+\/|from postgres(ql)?:\/\/[^:@/]+@/);
    const strip = (s: string) => s.replace(/ from \S+?\.(\n|$)/, ' from <db>.$1');
    expect(strip(text).trim()).toEqual(strip(lt.stdout).trim());
  }, 60_000);
});

describe('run on PostgreSQL', () => {
  let o: OpsEnv;
  let hooks: Receiver[];
  const log = createLogger({ format: 'json', level: 'warn', write: () => {} });
  beforeAll(async () => { [o, ...hooks] = await Promise.all([startOpsEnv(), startReceiver(), startReceiver()]) as [OpsEnv, Receiver, Receiver]; }, 60_000);
  afterAll(async () => { await Promise.all([o?.close(), ...(hooks ?? []).map((h) => h.close())]); });

  it('crawl, reconcile, report and alerts: the same steps, findings and alerts as on SQLite; the CLI runs it too', async (ctx) => {
    const url = urlOf(ctx, 1);
    if (!url) return;
    const dbs = [path.join(o.dir, 'run.db'), url];
    const results = [];
    for (const [i, dbFile] of dbs.entries()) {
      const env = { ...o.env, TEST_HOOK_URL: hooks[i]!.url, TEST_HOOK_SECRET: 'hook-secret-1a2b' };
      const config = configFromObject({ ...o.config, database: dbFile, report: { dir: path.join(o.dir, `reports-${i}`) },
        alerts: { minSeverity: 'high', retry: { attempts: 1, baseDelayMs: 10 }, timeoutMs: 5000, webhook: { urlEnv: 'TEST_HOOK_URL', secretEnv: 'TEST_HOOK_SECRET' } } },
      await loadConnectors(), '(test)');
      results.push(await executeRun({ config, dbFile, log, env, report: true }));
    }
    const [a, b] = results;
    expect(a!.exitCode).toBe(0);
    expect(b!.exitCode).toBe(0);
    expect(b!.reportId).toBeDefined();
    expect(b!.deliveries.map((d) => [d.channel, d.status, d.newFindings])).toEqual(a!.deliveries.map((d) => [d.channel, d.status, d.newFindings]));
    expect(b!.deliveries[0]!.newFindings).toBeGreaterThan(0);
    const sent = hooks.map((h) => (JSON.parse(h.requests[0]!.body) as { newFindings: Array<{ id: string; severity: string }> }).newFindings.map((f) => `${f.id} ${f.severity}`).sort());
    expect(sent[1]).toEqual(sent[0]);
    const ledger = (db: Db) => ({
      pipelines: db.prepare('SELECT id, status, exit_code FROM pipeline_runs ORDER BY id').all(),
      steps: db.prepare('SELECT pipeline_run_id, step, status FROM run_steps ORDER BY pipeline_run_id, step').all(),
      deliveries: db.prepare('SELECT channel, status FROM alert_deliveries ORDER BY id').all(),
      findings: openFindings(db),
    });
    const { a: la, b: lb } = compareDbs(dbs[0]!, url, ledger);
    expect(lb).toEqual(la);
    for (const f of ['report.md', 'findings.csv']) {
      const month = fs.readdirSync(path.join(o.dir, 'reports-0'))[0]!;
      expect(fs.existsSync(path.join(o.dir, 'reports-1', month, f)), f).toBe(true);
    }

    // the CLI: `run --db postgres://…` (no database-folder check for a URL; an incremental night, nothing new to alert)
    o.writeConfig({ database: url, alerts: undefined });
    const saved = { ...process.env };
    Object.assign(process.env, o.env);
    try {
      const r = await runMain(['run', '-c', o.configFile, '--db', url, '--log-format', 'json']);
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      expect(r.stdout).toMatch(/run 2: exit 0/);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    }
    const steps = compareDbs(dbs[0]!, url, (db) => db.prepare("SELECT step, status FROM run_steps WHERE pipeline_run_id = 2 ORDER BY step").all()).b;
    expect(steps).toContainEqual({ step: 'crawl', status: 'complete' });
    expect(steps).toContainEqual({ step: 'reconcile', status: 'complete' });
  }, 240_000);
});
