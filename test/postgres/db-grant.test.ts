// `nhi-census db grant` against a real server: the printed SQL, run by the superuser on a migrated database, gives a
// writer role whose login members crawl, reconcile and report through the CLI (but cannot move the schema version), and
// an analyst role whose login members select every view — through psql-like clients and `nhi-census query` — while
// every table but the schema version is refused (permission denied) and writes are refused even with the read-only
// default switched off. Invalid role names are refused (exit 2) before anything is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { executeCrawl } from '../../src/cli/crawl.ts';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { openDb } from '../../src/graph/db.ts';
import { GRAPH_VIEWS } from '../../src/graph/views.ts';
import { startScenario } from '../../src/simulator/start-all.ts';
import { createLogger } from '../../src/util/log.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { runMain } from '../cli/run-main.ts';
import { usePostgres } from '../helpers/postgres.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pg-grant-'));
const url = usePostgres();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The server URL as another user (the test cluster trusts loopback logins: no password). */
const as = (u: string, user: string): string => { const x = new URL(u); x.username = user; x.password = ''; return x.toString(); };

/** The rows of the last of `texts`, run one after another on one connection. */
async function sql<T = Record<string, unknown>>(u: string, ...texts: string[]): Promise<T[]> {
  const c = new pg.Client({ connectionString: u });
  await c.connect();
  try {
    let out: T[] = [];
    for (const t of texts) out = (await c.query(t)).rows as T[];
    return out;
  } finally { await c.end(); }
}

/** The SQLSTATE the statements fail with ('' when they succeed). */
async function refusal(u: string, ...texts: string[]): Promise<string> {
  try { await sql(u, ...texts); return ''; } catch (err) { return (err as { code?: string }).code ?? String(err); }
}

describe('db grant on PostgreSQL', () => {
  it('refuses invalid role names and a SQLite --db, printing nothing', async () => {
    for (const args of [['--writer', 'bad"name'], ['--analyst', 'pg_read'], ['--writer', 'public'], ['--writer', 'x;drop'], ['--analyst', 'nhi_writer'],
      ['--schema', 'a b'], ['--db', 'nhi-census.db']]) {
      const r = await runMain(['db', 'grant', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });

  it('the writer crawls, reconciles and reports; the analyst sees every view and no table, and query works for it', async (ctx) => {
    const su = url(ctx);
    if (!su) return;
    openDb(su, { postgres: true }).close(); // migrated by its owner (the superuser here)

    const printed = await runMain(['db', 'grant', '--db', su]);
    expect(printed.code, printed.stderr).toBe(0);
    const script = printed.stdout;
    expect(script).not.toMatch(/PASSWORD\s+'/i); // no password is ever written
    expect(script).toContain(`ON DATABASE "${new URL(su).pathname.slice(1)}"`);
    await sql(su, script);
    await sql(su, script); // re-runnable (after an upgrade adds a view)
    await sql(su, 'CREATE ROLE crawler LOGIN IN ROLE nhi_writer; CREATE ROLE alice LOGIN IN ROLE nhi_analyst; ALTER ROLE alice SET default_transaction_read_only = on');
    const writer = as(su, 'crawler');
    const analyst = as(su, 'alice');

    // the writer: a crawl through the engine, reconcile and report through the CLI
    const specs = await loadConnectors();
    const sims = await startScenario({ github: buildGithubScenario() }, specs);
    try {
      const config = configFromObject({ database: writer, providers: sims.providers }, specs, '(test)');
      const db = openDb(writer, { postgres: true }); // an up-to-date database: a writable open changes no schema
      try {
        const summary = await executeCrawl({ config, db, log: createLogger({ format: 'json', level: 'error', write: () => {} }), env: { ...process.env, ...sims.env } });
        expect(summary.status).toBe('complete');
      } finally { db.close(); }
    } finally { await sims.close(); }
    const reconciled = await runMain(['reconcile', '--db', writer, '--inventory', 'scenarios/demo/inventory.yaml']);
    expect(reconciled.code, reconciled.stderr).toBe(0);
    const reported = await runMain(['report', '--db', writer, '--out', path.join(dir, 'reports'), '--organisation', 'Test']);
    expect(reported.code, reported.stderr).toBe(0);
    const findings = await sql<{ n: string }>(su, 'SELECT count(*) AS n FROM findings');
    expect(Number(findings[0]!.n)).toBeGreaterThan(0);
    expect(await refusal(writer, 'UPDATE nhi_schema SET version = version')).toBe('42501');
    expect(await refusal(writer, 'CREATE TABLE writer_made (x int)')).toBe('42501');

    // the analyst: every view, as the superuser sees it
    expect(await sql(analyst, 'SHOW default_transaction_read_only')).toEqual([{ default_transaction_read_only: 'on' }]);
    for (const v of GRAPH_VIEWS) {
      expect(await sql(analyst, `SELECT count(*) AS n FROM ${v}`), v).toEqual(await sql(su, `SELECT count(*) AS n FROM ${v}`));
    }
    const connectors = await sql<{ n: string }>(su, 'SELECT count(*) AS n FROM connectors');
    expect(Number(connectors[0]!.n)).toBeGreaterThan(0);
    // no table but the schema version
    const tables = (await sql<{ t: string }>(su, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"))
      .map((r) => r.t);
    expect(tables).toEqual(expect.arrayContaining(['nodes', 'edges', 'findings', 'db_lock', 'crawl_state', 'http_cache']));
    for (const t of tables.filter((x) => x !== 'nhi_schema')) expect(await refusal(analyst, `SELECT 1 FROM ${t} LIMIT 1`), t).toBe('42501');
    expect(await refusal(analyst, 'SELECT version FROM nhi_schema')).toBe('');
    // writes: refused by the read-only default, and by the privileges with it switched off
    expect(await refusal(analyst, "UPDATE findings SET status = 'resolved'")).toBe('25006');
    const writable = 'SET default_transaction_read_only = off';
    expect(await refusal(analyst, writable, "UPDATE findings SET status = 'resolved'")).toBe('42501');
    expect(await refusal(analyst, writable, "INSERT INTO nodes (id) VALUES ('x')")).toBe('42501');
    expect(await refusal(analyst, writable, 'CREATE TABLE analyst_made (x int)')).toBe('42501');
    expect(await refusal(analyst, writable, 'SELECT 1')).toBe(''); // (the statements above fail for want of privileges, not of a connection)

    // nhi-census query as the analyst: the same rows as the owner's
    const q = (u: string) => runMain(['query', '--db', u, '-f', 'json', 'select provider, count(*) as n from connectors group by provider order by provider']);
    const mine = await q(analyst);
    expect(mine.code, mine.stderr).toBe(0);
    expect(JSON.parse(mine.stdout)).toEqual(JSON.parse((await q(su)).stdout));
    const table = await runMain(['query', '--db', analyst, 'select count(*) as n from nodes']);
    expect(table.code).not.toBe(0);
    expect(table.stderr).toMatch(/permission denied/);
  }, 180_000);
});
