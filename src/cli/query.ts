// `nhi-census query "<sql>"`: runs one read-only statement against the graph (table, CSV or JSON).
import type { Command } from 'commander';
import { openDb } from '../graph/db.ts';
import { crawlInProgress, describeHolder } from '../graph/lock.ts';
import { InputError } from '../config/yaml-errors.ts';
import { out } from './common.ts';
import { renderRows, type Row } from './format.ts';

export function registerQuery(program: Command): void {
  program.command('query')
    .description('run a read-only SQL query against the graph (views: connectors, credentials, grants, owners, principals, reach, forwards, changes, run_ledger, findings)')
    .argument('<sql>', 'one SQL statement')
    .option('--db <file>', 'database file', 'nhi-census.db')
    .option('-f, --format <format>', 'table | csv | json', 'table')
    .addHelpText('after', '\nThe connection is read-only: statements that write are refused.\nExample: nhi-census query "select provider, count(*) from connectors group by 1"')
    .action((sql: string, opts: { db: string; format: string }) => {
      if (!['table', 'csv', 'json'].includes(opts.format)) throw new InputError(`--format must be table, csv or json (got ${opts.format})`);
      const db = openDb(opts.db, { readonly: true });
      try {
        let stmt;
        try { stmt = db.prepare(sql); } catch (err) { throw new InputError(`query: ${(err as Error).message}`); }
        if (!stmt.reader) throw new InputError('query: only statements that return rows are allowed (the connection is read-only)');
        out(renderRows(stmt.all() as Row[], opts.format as 'table'));
        const running = crawlInProgress(db);
        // said on stderr, so CSV/JSON on stdout stay clean for pipes
        if (running) process.stderr.write(`note: crawl run #${running.runId} (${describeHolder(running.holder)}) is still writing: the views include the pages it has written so far; reports and reconcile use finished runs only\n`);
      } finally {
        db.close();
      }
    });
}
