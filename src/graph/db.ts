// Opens the SQLite graph: WAL mode, foreign keys, busy timeout, and in-place schema upgrades.
// Before upgrading an existing database it is copied aside (VACUUM INTO), and each migration
// runs in its own transaction, so a failed upgrade leaves the old schema intact.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations } from './migrations/index.ts';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Skip the copy taken before an upgrade (tests, :memory:). */
  noBackup?: boolean;
}

export function openDb(file: string, opts: OpenOptions = {}): Db {
  if (opts.readonly) {
    if (file !== ':memory:' && !fs.existsSync(file)) {
      throw new Error(`database ${file} does not exist: run 'nhi-census crawl' (or 'npm run demo') first`);
    }
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma('query_only = 1');
    return db;
  }
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  // busy_timeout first: two processes opening a new database at once both switch it to WAL.
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Page-sized write transactions touch many index pages: a larger page cache keeps them in memory.
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  migrate(db, file, opts);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export const latestSchemaVersion = migrations[migrations.length - 1]!.id;

function migrate(db: Db, file: string, opts: OpenOptions): void {
  const current = schemaVersion(db);
  if (current > latestSchemaVersion) {
    throw new Error(`database ${file} has schema v${current}, newer than this nhi-census (v${latestSchemaVersion}); upgrade nhi-census`);
  }
  const pending = migrations.filter((m) => m.id > current);
  if (pending.length === 0) return;
  if (current > 0 && file !== ':memory:' && !opts.noBackup) {
    const backup = `${file}.pre-v${latestSchemaVersion}.bak`;
    fs.rmSync(backup, { force: true });
    db.exec(`VACUUM INTO '${backup.replaceAll("'", "''")}'`);
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
