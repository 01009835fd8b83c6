// `nhi-census prune --keep <months>`: retention (src/graph/retention.ts) under the writer lock, then
// PRAGMA optimize and VACUUM when enough of the file is free.
import type { Command } from 'commander';
import { openDb } from '../graph/db.ts';
import { prune } from '../graph/retention.ts';
import { globals, lockForCommand, loggerFor, out } from './common.ts';
import { EXIT } from './exit-codes.ts';
import { renderRows } from './format.ts';
import { seconds, wholeNumber, dbOption } from './options.ts';

export function registerPrune(program: Command): void {
  program.command('prune')
    .description('delete runs, change history and page-cache rows older than the window; keeps every finding\'s evidence and every report\'s inputs')
    .requiredOption('-k, --keep <months>', 'months to keep besides the current one (e.g. 12)', wholeNumber(0))
    .addOption(dbOption(undefined, 'nhi-census.db'))
    .option('--dry-run', 'count what would be deleted, delete nothing')
    .option('--vacuum', 'always VACUUM afterwards (default: when at least 20% of the file is free)')
    .option('--wait <seconds>', 'wait this long for a run holding the database lock', seconds, 0)
    .addHelpText('after', '\nExit codes: 0 pruned, 2 bad options, 6 another run holds the database lock, 7 no usable database, 8 the database cannot be written.')
    .action(async (opts: { keep: number; db: string; dryRun?: boolean; vacuum?: boolean; wait: number }, cmd: Command) => {
      const log = loggerFor(globals(cmd));
      const keep = opts.keep;
      const db = openDb(opts.db, { mustExist: true, postgres: true });
      let lock;
      try {
        lock = await lockForCommand(db, 'prune', log, { waitSeconds: opts.wait });
        const r = prune(db, { keepMonths: keep, dryRun: opts.dryRun, vacuumThreshold: opts.vacuum ? 0 : undefined });
        out(renderRows(Object.entries(r.deleted).map(([table, rows]) => ({ table, [opts.dryRun ? 'would_delete' : 'deleted']: rows })), 'table'));
        out(`${opts.dryRun ? 'dry run: ' : ''}pruned before ${r.cutoff}; kept ${r.kept.runs} runs and ${r.kept.reconciliations} reconciliations (in the window, or needed by reports and findings); ` +
          `${(r.bytesBefore / 1048576).toFixed(1)} MB -> ${(r.bytesAfter / 1048576).toFixed(1)} MB` +
          (r.vacuumed ? ' (vacuumed)' : ''));
      } finally {
        lock?.release();
        db.close();
      }
    });
}
