// Opening the graph on PostgreSQL (issue 18): `--db postgres://…` (or postgresql://; TLS through the usual sslmode
// parameters, which node-postgres reads from the URL). A writable open brings the schema to the latest version with
// the PostgreSQL migrations (src/graph/migrations-pg/, paired one to one with SQLite's), each in its own transaction
// under an advisory lock (another process may be migrating: the version is re-read inside the lock); at the latest
// version it runs no DDL, so the writer role of `db grant` (rows only, not the schema) can open it. A read-only open
// never writes: a schema older than this binary's is refused, not upgraded. Commands that do not run on PostgreSQL yet
// are refused here with one clear line (opts.postgres not set), before anything is written.
import { migrations } from './migrations/index.ts';
import { PG_MIGRATION_LOCK, PG_SCHEMA_BOOTSTRAP, PG_SCHEMA_VERSION, pgMigrationMismatch, pgMigrations, pgSetSchemaVersion } from './migrations-pg/index.ts';
import { describePostgresUrl, openPostgres, type PostgresDb } from './pg/client.ts';

export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

/** What runs on PostgreSQL so far; the rest of the commands need the SQLite file (docs/postgres.md). */
export const POSTGRES_COMMANDS = ['query', 'db copy', 'db info', 'reconcile', 'report', 'crawl', 'runs', 'prune', 'db reset-state', 'run', 'demo', 'inventory draft', 'worker', 'paths'] as const;

/** How messages and files name a database: a file as given, a PostgreSQL URL without its password. */
export const describeDatabase = (db: string): string => (isPostgresUrl(db) ? describePostgresUrl(db) : db);

export interface PgOpenOptions { readonly?: boolean; allowNewer?: boolean }

/** Opens and (writable) migrates; errors are thrown as they come (the caller maps them to exit codes). */
export function openPostgresGraph(url: string, opts: PgOpenOptions, unusable: (message: string) => Error): PostgresDb {
  const drift = pgMigrationMismatch(migrations);
  if (drift) throw new Error(`this build's PostgreSQL schema does not pair with SQLite's: ${drift}`);
  const latest = pgMigrations.at(-1)!.id;
  const db = openPostgres(url, { readonly: opts.readonly, applicationName: 'nhi-census' });
  try {
    const version = (): number => db.prepare<[], { version: number }>(PG_SCHEMA_VERSION).get()?.version ?? 0;
    const hasSchema = !!db.prepare<[], { t: string | null }>("SELECT to_regclass('nhi_schema')::text AS t").get()?.t;
    if (opts.readonly) {
      const v = hasSchema ? version() : 0;
      if (v === 0) throw unusable(`database ${describePostgresUrl(url)} holds no nhi-census graph yet: run 'nhi-census db copy' or a writable command first`);
      if (v > latest && !opts.allowNewer) throw unusable(`database ${describePostgresUrl(url)} has schema v${v}, newer than this nhi-census (v${latest}); upgrade nhi-census`);
      if (v < latest) throw unusable(`database ${describePostgresUrl(url)} has schema v${v}, older than this nhi-census (v${latest}): open it writable once to upgrade`);
      return db;
    }
    // an up-to-date schema is left alone: no DDL, so a role that may only read and write rows (db grant) opens it too
    if (hasSchema && version() >= latest) {
      if (version() > latest && !opts.allowNewer) throw unusable(`database ${describePostgresUrl(url)} has schema v${version()}, newer than this nhi-census (v${latest}); upgrade nhi-census`);
      return db;
    }
    db.transaction(() => { db.exec(PG_MIGRATION_LOCK); db.exec(PG_SCHEMA_BOOTSTRAP); })();
    if (version() > latest && !opts.allowNewer) throw unusable(`database ${describePostgresUrl(url)} has schema v${version()}, newer than this nhi-census (v${latest}); upgrade nhi-census`);
    for (const m of pgMigrations) {
      db.transaction(() => {
        db.exec(PG_MIGRATION_LOCK);
        if (version() >= m.id) return;
        db.exec(m.sql);
        db.exec(pgSetSchemaVersion(m.id));
      })();
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
