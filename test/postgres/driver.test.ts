// The synchronous PostgreSQL client (src/graph/pg/) against a real server: better-sqlite3's API — parameter styles,
// get/all/iterate/pluck/raw/columns, run().changes and lastInsertRowid, transactions and savepoints, exec, pragma —
// with SQLite's types (int8 as number, jsonb as text), PostgreSQL's errors (SQLSTATE and text), a worker that does not
// keep the process alive, and the worker as built into dist/. Skipped, saying why, without PostgreSQL.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, PostgresError, type PostgresDb } from '../../src/graph/pg/client.ts';
import type { GraphDb } from '../../src/graph/graph-db.ts';
import { startPostgres, type PostgresOrSkip } from '../helpers/postgres.ts';

let server: PostgresOrSkip;
let db: PostgresDb;
beforeAll(async () => {
  server = await startPostgres();
  if ('url' in server) {
    db = openPostgres(server.url);
    db.exec(`CREATE TABLE items (id serial PRIMARY KEY, name text UNIQUE, n bigint, props jsonb);
             CREATE TABLE tags (key text PRIMARY KEY, v integer)`);
  }
}, 120_000);
afterAll(async () => { db?.close(); if (server && 'url' in server) await server.stop(); });

function need(ctx: { skip: () => void }): boolean {
  if ('skipped' in server) { console.warn(server.skipped); ctx.skip(); return false; }
  return true;
}

