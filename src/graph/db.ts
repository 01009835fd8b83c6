// Opens the SQLite graph: WAL mode, foreign keys, busy timeout, and in-place schema upgrades.
// Before upgrading an existing database it is copied aside (VACUUM INTO), and each migration
// runs in its own transaction, so a failed upgrade leaves the old schema intact.
// The database file (and so the -wal/-shm files SQLite creates with the database's mode) and the backup
// are created 0600 in folders created 0700 (src/util/private-files.ts).
import { isPostgresUrl, openPostgresGraph, POSTGRES_COMMANDS } from './pg-open.ts';
import { describePostgresUrl } from './pg/client.ts';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { fillFileAtomicSync } from '../util/atomic-write.ts';
import { createPrivateFile, makePrivateDir } from '../util/private-files.ts';
import { asStorageError } from '../util/storage-error.ts';
import { migrations } from './migrations/index.ts';
import { dialectOf, type GraphDb } from './graph-db.ts';

/** The graph database as the code base uses it, whichever the backend (graph-db.ts). */
export type Db = GraphDb;
/** better-sqlite3's handle, for the SQLite-only operations (online backup, serialize). */
export type SqliteDb = Database.Database;

/** The SQLite handle behind `db`, for an operation only SQLite has (`what` names it in the error otherwise). */
export function sqliteOnly(db: Db, what: string): SqliteDb {
  if (db instanceof Database) return db;
  throw new DatabaseUnusableError(`${what} works on a SQLite database only (${db.name} is ${dialectOf(db)})`);
}

export interface OpenOptions {
  readonly?: boolean;
  /** Skip the copy taken before an upgrade (tests, :memory:). */
  noBackup?: boolean;
  /** A writable open that must not create the database (every command but crawl, run and demo). */
  mustExist?: boolean;
  /** Read a schema newer than this binary's (db info, db backup: they report or copy it, nothing more). */
  allowNewer?: boolean;
  /** The command runs on PostgreSQL too (`--db postgres://…`; src/graph/pg-open.ts POSTGRES_COMMANDS); others are refused. */
  postgres?: boolean;
}

/**
 * The database cannot be used by this nhi-census: it does not exist (where a command needs one), is not a
 * SQLite database, or has a schema newer than this binary knows. Exit 7 (EXIT.CANNOT_START, src/cli/exit-codes.ts).
 */
export class DatabaseUnusableError extends Error {
  readonly exitCode = 7;
  constructor(message: string) { super(message); this.name = 'DatabaseUnusableError'; }
}

/**
 * Opens the graph. Read-only opens never write (no upgrade, query_only). Whatever the command, the same
 * condition ends the same way: missing (read-only or mustExist), not a database or a newer schema is
 * DatabaseUnusableError; storage that cannot take writes (read-only file or folder, full disk) a StorageError.
 */
export function openDb(file: string, opts: OpenOptions = {}): Db {
  if (isPostgresUrl(file)) {
    if (!opts.postgres) {
      throw new DatabaseUnusableError(`this command does not run on PostgreSQL yet (so far: ${POSTGRES_COMMANDS.join(', ')} — docs/postgres.md); `
        + `give it the SQLite database file (--db nhi-census.db)`);
    }
    try {
      return openPostgresGraph(file, opts, (m) => new DatabaseUnusableError(m));
    } catch (err) {
      if (err instanceof DatabaseUnusableError) throw err;
      throw new DatabaseUnusableError(`cannot use ${describePostgresUrl(file)}: ${(err as Error).message}`);
    }
  }
  if ((opts.readonly || opts.mustExist) && isPlainFile(file) && !fs.existsSync(file)) {
    throw new DatabaseUnusableError(`database ${file} does not exist: run 'nhi-census crawl' (or 'npm run demo') first`);
  }
  let db: Db | undefined;
  try {
    if (opts.readonly) {
      db = openReadOnly(file);
      db.pragma('busy_timeout = 5000');
      db.pragma('query_only = 1');
      refuseNewer(db, file, opts);
      return db;
    }
    if (isPlainFile(file)) {
      makePrivateDir(path.dirname(path.resolve(file)));
      // created here, 0600, before SQLite opens it: SQLite gives the -wal and -shm files the database's mode
      createPrivateFile(file);
    }
    db = new Database(file);
    // busy_timeout first: two processes opening a new database at once both switch it to WAL.
    db.pragma('busy_timeout = 10000');
    refuseNewer(db, file, opts); // before anything is written
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // 16 MB of page cache (SQLite's default is 2 MB): index pages of group-committed writes stay in memory, and the
    // crawler's memory stays flat as a tenant grows (issue 16, 2026-12-02, measured beside 64 MB in the same session:
    // GitHub crawler peak RSS 10x / 1x 1.29x instead of 1.67x; ingest 0.291x vs 0.299x the raw ceiling in CPU time;
    // reconcile of 100k connectors 15.5 s vs 17.3 s CPU — no slower; bench/fanout-rss.ts, ingest.ts, reconcile-scale.ts).
    db.pragma('cache_size = -16384');
    db.pragma('temp_store = MEMORY');
    migrate(db, file, opts);
    applyTestPageLimit(db);
    return db;
  } catch (err) {
    db?.close();
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new DatabaseUnusableError(`database ${file} is not a nhi-census database (${(err as Error).message})`);
    }
    throw asStorageError(err, `database ${file}`);
  }
}

