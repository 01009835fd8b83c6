// `nhi-census db backup <file>`: a consistent copy of the live database with SQLite's online backup
// API (better-sqlite3 db.backup), safe while a crawl writes; `nhi-census db info`: schema version,
// size, lock holder. The copy is written to `<file>.partial` (created 0600), fsynced and renamed.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../config/yaml-errors.ts';
import { latestSchemaVersion, openDb, schemaVersion } from '../graph/db.ts';
import { describeHolder, lockHolder } from '../graph/lock.ts';
import { dbBytes } from '../graph/retention.ts';
import { fsyncDir } from '../util/atomic-write.ts';
import { createPrivateFile, makePrivateDir, PRIVATE_FILE_MODE } from '../util/private-files.ts';
import { asStorageError } from '../util/storage-error.ts';
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
        let r: Awaited<ReturnType<typeof db.backup>>;
        try {
          makePrivateDir(path.dirname(path.resolve(file)));
          fs.rmSync(tmp, { force: true });
          createPrivateFile(tmp); // SQLite's backup writes into the empty file and keeps its mode
          r = await db.backup(tmp);
          fs.chmodSync(tmp, PRIVATE_FILE_MODE);
          const fd = fs.openSync(tmp, 'r+');
          try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
          fs.renameSync(tmp, file);
          fsyncDir(path.dirname(path.resolve(file)));
        } catch (err) {
          fs.rmSync(tmp, { force: true });
          throw asStorageError(err, file);
        }
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
