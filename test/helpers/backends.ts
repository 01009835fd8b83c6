// Test helper: runs a suite once per graph backend (issue 18) — SQLite, and PostgreSQL on a throw-away server.
// describeBackends(title, fn) declares `title [sqlite]` and `title [postgres]`; inside either, openTestDb() (also
// handed to fn as backend.openTestDb) gives a fresh, migrated, empty graph: SQLite in memory, or on PostgreSQL a
// database of its own, created from a template migrated once per test file (CREATE DATABASE … TEMPLATE costs ~40 ms,
// a migration from scratch ~850 ms; opening a connection ~400 ms, its worker thread). Outside describeBackends,
// openTestDb() is SQLite in memory, so shared helpers (test/reconcile/helpers.ts memDb) serve both kinds of suites.
// A database made from the template gets its own database_identity. copyTestDb(db) makes an independent twin of a
// database (VACUUM INTO on SQLite, the rows copied on PostgreSQL). What a test opens is closed after it (and its
// PostgreSQL database dropped); what a beforeAll opens, after the describe. One PostgreSQL cluster per test file (test/helpers/postgres.ts), shared by all its describeBackends and
// stopped after them; without PostgreSQL the postgres variant is skipped, its title saying why (unless
// NHI_REQUIRE_POSTGRES=1: then it fails).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openDb, type Db } from '../../src/graph/db.ts';
import { sqlFor } from '../../src/graph/dialect.ts';
import { dialectOf } from '../../src/graph/graph-db.ts';
import { PG_SYNC_IDENTITIES } from '../../src/graph/migrations-pg/index.ts';
import { jsonText } from '../../src/graph/migrations-pg/sql.ts';
import { openPostgres, type PostgresDb } from '../../src/graph/pg/client.ts';
import { postgresSkipReason, startPostgres, type TestPostgres } from './postgres.ts';

export type BackendName = 'sqlite' | 'postgres';

export interface TestBackend {
  readonly name: BackendName;
  /** A fresh, migrated, empty graph database, closed after the test (`suite`: after the describe — tests share it). */
  openTestDb(opts?: { suite?: boolean }): Db;
  /** Where a fresh database may be created by code that opens it itself (the CLI's --db): a file path or a URL. */
  testDbLocation(label?: string): string;
  /** A fresh database holding `from`'s rows, every table (an independent twin to compare with). */
  copyTestDb(from: Db): Db;
}

/** A database made from the template is another database: its own identity (report manifests tell databases apart by it). */
const NEW_IDENTITY = "UPDATE database_identity SET id = replace(gen_random_uuid()::text, '-', '')";

interface Cluster { server: TestPostgres; admin: PostgresDb; template: string; url: URL }

let active: TestBackend | null = null;
let cluster: Promise<Cluster> | null = null;
let serial = 0;

/** A fresh graph of the backend whose suite is running (SQLite in memory outside describeBackends). */
export function openTestDb(opts: { suite?: boolean } = {}): Db {
  return active ? active.openTestDb(opts) : openDb(':memory:');
}

/** A fresh database of the running suite's backend holding `db`'s rows (TestBackend.copyTestDb). */
export function copyTestDb(from: Db): Db {
  if (!active) throw new Error('copyTestDb runs inside describeBackends');
  return active.copyTestDb(from);
}

/** `json_extract(col, '$.key')` as text on either backend, for assertions that read one prop. */
export const jsonProp = (db: Db, col: string, key: string): string => sqlFor(db, { sqlite: `json_extract(${col}, '$.${key}')`, postgres: jsonText(col, key) });

async function startCluster(): Promise<Cluster> {
  const started = await startPostgres();
  if ('skipped' in started) throw new Error(started.skipped); // postgresSkipReason() said otherwise: a broken installation
  try {
    openDb(started.url, { postgres: true }).close(); // the template: migrated once
    const url = new URL(started.url);
    const template = url.pathname.slice(1);
    const adminUrl = new URL(started.url);
    adminUrl.pathname = '/postgres'; // CREATE DATABASE … TEMPLATE needs the template free of connections
    return { server: started, admin: openPostgres(adminUrl.toString()), template, url };
  } catch (err) {
    await started.stop();
    throw err;
  }
}

/** Resources a scope (a test, or a describe's beforeAll) created, released at its end. */
class Scope {
  dbs: Db[] = [];
  databases: string[] = [];
  files: string[] = [];
  release(c: Cluster | null): void {
    for (const db of this.dbs) if (db.open) db.close();
    for (const name of this.databases) c?.admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    for (const f of this.files) for (const x of [f, `${f}-wal`, `${f}-shm`]) fs.rmSync(x, { force: true });
    this.dbs = []; this.databases = []; this.files = [];
  }
}

/**
 * Declares `fn`'s suite once per backend. `fn` runs at collection time (declare tests in it, as in describe); the
 * backend it gets opens that backend's databases. `only` restricts the backends (a suite that needs one of them).
 */
