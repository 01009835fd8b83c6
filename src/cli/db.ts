// `nhi-census db backup <file>`: a consistent copy of the live database with SQLite's online backup
// API (better-sqlite3 db.backup), safe while a crawl writes; `nhi-census db info`: schema version,
// size, lock holder. The copy is written to `<file>.partial` (created 0600), fsynced and renamed.
// `nhi-census db reset-state [--provider P]`: clears crawl state (page cache, delta links, watermarks) under
// the writer lock, e.g. after the API moved host: the next crawl lists everything in full.
// `nhi-census db copy --from nhi-census.db --to postgres://…`: the whole SQLite graph into PostgreSQL, verified
// (src/graph/copy.ts). On PostgreSQL, `db backup` explains pg_dump instead (a database server's own backups).
// `nhi-census db grant`: prints the SQL for a writer and a read-only analyst role on PostgreSQL (src/graph/pg-roles.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../config/yaml-errors.ts';
import { dialectOf } from '../graph/graph-db.ts';
import { latestSchemaVersion, openDb, schemaVersion, sqliteOnly } from '../graph/db.ts';
import { copyGraph, CopyRefused } from '../graph/copy.ts';
import { isPostgresUrl } from '../graph/pg-open.ts';
import { describePostgresUrl } from '../graph/pg/client.ts';
import { DEFAULT_ROLES, roleGrantSql } from '../graph/pg-roles.ts';
import { describeHolder, lockHolders } from '../graph/lock.ts';
import { resetCrawlState } from '../graph/crawl-state.ts';
import { loadConnectors } from '../crawl/load-connectors.ts';
import { databaseFacts } from '../graph/retention.ts';
import { fillFileAtomic } from '../util/atomic-write.ts';
import { asStorageError } from '../util/storage-error.ts';
import { globals, lockForCommand, loggerFor, out } from './common.ts';
import { renderRows } from './format.ts';
import { providerOption, seconds, dbOption } from './options.ts';