describe('the synchronous PostgreSQL client', () => {
  it('takes every better-sqlite3 parameter style, leaving literals and casts alone', (ctx) => {
    if (!need(ctx)) return;
    expect(db.prepare("SELECT ?::int AS a, '?' AS q, @x AS b, :x AS c, $y::int + 1 AS d").get(7, { x: 'named', y: 2 }))
      .toEqual({ a: 7, q: '?', b: 'named', c: 'named', d: 3 });
    expect(db.prepare('SELECT @name AS v').get({ '@name': 'prefixed' })).toEqual({ v: 'prefixed' });
    expect(db.prepare('SELECT ?::int + ?::int AS s').pluck().get([2, 3])).toBe(5);
    expect(() => db.prepare('SELECT ?::int').get()).toThrow('Too few parameter values were provided');
  });

  it('get, all, iterate, pluck, raw and columns (duplicate names kept)', (ctx) => {
    if (!need(ctx)) return;
    const s = db.prepare<[number], { g: number }>('SELECT g FROM generate_series(1, ?) g ORDER BY g');
    expect(s.get(3)).toEqual({ g: 1 });
    expect(s.all(3)).toEqual([{ g: 1 }, { g: 2 }, { g: 3 }]);
    expect(db.prepare('SELECT 1 WHERE false').get()).toBeUndefined();
    // more rows than one cursor batch, and another statement between rows
    let sum = 0;
    let count = 0;
    for (const r of s.iterate(2500)) { sum += r.g; count++; if (count === 1500) expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 }); }
    expect([count, sum]).toEqual([2500, 2500 * 2501 / 2]);
    // breaking out closes the cursor: none left open on the connection
    for (const r of s.iterate(5000)) if (r.g === 10) break;
    expect(db.prepare("SELECT count(*) FROM pg_cursors WHERE name LIKE 'nhi_cursor%'").pluck().get()).toBe(0);
    const dup = db.prepare('SELECT 1 AS a, 2 AS a, ?::text AS b');
    expect(dup.columns().map((c) => c.name)).toEqual(['a', 'a', 'b']);
    expect(dup.columns()[0]!.type).toBe('integer');
    expect(dup.raw().all('x')).toEqual([[1, 2, 'x']]);
    expect(dup.raw(false).get('x')).toEqual({ a: 2, b: 'x' }); // as better-sqlite3: the later column wins
    expect(db.prepare('SELECT g FROM generate_series(1, 3) g').pluck().all()).toEqual([1, 2, 3]);
    expect(db.prepare('SELECT 1').reader).toBe(true);
    expect(db.prepare('DELETE FROM tags').reader).toBe(false);
  });

  it('run() reports changes, and lastInsertRowid after a one-row INSERT into a serial-id table', (ctx) => {
    if (!need(ctx)) return;
    const ins = db.prepare('INSERT INTO items (name, n) VALUES (?, ?)');
    const a = ins.run('a', 1);
    const b = ins.run('b', 2);
    expect(a.changes).toBe(1);
    expect(Number(b.lastInsertRowid)).toBe(Number(a.lastInsertRowid) + 1);
    expect(db.prepare('SELECT name FROM items WHERE id = ?').pluck().get(b.lastInsertRowid)).toBe('b');
    expect(db.prepare('UPDATE items SET n = n + 1 WHERE name IN (?, ?)').run('a', 'b').changes).toBe(2);
    expect(db.prepare('INSERT INTO tags (key, v) VALUES (?, ?)').run('k', 1).changes).toBe(1);
    // no serial id (tags), or not a one-row INSERT: an error, not a wrong id
    expect(() => db.prepare('INSERT INTO tags (key, v) VALUES (?, ?)').run('k2', 1).lastInsertRowid).toThrow(/lastInsertRowid/);
    expect(db.prepare("INSERT INTO items (name) VALUES ('c') ON CONFLICT (name) DO NOTHING").run().lastInsertRowid).toBeGreaterThan(0);
    expect(db.prepare("INSERT INTO items (name) VALUES ('c') ON CONFLICT (name) DO NOTHING").run()).toEqual({ changes: 0, lastInsertRowid: 0 });
  });

  it('commits a transaction, rolls it back on throw, and rolls a nested one back alone (savepoint)', (ctx) => {
    if (!need(ctx)) return;
    const put = db.prepare('INSERT INTO tags (key, v) VALUES (?, ?)');
    const has = (k: string) => db.prepare('SELECT count(*) FROM tags WHERE key = ?').pluck().get(k) === 1;
    db.transaction(() => { put.run('t1', 1); expect(db.inTransaction).toBe(true); }).immediate();
    expect(db.inTransaction).toBe(false);
    expect(has('t1')).toBe(true);
    expect(() => db.transaction(() => { put.run('t2', 1); throw new Error('boom'); })()).toThrow('boom');
    expect(has('t2')).toBe(false);
    const inner = db.transaction((k: string) => { put.run(k, 1); put.run(k, 2); }); // the second insert violates the key
    db.transaction(() => {
      put.run('outer', 1);
      expect(() => inner('inner')).toThrow(PostgresError);
      put.run('after', 1); // the outer transaction goes on
    }).deferred();
    expect([has('outer'), has('inner'), has('after')]).toEqual([true, false, true]);
    // an error swallowed inside a transaction does not let it commit silently
    expect(() => db.transaction(() => { put.run('lost', 1); try { put.run('lost', 1); } catch { /* ignored */ } })()).toThrow(/aborted/);
    expect(has('lost')).toBe(false);
    expect(() => db.transaction(() => Promise.resolve())()).toThrow('cannot return a promise');
  });

  it('exec runs several statements; int8 and numeric are numbers, jsonb text, booleans 1/0', (ctx) => {
    if (!need(ctx)) return;
    db.exec("INSERT INTO tags VALUES ('e1', 1); INSERT INTO tags VALUES ('e2', 2); UPDATE tags SET v = 3 WHERE key = 'e1'");
    expect(db.prepare("SELECT key, v FROM tags WHERE key LIKE 'e%' ORDER BY key").all()).toEqual([{ key: 'e1', v: 3 }, { key: 'e2', v: 2 }]);
    db.prepare('INSERT INTO items (name, n, props) VALUES (?, ?, ?)').run('j', 2 ** 53 - 1, JSON.stringify({ a: [1, 2] }));
    const r = db.prepare("SELECT n, props, props->'a' AS a, count(*) OVER () AS c, sum(n) OVER () / 2 AS avg, n > 0 AS pos FROM items WHERE name = 'j'").get();
    expect(r).toEqual({ n: 2 ** 53 - 1, props: '{"a": [1, 2]}', a: '[1, 2]', c: 1, avg: (2 ** 53 - 1) / 2, pos: 1 });
    expect(() => db.prepare('SELECT 9223372036854775807::bigint').get()).toThrow(/beyond JavaScript's safe integers/);
  });

  it('a prepared SELECT * still answers after its table changed shape (DDL through exec)', (ctx) => {
    if (!need(ctx)) return;
    db.exec('CREATE TABLE shape (a integer); INSERT INTO shape VALUES (1)');
    const s = db.prepare('SELECT * FROM shape');
    expect(s.all()).toEqual([{ a: 1 }]);
    db.exec('ALTER TABLE shape ADD COLUMN b text');
    expect(s.all()).toEqual([{ a: 1, b: null }]);
  });

  it('an SQL error carries its SQLSTATE, condition and PostgreSQL\'s text', (ctx) => {
    if (!need(ctx)) return;
    const caught = (f: () => unknown) => { try { f(); } catch (e) { return e as PostgresError; } throw new Error('no error'); };
    const dup = caught(() => db.prepare("INSERT INTO tags (key, v) VALUES ('dup', 1), ('dup', 2)").run());
    expect(dup).toBeInstanceOf(PostgresError);
    expect([dup.code, dup.condition, dup.constraint, dup.isUniqueViolation]).toEqual(['23505', 'unique_violation', 'tags_pkey', true]);
    expect(dup.message).toMatch(/duplicate key value violates unique constraint "tags_pkey"/);
    const missing = caught(() => db.prepare('SELECT * FROM no_such_table').all());
    expect([missing.code, missing.message]).toEqual(['42P01', 'relation "no_such_table" does not exist']);
    expect(caught(() => db.prepare('SELEC 1').get()).code).toBe('42601');
    expect(db.prepare('SELECT 1 AS ok').get()).toEqual({ ok: 1 }); // the connection goes on
  });

  it('pragma: user_version in nhi_schema, query_only, busy_timeout; SQLite-only pragmas are refused', (ctx) => {
    if (!need(ctx)) return;
    const g: GraphDb = db;
    expect(g.pragma('user_version', { simple: true })).toBe(0);
    g.pragma('user_version = 18');
    expect(g.pragma('user_version', { simple: true })).toBe(18);
    expect(g.pragma('user_version')).toEqual([{ user_version: 18 }]);
    g.pragma('busy_timeout = 2500');
    expect(g.pragma('busy_timeout', { simple: true })).toBe(2500);
    g.pragma('query_only = 1');
    expect(() => g.prepare("INSERT INTO tags VALUES ('ro', 1)").run()).toThrow(expect.objectContaining({ code: '25006' }));
    g.pragma('query_only = 0');
    expect(() => g.pragma('journal_mode = WAL')).toThrow(/SQLite-only/);
  });

  it('close() ends the connection, and an unclosed client does not keep a process alive', (ctx) => {
    if (!need(ctx) || !('url' in server)) return;
    const other = openPostgres(server.url);
    expect(other.name).not.toMatch(/password/);
    expect(other.open).toBe(true);
    other.close();
    expect(other.open).toBe(false);
    expect(() => other.prepare('SELECT 1')).toThrow(/not open/);
    // a script file under test/.tmp (tsx compiles it; the worker loads from source as in every test)
    const root = path.resolve(import.meta.dirname, '../..');
    const script = path.join(root, 'test/.tmp', `pg-child-${process.pid}.ts`);
    fs.writeFileSync(script, `import { openPostgres } from '../../src/graph/pg/client.ts';
      const a = openPostgres(process.env.URL!); a.prepare('SELECT 1').get(); a.close();
      const b = openPostgres(process.env.URL!); b.prepare('SELECT 1').get(); // left open
      console.log('done');\n`);
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, env: { ...process.env, URL: server.url }, encoding: 'utf8', timeout: 20_000 });
    fs.rmSync(script, { force: true });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('done');
    expect(child.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a connection the server ends fails every later call with the server\'s reason; close() still works', (ctx) => {
    if (!need(ctx) || !('url' in server)) return;
    const victim = openPostgres(server.url);
    const pid = victim.prepare('SELECT pg_backend_pid()').pluck().get() as number;
    expect(db.prepare('SELECT pg_terminate_backend(?)').pluck().get(pid)).toBe(1);
    let err: PostgresError | undefined;
    for (let i = 0; i < 50 && !err; i++) { try { victim.prepare('SELECT 1').get(); } catch (e) { err = e as PostgresError; } }
    expect(err).toBeInstanceOf(PostgresError);
    expect(err!.fatal).toBe(true);
    expect(() => victim.prepare('SELECT 1').get()).toThrow(err!.message);
    victim.close();
    expect(victim.open).toBe(false);
  });

  it('the worker built into dist/ (scripts/build.mjs entry) connects and answers', (ctx) => {
    if (!need(ctx) || !('url' in server)) return;
    const dist = process.env.NHI_CENSUS_DIST;
    if (!dist) { ctx.skip(); return; }
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const w = new Worker(path.join(dist, 'src/graph/pg/worker.js'), { workerData: { port: port2, signal }, transferList: [port2] });
    const call = (req: unknown) => {
      Atomics.store(signal, 0, 0);
      port1.postMessage(req);
      while (Atomics.wait(signal, 0, 0, 30_000) === 'timed-out') throw new Error('no reply');
      return (receiveMessageOnPort(port1) as { message: { ok: boolean; value: { rows: unknown[][] } } }).message;
    };
    try {
      expect(call({ op: 'connect', url: server.url, applicationName: 'test' }).ok).toBe(true);
      expect(call({ op: 'query', text: 'SELECT $1::int + 1', values: [41], insertTable: null, body: '' }).value.rows).toEqual([[42]]);
      call({ op: 'close' });
    } finally { void w.terminate(); port1.close(); }
  });

  it('per-call overhead (printed, not asserted: figures belong in bench/postgres-driver.ts)', (ctx) => {
    if (!need(ctx)) return;
    const s = db.prepare('SELECT 1');
    for (let i = 0; i < 200; i++) s.get();
    const n = 2000;
    const t = performance.now();
    for (let i = 0; i < n; i++) s.get();
    console.log(`postgres driver: SELECT 1 round trip ${(((performance.now() - t) / n) * 1000).toFixed(0)} µs per call`);
  });
});
