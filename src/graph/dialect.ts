// SQL that differs between the two backends, side by side at the call site: `sqlFor(db, { sqlite, postgres })`
// returns the variant for the database's dialect (graph-db.ts dialectOf). Portable SQL needs no wrapper.
import type { Db } from './db.ts';
import { dialectOf } from './graph-db.ts';
import type { PostgresDb } from './pg/client.ts';

export function sqlFor(db: Db, v: { sqlite: string; postgres: string }): string {
  return dialectOf(db) === 'postgres' ? v.postgres : v.sqlite;
}

/** The elements of a JSON array of strings given as one `?` parameter, as rows of a column `value`. */
export const jsonStringRows = (db: Db): string =>
  sqlFor(db, { sqlite: 'SELECT value FROM json_each(?)', postgres: 'SELECT value FROM jsonb_array_elements_text(CAST(? AS jsonb))' });

/** After an ascending ORDER BY term that may be NULL: NULLs first, as SQLite sorts them (PostgreSQL puts them last). */
export const nullsFirst = (db: Db): string => sqlFor(db, { sqlite: '', postgres: ' NULLS FIRST' });

/**
 * A temporary one-column set of keys (the session's: SQLite's temp schema, PostgreSQL's pg_temp), emptied and filled
 * with `values`; returns its qualified name for queries. Incremental reconciliation keeps its region and dirty units so.
 */
export function tempKeySet(db: Db, table: string, column: string, values: Iterable<string>): string {
  declareTempKeySet(db, table, column);
  db.exec(sqlFor(db, { sqlite: `DELETE FROM temp.${table}`, postgres: `DELETE FROM pg_temp.${table}` }));
  const ins = db.prepare(sqlFor(db, {
    sqlite: `INSERT OR IGNORE INTO temp.${table} (${column}) VALUES (?)`,
    postgres: `INSERT INTO pg_temp.${table} (${column}) VALUES (?) ON CONFLICT DO NOTHING`,
  }));
  for (const v of values) ins.run(v);
  return sqlFor(db, { sqlite: `temp.${table}`, postgres: `pg_temp.${table}` });
}

/**
 * Creates tempKeySet's table if the session has none yet. PostgreSQL refuses CREATE (even IF NOT EXISTS, even TEMP)
 * in a read-only transaction but lets it fill an existing temporary table: a read phase in readSnapshot that uses a
 * key set names it in `tempKeySets`, so it is created before the snapshot begins.
 */
export function declareTempKeySet(db: Db, table: string, column: string): void {
  if (dialectOf(db) === 'postgres') {
    if (db.prepare(`SELECT to_regclass('pg_temp.${table}') IS NULL AS missing`).pluck().get()) {
      db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${table} (${column} TEXT COLLATE "C" PRIMARY KEY)`);
    }
    return;
  }
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${table} (${column} TEXT PRIMARY KEY) WITHOUT ROWID`);
}

/**
 * Runs `fn`, a read phase, in one consistent snapshot: every statement in it sees the database as of its first
 * read, whatever other connections commit meanwhile (reconcile's and report's reads, beside crawls of other tenants).
 * PostgreSQL: one REPEATABLE READ READ ONLY transaction (pg/client.ts snapshot); SQLite: a deferred transaction (a
 * WAL read snapshot from its first read). Inside a caller's transaction `fn` just runs: that transaction is the snapshot.
 * `tempKeySets`: the temporary key sets (tempKeySet) `fn` fills, created first (see declareTempKeySet).
 */
export function readSnapshot<T>(db: Db, fn: () => T, opts: { tempKeySets?: ReadonlyArray<{ table: string; column: string }> } = {}): T {
  if (db.inTransaction) return fn();
  if (dialectOf(db) === 'sqlite') return db.transaction(fn).deferred();
  for (const t of opts.tempKeySets ?? []) declareTempKeySet(db, t.table, t.column);
  return (db as PostgresDb).snapshot(fn);
}
