// `nhi-census db copy` (issue 18 item 5) on the demo database into a real PostgreSQL: every table's rows and every
// view's rows identical (the command verifies before committing), analysts' `query` and `db info` work on the copy,
// a second copy into the now non-empty database is refused with nothing written, `db backup` explains pg_dump, and an
// open of a PostgreSQL URL by code that did not declare it runs there (openDb without `postgres: true`) is refused
// with one clear line before anything is written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { openDb } from '../../src/graph/db.ts';
import { GRAPH_VIEWS } from '../../src/graph/views.ts';
import { sameViewRows } from '../../src/graph/view-compare.ts';
import { runMain } from '../cli/run-main.ts';
import { startPostgres, type PostgresOrSkip } from '../helpers/postgres.ts';

let server: PostgresOrSkip;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-copy-'));
const lite = path.join(dir, 'nhi-census.db');
beforeAll(async () => {
  server = await startPostgres();
  const demo = await runMain(['demo', '--db', lite, '--out', path.join(dir, 'reports'), '--log-format', 'json']);
  expect(demo.code, demo.stderr.slice(-2000)).toBe(0);
}, 180_000);
afterAll(async () => { if ('url' in server) await server.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

const url = (ctx: TestContext): string | null => {
  if ('skipped' in server) { console.warn(server.skipped); ctx.skip(); return null; }
  return server.url;
};

describe('db copy into PostgreSQL', () => {
  it('moves the demo graph whole, verified, and analysts query the copy as they would the file', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const r = await runMain(['db', 'copy', '--from', lite, '--to', to]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/every view identical/);
    // the copy, read back independently: every view the same rows, every table the same count
    const a = openDb(lite, { readonly: true });
    const b = openDb(to, { readonly: true, postgres: true });
    try {
      for (const v of GRAPH_VIEWS) expect(sameViewRows(v, a.prepare(`SELECT * FROM ${v}`).all() as never, b.prepare(`SELECT * FROM ${v}`).all() as never), v).toBeNull();
      for (const t of ['nodes', 'edges', 'change_log', 'runs', 'run_resources', 'findings', 'finding_observations', 'reconciliations', 'reports', 'reconcile_units']) {
        expect(b.prepare(`SELECT count(*) AS n FROM ${t}`).get(), t).toEqual(a.prepare(`SELECT count(*) AS n FROM ${t}`).get());
      }
      // the database identity moved with the graph (report manifests name it)
      expect(b.prepare('SELECT id FROM database_identity').all()).toEqual(a.prepare('SELECT id FROM database_identity').all());
    } finally { a.close(); b.close(); }
    const q = await runMain(['query', '--db', to, '--format', 'json', 'select severity, count(*) as n from current_findings group by severity order by severity']);
    const qLite = await runMain(['query', '--db', lite, '--format', 'json', 'select severity, count(*) as n from current_findings group by severity order by severity']);
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual(JSON.parse(qLite.stdout));
    const info = await runMain(['db', 'info', '--db', to]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^PostgreSQL, schema v\d+ \(this nhi-census: v\d+\)/);
  });

  it('refuses a second copy into a database that holds a graph, writing nothing', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const before = openDb(to, { readonly: true, postgres: true });
    const n = before.prepare('SELECT count(*) AS n FROM nodes').get();
    before.close();
    const r = await runMain(['db', 'copy', '--from', lite, '--to', to]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already holds a graph \(runs: \d+ rows\).*nothing was written/);
    const after = openDb(to, { readonly: true, postgres: true });
    expect(after.prepare('SELECT count(*) AS n FROM nodes').get()).toEqual(n);
    after.close();
  });

  it('db backup explains pg_dump; a command that does not run on PostgreSQL yet is refused before it writes', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const backup = await runMain(['db', 'backup', path.join(dir, 'x.db'), '--db', to]);
    expect(backup.code).toBe(2);
    expect(backup.stderr).toMatch(/pg_dump --format=custom/);
    expect(backup.stderr).not.toMatch(/password|:[^@/]*@/i);
    // every command runs on PostgreSQL now; an open that does not say it can (a future command) is still refused
    expect(() => openDb(to, { mustExist: true })).toThrow(/does not run on PostgreSQL yet \(so far: query, db copy, db info/);
  });
});
