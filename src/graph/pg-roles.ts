// The roles of a PostgreSQL graph (`nhi-census db grant`): SQL for a database administrator to run, printed, never
// executed. Two NOLOGIN group roles; people and hosts log in as members of them:
//  - the writer (crawlers, workers, reconcile, report, prune, run): CONNECT and TEMPORARY (reconcile's session
//    temporary tables) on the database, USAGE on the schema, SELECT/INSERT/UPDATE/DELETE on every table, USAGE/SELECT
//    on the identity sequences, the same on tables a later migration creates (default privileges of the owner that
//    migrates), the schema version read-only. Advisory locks need no grant. Migrations are not the writer's: a
//    writable open upgrades the schema, which only the owner of the tables can (run one writable command as the owner
//    after upgrading nhi-census, e.g. `reconcile`; a writer's open of an up-to-date database changes no schema);
//  - the analyst: CONNECT, USAGE on the schema, SELECT on the graph's views (GRAPH_VIEWS) and on nhi_schema (the
//    version a read-only open checks) — no table; read-only transactions by default. A view added by a later
//    migration needs this script again (default privileges cannot tell a view from a table).
// Identifiers are double-quoted; names that are not plain (letters, digits, _ - .), reserved or pg_-prefixed are refused.
import { GRAPH_VIEWS } from './views.ts';

export interface RoleGrants {
  writer: string;
  analyst: string;
  schema: string;
  /** The database's name for GRANT … ON DATABASE; undefined: the database the script runs in (current_database()). */
  database?: string;
  /** The role that owns the tables and runs the migrations (ALTER DEFAULT PRIVILEGES FOR ROLE); undefined: whoever runs the script. */
  owner?: string;
}

export const DEFAULT_ROLES = { writer: 'nhi_writer', analyst: 'nhi_analyst', schema: 'public' } as const;

const RESERVED = new Set(['public', 'none', 'current_user', 'session_user', 'current_role', 'all']);

/** Why `name` cannot be a role (or schema) name here, or null. */
export function invalidRoleName(name: string, what = 'role'): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) return `${what} name '${name}' must start with a letter or _ and hold only letters, digits, _ - .`;
  if (Buffer.byteLength(name) > 63) return `${what} name '${name}' is longer than 63 bytes (PostgreSQL would cut it)`;
  if (what === 'role' && RESERVED.has(name.toLowerCase())) return `'${name}' is a reserved role name`;
  if (/^pg_/i.test(name)) return `${what} name '${name}' starts with pg_ (reserved for PostgreSQL's own)`;
  return null;
}

/** A double-quoted SQL identifier ("" inside doubled). */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
/** A single-quoted SQL string literal. */
const quoteLiteral = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** The SQL that creates (if missing) and grants both roles; re-runnable (after an upgrade that adds views). */
export function roleGrantSql(g: RoleGrants): string {
  const checks: Array<[string, string]> = [[g.writer, 'role'], [g.analyst, 'role'], [g.schema, 'schema'], ...(g.owner ? [[g.owner, 'role'] as [string, string]] : [])];
  for (const [name, what] of checks) {
    const why = invalidRoleName(name, what);
    if (why) throw new Error(why);
  }
  if (g.writer === g.analyst) throw new Error(`the writer and the analyst must be different roles (both '${g.writer}')`);
  if (g.database !== undefined && (g.database === '' || g.database.includes('\u0000'))) throw new Error('the database name is empty or holds NUL');
  const [w, a, s] = [quoteIdent(g.writer), quoteIdent(g.analyst), quoteIdent(g.schema)];
  const createRole = (name: string) => `DO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(name)}) THEN CREATE ROLE ${quoteIdent(name)} NOLOGIN; END IF;\nEND $$;`;
  const onDatabase = (privileges: string, role: string) => (g.database !== undefined
    ? `GRANT ${privileges} ON DATABASE ${quoteIdent(g.database)} TO ${role};`
    : `DO $$ BEGIN EXECUTE format('GRANT ${privileges} ON DATABASE %I TO %s', current_database(), ${quoteLiteral(role)}); END $$;`);
  const forOwner = g.owner ? ` FOR ROLE ${quoteIdent(g.owner)}` : '';
  return [
    '-- nhi-census roles (nhi-census db grant): run as a superuser or the owner of the tables, e.g.',
    "--   nhi-census db grant > grant.sql && psql 'postgres://owner@host/db' -v ON_ERROR_STOP=1 -f grant.sql",
    '-- Migrations run as the owner of the tables (a writable open upgrades the schema): after upgrading nhi-census,',
    '-- run one writable command (e.g. nhi-census reconcile) as the owner before the writer role uses the database.',
    'BEGIN;',
    '',
    `-- ${g.writer}: crawlers, workers, reconcile, report, prune, run — reads and writes every table, never the schema.`,
    createRole(g.writer),
    onDatabase('CONNECT, TEMPORARY', w),
    `GRANT USAGE ON SCHEMA ${s} TO ${w};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${w};`,
    `REVOKE INSERT, UPDATE, DELETE ON ${s}."nhi_schema" FROM ${w}; -- the schema version is the migrations' own`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${w};`,
    `-- tables and sequences a later migration creates${g.owner ? '' : ' (run this as the role that migrates, or pass --owner)'}`,
    `ALTER DEFAULT PRIVILEGES${forOwner} IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${w};`,
    `ALTER DEFAULT PRIVILEGES${forOwner} IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${w};`,
    '',
    `-- ${g.analyst}: the graph's views only (docs/graph.md), read-only; no table but the schema version.`,
    createRole(g.analyst),
    onDatabase('CONNECT', a),
    `GRANT USAGE ON SCHEMA ${s} TO ${a};`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${a};`,
    `GRANT SELECT ON\n${GRAPH_VIEWS.map((v) => `  ${s}.${quoteIdent(v)}`).join(',\n')}\n  TO ${a};`,
    `GRANT SELECT ON ${s}."nhi_schema" TO ${a}; -- the version nhi-census query checks`,
    `ALTER ROLE ${a} SET default_transaction_read_only = on;`,
    '',
    'COMMIT;',
    '',
    '-- Logins are members of these roles; set each password from psql (\\password), never in a script. Role settings',
    '-- are not inherited from a group: give each analyst login its own default_transaction_read_only.',
    `--   CREATE ROLE crawler LOGIN IN ROLE ${w};`,
    '--   \\password crawler',
    `--   CREATE ROLE alice LOGIN IN ROLE ${a};`,
    '--   ALTER ROLE alice SET default_transaction_read_only = on;',
    '--   \\password alice',
    '',
  ].join('\n');
}
