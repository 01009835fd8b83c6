// The PostgreSQL test server (test/helpers/postgres.ts) starts, answers, and goes away — or, without PostgreSQL on
// the machine, the suite says clearly that it was skipped and why (and fails under NHI_REQUIRE_POSTGRES=1).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresOrSkip } from '../helpers/postgres.ts';

let server: PostgresOrSkip;
beforeAll(async () => { server = await startPostgres(); }, 120_000);
afterAll(async () => { if ('url' in server) await server.stop(); });

describe('a throw-away PostgreSQL server', () => {
  it('answers on loopback as an unprivileged role-owning cluster, in a database of its own', async (ctx) => {
    if ('skipped' in server) { console.warn(server.skipped); ctx.skip(); return; }
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      const r = await c.query<{ v: string; db: string; fsync: string }>("SELECT current_setting('server_version_num') AS v, current_database() AS db, current_setting('fsync') AS fsync");
      expect(Number(r.rows[0]!.v)).toBeGreaterThanOrEqual(130000);
      expect(r.rows[0]!.db).toMatch(/^nhi_test_[0-9a-f]{12}$/);
      await c.query('CREATE TABLE t (id int primary key, props jsonb)');
      await c.query("INSERT INTO t VALUES (1, '{\"a\": 2}')");
      expect((await c.query("SELECT props->>'a' AS a FROM t")).rows[0].a).toBe('2');
    } finally { await c.end(); }
  });
});
