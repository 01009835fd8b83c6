// SQL that differs between the two backends, side by side at the call site: `sqlFor(db, { sqlite, postgres })`
// returns the variant for the database's dialect (graph-db.ts dialectOf). Portable SQL needs no wrapper.
import type { Db } from './db.ts';
import { dialectOf } from './graph-db.ts';

export function sqlFor(db: Db, v: { sqlite: string; postgres: string }): string {
  return dialectOf(db) === 'postgres' ? v.postgres : v.sqlite;
}

/** After an ascending ORDER BY term that may be NULL: NULLs first, as SQLite sorts them (PostgreSQL puts them last). */
export const nullsFirst = (db: Db): string => sqlFor(db, { sqlite: '', postgres: ' NULLS FIRST' });
