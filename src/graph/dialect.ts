// SQL that differs between the two backends, side by side at the call site: `sqlFor(db, { sqlite, postgres })`
// returns the variant for the database's dialect (graph-db.ts dialectOf). Portable SQL needs no wrapper.
import type { Db } from './db.ts';
import { dialectOf } from './graph-db.ts';

export function sqlFor(db: Db, v: { sqlite: string; postgres: string }): string {
  return dialectOf(db) === 'postgres' ? v.postgres : v.sqlite;
}

/** After an ascending ORDER BY term that may be NULL: NULLs first, as SQLite sorts them (PostgreSQL puts them last). */
export const nullsFirst = (db: Db): string => sqlFor(db, { sqlite: '', postgres: ' NULLS FIRST' });

/**
 * A temporary one-column set of keys (the session's: SQLite's temp schema, PostgreSQL's pg_temp), emptied and filled
 * with `values`; returns its qualified name for queries. Incremental reconciliation keeps its region and dirty units so.
 */
export function tempKeySet(db: Db, table: string, column: string, values: Iterable<string>): string {
  db.exec(sqlFor(db, {
    sqlite: `CREATE TEMP TABLE IF NOT EXISTS ${table} (${column} TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.${table};`,
    postgres: `CREATE TEMP TABLE IF NOT EXISTS ${table} (${column} TEXT COLLATE "C" PRIMARY KEY); DELETE FROM pg_temp.${table};`,
  }));
  const ins = db.prepare(sqlFor(db, {
    sqlite: `INSERT OR IGNORE INTO temp.${table} (${column}) VALUES (?)`,
    postgres: `INSERT INTO pg_temp.${table} (${column}) VALUES (?) ON CONFLICT DO NOTHING`,
  }));
  for (const v of values) ins.run(v);
  return sqlFor(db, { sqlite: `temp.${table}`, postgres: `pg_temp.${table}` });
}
