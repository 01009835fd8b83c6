// `nhi-census db backup <file>`: a consistent copy of the live database with SQLite's online backup
// API (better-sqlite3 db.backup), safe while a crawl writes; `nhi-census db info`: schema version,
// size, lock holder.
import fs from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../config/yaml-errors.ts';
import { latestSchemaVersion, openDb, schemaVersion } from '../graph/db.ts';
import { describeHolder, lockHolder } from '../graph/lock.ts';
import { dbBytes } from '../graph/retention.ts';
import { out } from './common.ts';

export function registerDbCommands(program: Command): void {
  const dbCmd = program.command('db').description('database maintenance: backup, info');
  dbCmd.command('backup <file>')
    .description('copy the database with SQLite\'s online backup API (consistent while a crawl writes)')
    .option('--db <file>', 'database file', 'nhi-census.db')
    .option('-f, --force', 'overwrite <file> if it exists')
    .addHelpText('after', '\nExit codes: 0 written, 2 bad input (no database, target exists), 1 error.')
    .action(async (file: string, opts: { db: string; force?: boolean }) => {
      if (!fs.existsSync(opts.db)) throw new InputError(`database ${opts.db} does not exist`);
      if (fs.existsSync(file) && !opts.force) throw new InputError(`${file} exists (use --force to overwrite)`);
      const db = openDb(opts.db, { readonly: true });
      try {
        const tmp = `${file}.partial`;
        fs.rmSync(tmp, { force: true });
        const r = await db.backup(tmp);
        fs.renameSync(tmp, file);
        out(`backed up ${opts.db} (schema v${schemaVersion(db)}, ${r.totalPages} pages) to ${file}`);
      } finally {
        db.close();
      }
    });
  dbCmd.command('info')
    .description('schema version, size, and who holds the writer lock')
    .option('--db <file>', 'database file', 'nhi-census.db')
    .action((opts: { db: string }) => {
      const db = openDb(opts.db, { readonly: true });
      try {
        const h = schemaVersion(db) >= 6 ? lockHolder(db) : undefined;
        out(`schema v${schemaVersion(db)} (this nhi-census: v${latestSchemaVersion}), ${(dbBytes(db) / 1048576).toFixed(1)} MB, ` +
          `${db.pragma('freelist_count', { simple: true })} free pages`);
        out(h ? `locked by ${describeHolder(h)}, heartbeat ${h.heartbeat_at}` : 'not locked');
      } finally {
        db.close();
      }
    });
}
