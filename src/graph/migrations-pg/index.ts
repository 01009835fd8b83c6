// The PostgreSQL schema history (issue 18): the same numbered migrations as SQLite's (../migrations/index.ts), with
// the same ids, names and meaning, spelt for PostgreSQL (./sql.ts lists the deliberate differences). Append a
// PostgreSQL migration with every SQLite one; pgMigrationMismatch says when the two lists have drifted apart.
//
// Schema version: SQLite keeps it in PRAGMA user_version; PostgreSQL in the one-row table nhi_schema(version), made
// by PG_SCHEMA_BOOTSTRAP (version 0) before migration 001. Apply as db.ts does for SQLite: each pending migration in
// its own transaction, after PG_MIGRATION_LOCK and a re-read of the version (another process may have applied it),
// then pgSetSchemaVersion(id) in the same transaction.
import type { Migration } from '../migrations/index.ts';
import * as m001 from './001-init.ts';
import * as m002 from './002-views.ts';
import * as m003 from './003-findings.ts';
import * as m004 from './004-identity.ts';
import * as m005 from './005-reports.ts';
import * as m006 from './006-operations.ts';
import * as m007 from './007-inventory-versions.ts';
import * as m008 from './008-evaluation-time.ts';
import * as m009 from './009-base-relative-state.ts';
import * as m010 from './010-forward-channels.ts';
import * as m011 from './011-coverage-status.ts';
import * as m012 from './012-grant-risk.ts';
import * as m013 from './013-accepted-subsumed.ts';
import * as m014 from './014-finding-attribution.ts';
import * as m015 from './015-inventory-policy.ts';
import * as m016 from './016-props-hash.ts';
import * as m017 from './017-finding-content-hash.ts';
import * as m018 from './018-reconcile-units.ts';
import * as m019 from './019-changed-run.ts';
import * as m020 from './020-crawl-jobs.ts';
import * as m021 from './021-trusts-view.ts';
import * as m022 from './022-reach-paths.ts';
// 023: one notion of write (scope_grades.controls_workloads) and the same-application step in the paths view (issue 19).
import * as m023 from './023-reach-unified.ts';
// 024: paired with SQLite's (the view already matches through a GIN index): a comment on the view.
import * as m024 from './024-trusts-view-keys.ts';

export const pgMigrations: Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014, m015, m016, m017, m018, m019, m020, m021, m022, m023, m024];

/** Creates the version table at version 0 if it is missing (idempotent; run under PG_MIGRATION_LOCK). */
export const PG_SCHEMA_BOOTSTRAP = `
CREATE TABLE IF NOT EXISTS nhi_schema (version integer NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS nhi_schema_one_row ON nhi_schema ((true));
INSERT INTO nhi_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM nhi_schema);
`;

/** Serialises migrating processes for the rest of the transaction (SQLite: BEGIN IMMEDIATE). */
export const PG_MIGRATION_LOCK = `SELECT pg_advisory_xact_lock(hashtext('nhi-census:nhi_schema'))`;

/** The schema version of a bootstrapped database. */
export const PG_SCHEMA_VERSION = 'SELECT version FROM nhi_schema';

export function pgSetSchemaVersion(id: number): string {
  if (!Number.isInteger(id) || id < 0) throw new Error(`schema version must be a whole number, got ${id}`);
  return `UPDATE nhi_schema SET version = ${id}`;
}

/**
 * Moves every identity (the ids SQLite allocates as max(rowid)+1, and edges.seq) past the largest value stored, so
 * rows inserted without an id after rows inserted with one (a copy from SQLite, a test's seed) get fresh ids, as in
 * SQLite. PostgreSQL's identities do not see explicit values: run this after writing any.
 */
export const PG_SYNC_IDENTITIES = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES' LOOP
    EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce((SELECT max(%I) FROM %I), 0) + 1, false)',
                   r.table_name, r.column_name, r.column_name, r.table_name);
  END LOOP;
END $$;
`;

/** Why the PostgreSQL migrations do not pair one to one (id and name) with SQLite's, or null when they do. */
export function pgMigrationMismatch(sqlite: readonly Migration[], pg: readonly Migration[] = pgMigrations): string | null {
  const label = (m: Migration | undefined) => (m ? `${String(m.id).padStart(3, '0')}-${m.name}` : 'none');
  for (let i = 0; i < Math.max(sqlite.length, pg.length); i++) {
    const s = sqlite[i];
    const p = pg[i];
    if (s?.id !== p?.id || s?.name !== p?.name) {
      return `migration #${i + 1}: SQLite has ${label(s)}, PostgreSQL has ${label(p)} (src/graph/migrations-pg/ must pair with src/graph/migrations/)`;
    }
  }
  return null;
}
