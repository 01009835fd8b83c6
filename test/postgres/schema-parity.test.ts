// Analysts see the same graph on both backends: the PostgreSQL migrations (src/graph/migrations-pg/), applied with
// plain async `pg` to a real server, give the tables, views, columns (in order) and indexes of SQLite's latest schema,
// the same view rows over the same inserted graph, refuse the same bad rows, and transform pre-existing rows in the
// data migrations (007, 009, 010) the same way. One server for the file; skipped cleanly without PostgreSQL.
//
// Allowed differences, and nothing else:
//  - PostgreSQL has the table nhi_schema (SQLite: PRAGMA user_version) and edges.seq (SQLite: rowid), right after
//    edges.removed_at (where 001 put it; 016's props_hash follows it).
//  - PostgreSQL has extra indexes (people_emails GIN, edges_seq, alert_deliveries_pipeline, nhi_schema_one_row).
//  - PostgreSQL identities do not follow explicitly written ids: PG_SYNC_IDENTITIES after writing some (tested below).
// Normalisation of values before comparing:
//  - JSON columns (JSONB in PostgreSQL: its own key order and spacing) are compared parsed, keys sorted;
//  - aggregated lists (group_concat / string_agg, whose order SQLite leaves unspecified) as sorted sets.
// Nothing else: numbers must come back as numbers (int8 read as a JS number, as the synchronous driver will), text as
// text, 0/1 flags as 0/1.
import { normaliseViewRows } from '../../src/graph/view-compare.ts';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { openDb, type Db } from '../../src/graph/db.ts';
import { migrations } from '../../src/graph/migrations/index.ts';
import {
  PG_MIGRATION_LOCK, PG_SCHEMA_BOOTSTRAP, PG_SCHEMA_VERSION, PG_SYNC_IDENTITIES, pgMigrationMismatch, pgMigrations, pgSetSchemaVersion,
} from '../../src/graph/migrations-pg/index.ts';
import type { Migration } from '../../src/graph/migrations/index.ts';
import { GRAPH_VIEWS } from '../../src/graph/views.ts';
import { fencedBlocks } from '../docs/doc-blocks.ts';
import { startPostgres, type PostgresOrSkip } from '../helpers/postgres.ts';
import { FIXTURE_SQL, REFUSED_SQL } from './parity-fixture.ts';

type Row = Record<string, unknown>;

/** int8 as a JS number and JSON as text: what the synchronous driver is specified to return (pg-design.md). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === 20) return (v: string) => Number(v);
    if (oid === 114 || oid === 3802) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

let server: PostgresOrSkip;
let pgc: pg.Client;
let lite: Db;

async function connect(url: string, searchPath?: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, types, ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}) });
  await c.connect();
  return c;
}

/** Applies the pending PostgreSQL migrations as the lead's opener will: one transaction each, locked, re-checked. */
async function migratePg(c: pg.Client, list: readonly Migration[] = pgMigrations): Promise<number[]> {
  const applied: number[] = [];
  await c.query('BEGIN'); await c.query(PG_MIGRATION_LOCK); await c.query(PG_SCHEMA_BOOTSTRAP); await c.query('COMMIT');
  for (const m of list) {
    await c.query('BEGIN');
    try {
      await c.query(PG_MIGRATION_LOCK);
      const v = (await c.query<{ version: number }>(PG_SCHEMA_VERSION)).rows[0]!.version;
      if (v < m.id) { await c.query(m.sql); await c.query(pgSetSchemaVersion(m.id)); applied.push(m.id); }
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK');
      throw new Error(`PostgreSQL migration ${m.id}-${m.name}: ${(err as Error).message}`);
    }
  }
  return applied;
}

async function pgRows(sql: string, c = pgc): Promise<Row[]> { return (await c.query(sql)).rows as Row[]; }

beforeAll(async () => {
  server = await startPostgres();
  lite = openDb(':memory:', { noBackup: true });
  if ('skipped' in server) return;
  pgc = await connect(server.url);
  await migratePg(pgc);
}, 120_000);
afterAll(async () => {
  lite?.close();
  await pgc?.end();
  if (server && 'url' in server) await server.stop();
});

function needPostgres(ctx: TestContext): boolean {
  if ('skipped' in server) { console.warn(server.skipped); ctx.skip(); return false; }
  return true;
}

const normalise = normaliseViewRows;

