// The interactive prompt of `nhi-census query` (no statement, on a terminal): statements end with `;` and may
// span lines; dot commands list the tables and views (.tables), print one's definition (.schema NAME), switch
// the output format (.mode table|csv|json), .help and .quit. Results use the query command's formatters.
// History: readline's (arrow keys) on a terminal, kept across sessions in ~/.nhi_census_history (0600,
// secrets masked; NHI_CENSUS_HISTORY names another file, empty keeps none). The streams and the terminal
// decision are injectable (injectPromptIo) so a test drives the prompt with streams.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Db } from '../graph/db.ts';
import { LIST_RELATIONS_SQL, RELATION_SCHEMA_SQL } from '../graph/views.ts';
import { redactSecrets } from '../util/redact.ts';
import { escapeControls } from '../util/terminal-text.ts';
import { createPrivateFile } from '../util/private-files.ts';

export type PromptFormat = 'table' | 'csv' | 'json';
const FORMATS: readonly PromptFormat[] = ['table', 'csv', 'json'];
const PROMPT = 'nhi-census> ';
const CONTINUE = '       ...> ';
const HISTORY_SIZE = 1000;

export interface PromptIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  error: NodeJS.WritableStream;
  /** A person is at the keyboard: `query` with no statement opens the prompt (otherwise it is an input error). */
  isTTY: boolean;
  /** Where history is kept across sessions (null: nowhere). */
  historyFile: string | null;
}

let injected: Partial<PromptIo> = {};

/** Sets the prompt's streams for the commands that run until the returned function restores the previous ones. */
export function injectPromptIo(io: Partial<PromptIo>): () => void {
  const previous = injected;
  injected = io;
  return () => { injected = previous; };
}

export function promptIo(): PromptIo {
  const env = process.env.NHI_CENSUS_HISTORY;
  return {
    input: injected.input ?? process.stdin,
    output: injected.output ?? process.stdout,
    error: injected.error ?? process.stderr,
    isTTY: injected.isTTY ?? Boolean(process.stdin.isTTY && process.stdout.isTTY),
    historyFile: injected.historyFile !== undefined ? injected.historyFile : env === '' ? null : env ?? path.join(os.homedir(), '.nhi_census_history'),
  };
}

export interface PromptOptions {
  dbFile: string;
  format: PromptFormat;
  io: PromptIo;
  /** Renders one statement's rows (the query command's renderQuery); throws on a bad or writing statement. */
  render: (db: Db, sql: string, format: PromptFormat) => string;
}

export async function runQueryPrompt(db: Db, opts: PromptOptions): Promise<void> {
  const { io } = opts;
  const say = (s: string) => { io.output.write(s.endsWith('\n') ? s : s + '\n'); };
  const complain = (s: string) => { io.error.write(`error: ${escapeControls(redactSecrets(s))}\n`); };
  const rl = readline.createInterface({
    input: io.input, output: io.output, terminal: Boolean((io.output as NodeJS.WriteStream).isTTY),
    history: loadHistory(io.historyFile), historySize: HISTORY_SIZE, removeHistoryDuplicates: true,
  });
  let mode = opts.format;
  let buffer = '';
  rl.on('SIGINT', () => { // drop what is being typed: this line (readline's own state) and earlier lines
    Object.assign(rl as unknown as { line: string; cursor: number }, { line: '', cursor: 0 });
    buffer = '';
    io.output.write('^C\n');
    rl.setPrompt(PROMPT);
    rl.prompt();
  });
  say(`nhi-census query on ${opts.dbFile} (read-only). End a statement with ';'. .help lists the commands.`);

  const dot = (line: string): 'quit' | void => {
    const [cmd, ...args] = line.split(/\s+/);
    switch (cmd) {
      case '.quit': case '.exit': return 'quit';
      case '.help': say(HELP); return;
      case '.tables': {
        const rows = db.prepare(LIST_RELATIONS_SQL).all() as Array<{ name: string; type: string }>;
        say(`views:  ${rows.filter((r) => r.type === 'view').map((r) => r.name).join(' ')}\ntables: ${rows.filter((r) => r.type === 'table').map((r) => r.name).join(' ')}`);
        return;
      }
      case '.schema': {
        if (args.length !== 1) { complain('usage: .schema NAME (a view or table; .tables lists them)'); return; }
        const row = db.prepare(RELATION_SCHEMA_SQL).get(args[0]) as { sql: string } | undefined;
        if (row) say(`${row.sql.trim()};`); else complain(`no view or table named ${args[0]} (.tables lists them)`);
        return;
      }
      case '.mode':
        if (args.length === 0) say(`mode: ${mode}`);
        else if (args.length === 1 && (FORMATS as readonly string[]).includes(args[0]!)) mode = args[0] as PromptFormat;
        else complain(`usage: .mode ${FORMATS.join('|')}`);
        return;
      default: complain(`unknown command ${cmd} (.help lists the commands)`);
    }
  };

  rl.setPrompt(PROMPT);
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text) remember(io.historyFile, text);
    if (!buffer && text.startsWith('.')) {
      if (dot(text) === 'quit') break;
    } else if (text) {
      buffer = buffer ? `${buffer}\n${line}` : line;
      if (/;\s*$/.test(buffer)) {
        const sql = buffer.replace(/;\s*$/, '');
        buffer = '';
        try { say(opts.render(db, sql, mode)); } catch (err) { complain((err as Error).message); }
      }
    }
    rl.setPrompt(buffer ? CONTINUE : PROMPT);
    rl.prompt();
  }
  rl.close();
}

const HELP = `.tables          list the views (the stable query surface, docs/graph.md) and tables
.schema NAME     print how a view or table is defined
.mode [FORMAT]   show or set the output format: table, csv or json
.help            this list
.quit            leave (also .exit or Ctrl-D); Ctrl-C drops the statement being typed
Statements end with ';' and may span lines. The connection is read-only.`;

/** Newest first, as readline wants it. */
function loadHistory(file: string | null): string[] {
  if (!file) return [];
  try { return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse(); } catch { return []; }
}

function remember(file: string | null, line: string): void {
  if (!file) return;
  try {
    createPrivateFile(file);
    fs.appendFileSync(file, `${redactSecrets(line).replace(/\n/g, ' ')}\n`);
  } catch { /* history is a convenience: an unwritable file never stops the prompt */ }
}