/**
 * A read-only connection. In WAL mode SQLite needs to create `<file>-shm` beside the database, which a
 * read-only folder refuses: then, when no write-ahead log is left beside it (no writer has pages pending), the
 * file is read into memory as a read-only copy — an archived or read-only-mounted database stays queryable.
 */
function openReadOnly(file: string): Db {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('user_version'); // reads the header now: "not a database" and "cannot open" surface here
    return db;
  } catch (err) {
    const wal = `${file}-wal`;
    if ((err as { code?: string }).code !== 'SQLITE_CANTOPEN' || !isPlainFile(file) || (fs.existsSync(wal) && fs.statSync(wal).size > 0)) throw err;
    const image = fs.readFileSync(file);
    if (image.length >= 20 && image[18] === 2 && image[19] === 2) { image[18] = 1; image[19] = 1; } // WAL -> rollback journal: an in-memory image has no -shm
    return new Database(image, { readonly: true });
  }
}

function refuseNewer(db: Db, file: string, opts: OpenOptions): void {
  const v = schemaVersion(db);
  if (v > latestSchemaVersion && !opts.allowNewer) {
    throw new DatabaseUnusableError(`database ${file} has schema v${v}, newer than this nhi-census (v${latestSchemaVersion}); upgrade nhi-census`);
  }
}

function isPlainFile(file: string): boolean {
  return file !== '' && file !== ':memory:' && !file.startsWith('file:');
}

/**
 * TEST ONLY: NHI_CENSUS_TEST_MAX_PAGE_COUNT=<pages> caps the database's size (PRAGMA max_page_count), so
 * tests can make SQLite report a full disk (SQLITE_FULL) without filling one. Not for production use.
 */
function applyTestPageLimit(db: Db): void {
  const limit = process.env.NHI_CENSUS_TEST_MAX_PAGE_COUNT;
  if (limit && /^\d+$/.test(limit)) db.pragma(`max_page_count = ${Number(limit)}`);
}

/** VACUUM INTO a private temporary file beside the target, fsync it, then rename it into place. */
function backupBeforeUpgrade(db: Db, backup: string): void {
  fillFileAtomicSync(backup, (tmp) => db.exec(`VACUUM INTO '${tmp.replaceAll("'", "''")}'`));
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export const latestSchemaVersion = migrations[migrations.length - 1]!.id;

function migrate(db: Db, file: string, opts: OpenOptions): void {
  const current = schemaVersion(db);
  if (current > latestSchemaVersion) return; // opened with allowNewer: nothing to upgrade
  const pending = migrations.filter((m) => m.id > current);
  if (pending.length === 0) return;
  if (current > 0 && file !== ':memory:' && !opts.noBackup) {
    backupBeforeUpgrade(db, `${file}.pre-v${latestSchemaVersion}.bak`);
  }
  // BEGIN IMMEDIATE and a re-check: another process may have applied the same migration meanwhile.
  for (const m of pending) {
    db.transaction(() => {
      if (schemaVersion(db) >= m.id) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.id}`);
    }).immediate();
  }
}