export function registerDbCommands(program: Command): void {
  const dbCmd = program.command('db').description('database maintenance: backup, info, reset-state, copy, grant');
  dbCmd.command('backup <file>')
    .description('copy the database with SQLite\'s online backup API (consistent while a crawl writes)')
    .addOption(dbOption(undefined, 'nhi-census.db'))
    .option('-f, --force', 'overwrite <file> if it exists')
    .addHelpText('after', '\nExit codes: 0 written, 2 bad input (target exists), 7 no usable database, 8 the copy could not be written, 1 error.')
    .action(async (file: string, opts: { db: string; force?: boolean }) => {
      if (isPostgresUrl(opts.db)) {
        throw new InputError(`${describePostgresUrl(opts.db)} is a PostgreSQL database: back it up with the server's own tools, e.g. `
          + `pg_dump --format=custom --file=${file} '${describePostgresUrl(opts.db)}' (and restore with pg_restore) — docs/postgres.md`);
      }
      if (fs.existsSync(file) && !opts.force) throw new InputError(`${file} exists (use --force to overwrite)`);
      const db = openDb(opts.db, { readonly: true, allowNewer: true }); // a copy, page by page: any schema
      try {
        const sqlite = sqliteOnly(db, 'db backup');
        let r: Awaited<ReturnType<typeof sqlite.backup>>;
        try {
          r = await fillFileAtomic(file, (tmp) => sqlite.backup(tmp));
        } catch (err) {
          throw asStorageError(err, file);
        }
        out(`backed up ${opts.db} (schema v${schemaVersion(db)}, ${r.totalPages} pages) to ${file}`);
      } finally {
        db.close();
      }
    });
  dbCmd.command('reset-state')
    .description('clear crawl state — the page cache, delta links and watermarks — so the next crawl lists everything in full')
    .addOption(providerOption('only these providers\' state (default: every provider); repeat -p or give a comma list'))
    .addOption(dbOption(undefined, 'nhi-census.db'))
    .option('--wait <seconds>', 'wait this long for a run holding the database lock', seconds, 0)
    .addHelpText('after', '\nThe graph is kept: the next crawl lists in full (no conditional requests, no delta links) and removes only\n'
      + 'what a complete listing no longer finds. State issued for another base URL is discarded on its own; this is for\n'
      + 'starting afresh by hand (docs/operations.md, "Moving a provider to another address").\n'
      + 'Exit codes: 0 cleared, 2 bad input (unknown provider), 6 another run holds the database lock, 7 no usable database, 8 the database cannot be written.')
    .action(async (opts: { provider?: string[]; db: string; wait: number }, cmd: Command) => {
      if (opts.provider !== undefined) {
        const known = (await loadConnectors()).map((s) => s.name).sort();
        const unknown = opts.provider.filter((p) => !known.includes(p));
        if (unknown.length) throw new InputError(`unknown provider${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `'${p}'`).join(', ')} (known: ${known.join(', ')})`);
      }
      const log = loggerFor(globals(cmd));
      const db = openDb(opts.db, { mustExist: true, postgres: true });
      let lock;
      try {
        lock = await lockForCommand(db, 'db reset-state', log, { waitSeconds: opts.wait });
        const r = { cachedPages: 0, stateEntries: 0 };
        db.transaction(() => { // all the named providers, or none
          for (const p of opts.provider ?? [undefined]) {
            const one = resetCrawlState(db, p);
            r.cachedPages += one.cachedPages;
            r.stateEntries += one.stateEntries;
          }
        })();
        out(`cleared ${r.cachedPages} cached pages and ${r.stateEntries} state entries (${opts.provider?.join(', ') ?? 'every provider'}): `
          + 'the next crawl lists everything in full');
      } finally {
        lock?.release();
        db.close();
      }
    });
  dbCmd.command('info')
    .description('schema version, size, and who holds the writer lock or a crawl lease')
    .addOption(dbOption(undefined, 'nhi-census.db'))
    .action((opts: { db: string }) => {
      const db = openDb(opts.db, { readonly: true, allowNewer: true, postgres: true }); // it says which version the database has
      try {
        const holders = schemaVersion(db) >= 6 ? lockHolders(db) : [];
        const facts = databaseFacts(db);
        out(`${dialectOf(db) === 'postgres' ? 'PostgreSQL, ' : ''}schema v${schemaVersion(db)} (this nhi-census: v${latestSchemaVersion}), `
          + `${(facts.bytes / 1048576).toFixed(1)} MB${facts.freePages === null ? '' : `, ${facts.freePages} free pages`}`);
        if (!holders.length) out('not locked');
        for (const h of holders) out(`locked by ${describeHolder(h)}, heartbeat ${h.heartbeat_at}`); // the writer, or each crawl lease
      } finally {
        db.close();
      }
    });
  dbCmd.command('copy')
    .description('copy a SQLite graph (history, runs, findings, reports metadata) into an empty PostgreSQL database, verified')
    .requiredOption('--from <file>', 'the SQLite database file')
    .requiredOption('--to <url>', 'the PostgreSQL database: postgres://user@host:port/db (TLS: ?sslmode=require; password from PGPASSWORD or ~/.pgpass)')
    .addHelpText('after', '\nThe target is brought to this nhi-census\'s schema first; the copy is one transaction, verified before it commits\n'
      + '(row counts of every table, identical rows in every view): a refused or failed copy writes nothing.\n'
      + 'Exit codes: 0 copied and verified, 2 bad input (target not empty, not a PostgreSQL URL), 7 no usable database, 1 error.')
    .action((opts: { from: string; to: string }) => {
      if (!isPostgresUrl(opts.to)) throw new InputError(`--to ${opts.to}: a postgres:// URL is expected`);
      if (isPostgresUrl(opts.from)) throw new InputError(`--from ${describePostgresUrl(opts.from)}: the source is a SQLite file`);
      const from = openDb(opts.from, { readonly: true });
      try {
        const to = openDb(opts.to, { postgres: true });
        try {
          const r = copyGraph(from, to);
          out(renderRows(r.tables.map((t) => ({ table: t.table, rows: t.rows })), 'table'));
          out(`copied ${opts.from} (schema v${r.schema}) to ${describePostgresUrl(opts.to)}: ${r.tables.length} tables, `
            + `${r.tables.reduce((a, t) => a + t.rows, 0)} rows; every view identical (${r.views.map((v) => `${v.view} ${v.rows}`).join(', ')})`);
        } catch (err) {
          if (err instanceof CopyRefused) throw new InputError(`${err.message} — nothing was written`);
          throw err;
        } finally { to.close(); }
      } finally { from.close(); }
    });
  dbCmd.command('grant')
    .description('print the SQL that creates a writer and a read-only analyst role on PostgreSQL (run it with psql; nothing is executed)')
    .option('--writer <role>', 'the role of crawlers, workers, reconcile, report', DEFAULT_ROLES.writer)
    .option('--analyst <role>', 'the read-only role that sees the views only', DEFAULT_ROLES.analyst)
    .option('--schema <name>', 'the schema holding the graph', DEFAULT_ROLES.schema)
    .option('--owner <role>', 'the role that owns the tables and runs migrations (default privileges for later tables; default: whoever runs the SQL)')
    .addOption(dbOption('the PostgreSQL database the SQL is for, to name it in GRANT … ON DATABASE (default: the one psql runs it in)'))
    .addHelpText('after', '\nThe roles are NOLOGIN groups: log in as members (CREATE ROLE … LOGIN IN ROLE …; \\password in psql), see the\n'
      + 'comments at the end of the SQL. Migrations need the owner of the tables (docs/postgres.md, "Roles").\n'
      + 'Example: nhi-census db grant > grant.sql && psql \'postgres://owner@host/nhi\' -v ON_ERROR_STOP=1 -f grant.sql\n'
      + 'Exit codes: 0 printed, 2 bad input (an invalid role name, --db not a PostgreSQL URL).')
    .action((opts: { writer: string; analyst: string; schema: string; owner?: string; db?: string }) => {
      if (opts.db !== undefined && !isPostgresUrl(opts.db)) throw new InputError(`--db ${opts.db}: roles are for a PostgreSQL database (a postgres:// URL)`);
      const database = opts.db === undefined ? undefined : decodeURIComponent(new URL(opts.db).pathname.replace(/^\//, '')) || undefined;
      try {
        out(roleGrantSql({ writer: opts.writer, analyst: opts.analyst, schema: opts.schema, owner: opts.owner, database }));
      } catch (err) {
        throw new InputError(`db grant: ${(err as Error).message}`);
      }
    });
}