const sorted = (rows: Row[]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe('PostgreSQL migrations', () => {
  it('pair one to one with SQLite\'s (id and name), and a drift is named', () => {
    expect(pgMigrationMismatch(migrations)).toBeNull();
    expect(pgMigrations.map((m) => m.id)).toEqual(migrations.map((m) => m.id));
    const last = migrations.at(-1)!;
    expect(pgMigrationMismatch(migrations, pgMigrations.slice(0, -1)))
      .toBe(`migration #${migrations.length}: SQLite has ${String(last.id).padStart(3, '0')}-${last.name}, PostgreSQL has none (src/graph/migrations-pg/ must pair with src/graph/migrations/)`);
    expect(pgMigrationMismatch([...migrations.slice(0, 3), { ...migrations[3]!, name: 'other' }], pgMigrations.slice(0, 4)))
      .toMatch(/#4: SQLite has 004-other, PostgreSQL has 004-identity/);
  });

  it('bring a fresh database to the latest version, and a second pass applies nothing', async (ctx) => {
    if (!needPostgres(ctx)) return;
    expect((await pgRows(PG_SCHEMA_VERSION))).toEqual([{ version: migrations.at(-1)!.id }]);
    expect(await migratePg(pgc)).toEqual([]);
    const identity = await pgRows('SELECT id, created_at FROM database_identity');
    expect(identity).toHaveLength(1);
    expect(identity[0]!.id).toMatch(/^[0-9a-f]{32}$/);
    expect(identity[0]!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('schema parity with SQLite', () => {
  it('has the same tables and views (plus nhi_schema)', async (ctx) => {
    if (!needPostgres(ctx)) return;
    const liteRel = lite.prepare("SELECT name, type FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string; type: string }>;
    const pgRel = await pgRows(`SELECT table_name AS name, CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END AS type
      FROM information_schema.tables WHERE table_schema = current_schema()`);
    const key = (r: Row) => `${String(r.type)} ${String(r.name)}`;
    expect(pgRel.map(key).sort()).toEqual([...liteRel.map(key), 'table nhi_schema'].sort());
    expect(liteRel.filter((r) => r.type === 'view').map((r) => r.name).sort()).toEqual([...GRAPH_VIEWS].sort());
  });

  it('has the same columns in the same order, edges.seq apart', async (ctx) => {
    if (!needPostgres(ctx)) return;
    const rels = lite.prepare("SELECT name, type FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string; type: string }>;
    const pgCols = new Map<string, string[]>();
    for (const r of await pgRows(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
        ORDER BY table_name, ordinal_position`)) {
      pgCols.set(r.table_name as string, [...(pgCols.get(r.table_name as string) ?? []), r.column_name as string]);
    }
    for (const r of rels) {
      const liteCols = r.type === 'table'
        ? (lite.prepare(`PRAGMA table_info(${r.name})`).all() as Array<{ name: string }>).map((c) => c.name)
        : lite.prepare(`SELECT * FROM ${r.name} LIMIT 0`).columns().map((c) => c.name);
      let cols = pgCols.get(r.name) ?? [];
      if (r.name === 'edges') {
        expect(cols.indexOf('seq'), 'edges.seq right after removed_at').toBe(cols.indexOf('removed_at') + 1);
        cols = cols.filter((c) => c !== 'seq');
      }
      expect(cols, `${r.type} ${r.name}`).toEqual(liteCols);
    }
  });

  it('compares and sorts every text column bytewise (collation "C"), as SQLite, whatever the database locale', async (ctx) => {
    if (!needPostgres(ctx)) return;
    const cols = await pgRows(`SELECT table_name || '.' || column_name AS col, collation_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type = 'text' AND table_name <> 'nhi_schema'`);
    expect(cols.length).toBeGreaterThan(100);
    expect(cols.filter((c) => c.collation_name !== 'C').map((c) => c.col)).toEqual([]);
  });

  it('has every SQLite index, on the same table and columns', async (ctx) => {
    if (!needPostgres(ctx)) return;
    const liteIdx = (lite.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as Array<{ name: string; tbl_name: string }>)
      .map((i) => `${i.tbl_name}.${i.name}(${(lite.prepare(`PRAGMA index_info(${i.name})`).all() as Array<{ name: string | null }>).map((c) => c.name ?? '<expr>').join(',')})`);
    const pgIdx = (await pgRows(`SELECT t.relname AS tbl, i.relname AS name,
          string_agg(coalesce(a.attname::text, '<expr>'), ',' ORDER BY k.ord) AS cols -- an expression column (attnum 0) as SQLite's
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
        LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE n.nspname = current_schema() GROUP BY t.relname, i.relname`)).map((i) => `${i.tbl}.${i.name}(${i.cols ?? ''})`);
    expect(liteIdx.length).toBeGreaterThan(10);
    expect(pgIdx).toEqual(expect.arrayContaining(liteIdx));
    expect(pgIdx).toEqual(expect.arrayContaining(['people.people_emails(emails)', 'edges.edges_seq(seq)']));
  });
});

describe('the same rows on both', () => {
  beforeAll(async () => {
    for (const sql of FIXTURE_SQL) lite.exec(sql);
    if ('url' in server) for (const sql of FIXTURE_SQL) await pgc.query(sql);
  });

  it.for([...GRAPH_VIEWS])('view %s', async (view, ctx) => {
    if (!needPostgres(ctx)) return;
    const a = normalise(view, lite.prepare(`SELECT * FROM ${view}`).all() as Row[]);
    const b = normalise(view, await pgRows(`SELECT * FROM ${view}`));
    expect(a.length, `${view} has rows to compare`).toBeGreaterThan(0);
    expect(sorted(b)).toEqual(sorted(a));
  });

  it('current_findings in the same order (severity, rule, subject; NULL and upper case first, as SQLite)', async (ctx) => {
    if (!needPostgres(ctx)) return;
    const ids = (rows: Row[]) => rows.map((r) => r.id);
    const a = ids(lite.prepare('SELECT * FROM current_findings').all() as Row[]);
    expect(a).toEqual(['f1', 'f2', 'f3', 'f6', 'f7']);
    expect(ids(await pgRows('SELECT * FROM current_findings'))).toEqual(a);
  });

  it('flags read 0/1 and filter as documented (credentials.static = 1, principals.removed)', async (ctx) => {
    if (!needPostgres(ctx)) return;
    for (const sql of ['SELECT name FROM credentials WHERE static = 1 AND enabled = 1', 'SELECT name, is_admin, removed FROM principals WHERE removed = 1 OR is_admin = 1',
      "SELECT name, enabled FROM connectors WHERE enabled = 0", "SELECT name FROM nodes WHERE name > 'Z' ORDER BY name"]) {
      const a = lite.prepare(sql).all();
      expect(a.length, sql).toBeGreaterThan(0);
      expect(await pgRows(sql), sql).toEqual(a);
    }
  });

  it('the example queries of docs/graph.md', async (ctx) => {
    if (!needPostgres(ctx)) return;
    const block = fencedBlocks('docs/graph.md').find((b) => b.lang === 'sql')!;
    const stmts = block.lines.map((l) => l.text.replace(/--.*$/, '')).join('\n').split(/;\s*(?:\n|$)/).map((t) => t.trim()).filter(Boolean);
    expect(stmts.length).toBeGreaterThanOrEqual(5);
    for (const sql of stmts) expect(await pgRows(sql), sql).toEqual(lite.prepare(sql).all());
  });

  it('after PG_SYNC_IDENTITIES, rows written without an id get the id SQLite gives them', async (ctx) => {
    if (!needPostgres(ctx)) return;
    await pgc.query(PG_SYNC_IDENTITIES);
    for (const sql of [
      "INSERT INTO runs (started_at, status) VALUES ('2026-11-03T00:00:00.000Z', 'running') RETURNING id",
      "INSERT INTO reconciliations (started_at, status) VALUES ('2026-11-03T00:00:00.000Z', 'running') RETURNING id",
      "INSERT INTO change_log (run_id, at, entity, entity_id, change, provider, kind) VALUES (3, 't', 'node', 'x', 'added', 'x', 'x') RETURNING id",
    ]) {
      const a = lite.prepare(sql).get() as Row;
      expect(a.id, sql).toBeGreaterThan(1);
      expect((await pgRows(sql))[0], sql).toEqual(a);
    }
    await pgc.query("INSERT INTO edges (id, type, src, dst, provider, first_seen_run, last_seen_run, first_seen_at, last_seen_at, seq) VALUES ('late', 'OWNS', 'a', 'b', 'x', 1, 1, 't', 't', 500)");
    await pgc.query(PG_SYNC_IDENTITIES);
    const seq = await pgRows("INSERT INTO edges (id, type, src, dst, provider, first_seen_run, last_seen_run, first_seen_at, last_seen_at) VALUES ('later', 'OWNS', 'a', 'b', 'x', 1, 1, 't', 't') RETURNING seq");
    expect(seq).toEqual([{ seq: 501 }]);
    await pgc.query("DELETE FROM edges WHERE id IN ('late', 'later')");
  });

  it('both refuse the same bad rows', async (ctx) => {
    if (!needPostgres(ctx)) return;
    for (const sql of REFUSED_SQL) {
      expect(() => lite.exec(sql), sql).toThrow();
      await expect(pgc.query(sql), sql).rejects.toThrow();
    }
  });
});

describe('data migrations transform existing rows the same way', () => {
  // Rows as a database before 007 held them, in both schemas; then the remaining migrations run.
  const LEGACY = [
    `INSERT INTO runs (id, started_at, status) VALUES (1, '2026-01-01T00:00:00.000Z', 'complete')`,
    `INSERT INTO reconciliations (id, started_at, status, inventory_hash) VALUES (1, 't1', 'complete', 'h1'), (2, 't2', 'complete', 'h1'), (3, 't3', 'complete', NULL)`,
    `INSERT INTO inventory_entries (recon_id, id, name, vendor, business_owner, technical_owner, approved_on, approval_expires, temporary, end_date, entry) VALUES
      (1, 'a', 'A first', 'V', 'x@example.com', NULL, NULL, NULL, 0, NULL, '{"id":"a","v":1}'),
      (2, 'a', 'A later', 'V', 'x@example.com', NULL, NULL, NULL, 0, NULL, '{"id":"a","v":2}'),
      (3, 'b', 'B', NULL, NULL, NULL, NULL, NULL, 1, '2026-12-31', '{"id":"b"}')`,
    `INSERT INTO http_cache (key, provider, etag, next, emitted, fetched_at, run_id) VALUES
      ('k1', 'github', 'W/"1"', 'https://api.example.com:8443/orgs/acme/hooks?page=2', '[]', 't', 1),
      ('k2', 'github', 'W/"2"', NULL, '[]', 't', 1),
      ('k3', 'slack', 'W/"3"', 'http://host-only', '[]', 't', 1)`,
    `INSERT INTO crawl_state (provider, tenant, key, value, run_id, updated_at) VALUES
      ('azure', 't', 'delta:users', 'https://graph.example.com/v1.0/users/delta?$deltatoken=a"b', 1, 't'),
      ('azure', 't', 'watermark', '2026-01-01T00:00:00Z', 1, 't'),
      ('azure', 't', 'odd', 'https://x.example.com/a b', 1, 't')`,
    `INSERT INTO nodes (id, provider, kind, type, name, props, first_seen_run, last_seen_run, first_seen_at, last_seen_at) VALUES
      ('slack:channel:C1', 'slack', 'endpoint', 'slack.channel', 'general', '{"channel":"C1"}', 1, 1, 't', 't'),
      ('github:host:h', 'github', 'endpoint', 'github.webhook_host', 'h.example.com', '{"host":"h.example.com"}', 1, 1, 't', 't')`,
  ];
  const COMPARE = ['SELECT * FROM inventory_version_entries', 'SELECT * FROM inventory_entries', 'SELECT * FROM inventory_owners',
    'SELECT key, next, base FROM http_cache', 'SELECT key, value FROM crawl_state', 'SELECT id, props FROM nodes'];

  it('007 (inventory versions), 009 (base-relative state), 010 (channel endpoints)', async (ctx) => {
    if (!needPostgres(ctx)) return;
    const before = migrations.filter((m) => m.id < 7);
    const raw = new Database(':memory:');
    const c = await connect((server as { url: string }).url, 'legacy');
    try {
      for (const m of before) raw.exec(m.sql);
      await c.query('CREATE SCHEMA legacy');
      await migratePg(c, pgMigrations.filter((m) => m.id < 7));
      for (const sql of LEGACY) { raw.exec(sql); await c.query(sql); }
      for (const m of migrations.filter((x) => x.id >= 7)) raw.exec(m.sql);
      await migratePg(c);
      expect((await pgRows(PG_SCHEMA_VERSION, c))[0]!.version).toBe(migrations.at(-1)!.id);
      for (const sql of COMPARE) {
        const a = normalise('', raw.prepare(sql).all() as Row[]);
        expect(a.length, sql).toBeGreaterThan(0);
        expect(sorted(normalise('', await pgRows(sql, c))), sql).toEqual(sorted(a));
      }
    } finally { raw.close(); await c.end(); }
  });
});