export function describeBackends(title: string, fn: (backend: TestBackend) => void, opts: { only?: BackendName[] } = {}): void {
  const names = opts.only ?? ['sqlite', 'postgres'];
  if (names.includes('sqlite')) declare(title, 'sqlite', fn);
  if (names.includes('postgres')) {
    const reason = process.env.NHI_REQUIRE_POSTGRES === '1' ? null : postgresSkipReason();
    if (reason) describe.skip(`${title} [postgres] — ${reason}`, () => fn(unavailable));
    else {
      declare(title, 'postgres', fn);
      afterAll(stopCluster); // beside the describe, after it: the file's other describeBackends share the cluster
    }
  }
}

async function stopCluster(): Promise<void> {
  if (!cluster) return;
  const started = cluster;
  cluster = null;
  const c = await started;
  c.admin.close();
  await c.server.stop();
}

const unavailable: TestBackend = {
  name: 'postgres',
  copyTestDb: () => { throw new Error('PostgreSQL is not available'); },
  openTestDb: () => { throw new Error('PostgreSQL is not available'); },
  testDbLocation: () => { throw new Error('PostgreSQL is not available'); },
};

function declare(title: string, name: BackendName, fn: (backend: TestBackend) => void): void {
  describe(`${title} [${name}]`, () => {
    const suiteScope = new Scope();
    let testScope: Scope | null = null;
    let c: Cluster | null = null;
    let suiteWide = false;
    const scope = () => (suiteWide ? suiteScope : testScope ?? suiteScope);
    const backend: TestBackend = {
      name,
      openTestDb(opts = {}) {
        suiteWide = opts.suite === true;
        try {
          if (name === 'sqlite') return track(openDb(':memory:'));
          const db = track(openDb(locationOf(createDatabase()), { postgres: true }));
          db.exec(NEW_IDENTITY);
          return db;
        } finally { suiteWide = false; }
      },
      copyTestDb(from) {
        if (name === 'sqlite') {
          const file = backend.testDbLocation('copy');
          from.prepare('VACUUM INTO ?').run(file);
          return track(openDb(file, { noBackup: true }));
        }
        const to = backend.openTestDb();
        copyPostgresRows(from, to);
        return to;
      },
      testDbLocation(label = 'graph') {
        if (name === 'sqlite') {
          const file = path.resolve('test/.tmp', `${label}-${process.pid}-${++serial}.db`);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          scope().files.push(file);
          return file;
        }
        const url = locationOf(createDatabase());
        const db = openPostgres(url);
        try { db.exec(NEW_IDENTITY); } finally { db.close(); }
        return url;
      },
    };
    const track = (db: Db): Db => { scope().dbs.push(db); return db; };
    const createDatabase = (): string => {
      const db = `${c!.template}_${++serial}`;
      c!.admin.exec(`CREATE DATABASE ${db} TEMPLATE ${c!.template}`);
      scope().databases.push(db);
      return db;
    };
    const locationOf = (db: string): string => { const u = new URL(c!.url); u.pathname = `/${db}`; return u.toString(); };

    // registered before fn's hooks: set up before theirs, torn down after theirs (vitest runs after-hooks as a stack)
    beforeAll(async () => {
      if (name === 'postgres') c = await (cluster ??= startCluster());
      active = backend;
    }, 120_000);
    afterAll(() => { active = null; suiteScope.release(c); });
    beforeEach(() => { active = backend; testScope = new Scope(); });
    afterEach(() => { testScope?.release(c); testScope = null; });
    fn(backend);
  });
}

/**
 * Every row of every table of `from` into `to` (both PostgreSQL, same schema): what `db copy` does from SQLite, here
 * between two PostgreSQL databases of one server — CREATE DATABASE … TEMPLATE would need `from` without connections.
 * Foreign keys are not checked while the rows land in table order (session_replication_role, the test server's user
 * being its superuser); identities continue after the copied ids.
 */
function copyPostgresRows(from: Db, to: Db): void {
  const tables = from.prepare<[], string>(`SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`).pluck().all() as unknown as string[];
  to.transaction(() => {
    to.exec('SET LOCAL session_replication_role = replica');
    for (const t of tables) {
      to.exec(`DELETE FROM "${t}"`);
      const cols = from.prepare<[string], string>(`SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position`).pluck().all(t) as unknown as string[];
      const list = cols.map((c) => `"${c}"`).join(', ');
      const insert = (rows: number) => to.prepare(`INSERT INTO "${t}" (${list}) OVERRIDING SYSTEM VALUE VALUES `
        + Array.from({ length: rows }, () => `(${cols.map(() => '?').join(', ')})`).join(', '));
      const per = Math.max(1, Math.floor(2000 / cols.length)); // rows per statement: one round trip each
      const full = insert(per);
      let batch: unknown[][] = [];
      const flush = () => { if (batch.length) (batch.length === per ? full : insert(batch.length)).run(...batch.flat()); batch = []; };
      for (const row of from.prepare<[], unknown[]>(`SELECT ${list} FROM "${t}"`).raw().iterate()) { batch.push(row); if (batch.length === per) flush(); }
      flush();
    }
    to.exec(PG_SYNC_IDENTITIES);
  })();
}

/** How `db` stores and returns the JSON document `text` in a JSONB column (props): as written on SQLite, PostgreSQL's jsonb text otherwise. */
export function storedJson(db: Db, text: string): string {
  return dialectOf(db) === 'sqlite' ? text : db.prepare<[string], { t: string }>('SELECT CAST(? AS jsonb)::text AS t').get(text)!.t;
}
