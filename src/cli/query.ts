// `nhi-census query "<sql>"`: runs one read-only statement against the graph (table, CSV or JSON); with no
// statement on a terminal, an interactive prompt (query-prompt.ts).
import { dbOption } from './options.ts';
import type { Command } from 'commander';
import { openDb, type Db } from '../graph/db.ts';
import { crawlsInProgress, describeHolder } from '../graph/lock.ts';
import { InputError } from '../config/yaml-errors.ts';
import { out } from './common.ts';
import { renderTable, uniqueColumns } from './format.ts';
import { GRAPH_VIEWS } from '../graph/views.ts';
import { promptIo, runQueryPrompt } from './query-prompt.ts';

export function registerQuery(program: Command): void {
  program.command('query')
    .description(`run a read-only SQL query against the graph (views: ${GRAPH_VIEWS.join(', ')})`)
    .argument('[sql]', 'one SQL statement (none, on a terminal: an interactive prompt)')
    .addOption(dbOption(undefined, 'nhi-census.db'))
    .option('-f, --format <format>', 'table | csv | json', 'table')
    .addHelpText('after', '\nThe connection is read-only: statements that write are refused.\nExample: nhi-census query "select provider, count(*) from connectors group by 1"')
    .action(async (sql: string | undefined, opts: { db: string; format: string }) => {
      if (!['table', 'csv', 'json'].includes(opts.format)) throw new InputError(`--format must be table, csv or json (got ${opts.format})`);
      const io = promptIo();
      if (sql === undefined && !io.isTTY) throw new InputError('query: no SQL statement given (pass one, e.g. nhi-census query "select * from connectors"; on a terminal, no statement opens an interactive prompt)');
      const db = openDb(opts.db, { readonly: true, postgres: true });
      try {
        if (sql === undefined) { await runQueryPrompt(db, { dbFile: opts.db, format: opts.format as QueryFormat, io, render: renderQuery }); return; }
        out(renderQuery(db, sql, opts.format as QueryFormat));
        // said on stderr, so CSV/JSON on stdout stay clean for pipes
        for (const running of visibleCrawls(db)) process.stderr.write(`note: crawl run #${running.runId} (${describeHolder(running.holder)}) is still writing: the views include the pages it has written so far; reports and reconcile use finished runs only\n`);
      } finally {
        db.close();
      }
    });
}

export type QueryFormat = 'table' | 'csv' | 'json';

/** The crawls still writing, as far as the role may see: an analyst role (db grant) reads the views only, not db_lock. */
function visibleCrawls(db: Db): ReturnType<typeof crawlsInProgress> {
  try { return crawlsInProgress(db); } catch (err) {
    if ((err as { code?: string }).code === '42501') return []; // insufficient_privilege
    throw err;
  }
}

/** One read-only statement's rows, rendered (the one-shot command and the interactive prompt). */
export function renderQuery(db: Db, sql: string, format: QueryFormat): string {
  let stmt;
  try { stmt = db.prepare(sql); } catch (err) { throw new InputError(`query: ${(err as Error).message}`); }
  if (!stmt.reader) throw new InputError('query: only statements that return rows are allowed (the connection is read-only)');
  // positional rows and the statement's own column list: `select 1 as a, 2 as a` keeps both (a, a:1)
  return renderTable({ columns: uniqueColumns(stmt.columns().map((c) => c.name)), rows: stmt.raw(true).all() as unknown[][] }, format);
}
