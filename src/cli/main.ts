// The nhi-census command line: global options, one sub-command per file, errors mapped to exit codes.
import { Command, CommanderError } from 'commander';
import { redactSecrets } from '../util/redact.ts';
import { escapeControls } from '../util/terminal-text.ts';
import { InputError } from '../config/yaml-errors.ts';
import { loadSecretPatterns } from '../crawl/load-connectors.ts';
import { exitCodeFor } from './common.ts';
import { EXIT } from './exit-codes.ts';
import { choiceOption } from './options.ts';
import { VERSION } from './version.ts';
import { injectTerminal, type TerminalOptions } from './terminal.ts';
import { registerCrawl } from './crawl.ts';
import { registerQuery } from './query.ts';
import { registerPaths } from './paths.ts';
import { registerRuns } from './runs.ts';
import { registerSim } from './sim.ts';
import { registerDemo } from './demo.ts';
import { registerReconcile } from './reconcile.ts';
import { registerInventory } from './inventory.ts';
import { registerReport } from './report.ts';
import { registerRun } from './run.ts';
import { registerWorker } from './worker.ts';
import { registerPrune } from './prune.ts';
import { registerDbCommands } from './db.ts';
import { registerCompletion } from './completion.ts';

export function buildProgram(): Command {
  const program = new Command('nhi-census')
    .description('Find the non-human identities connecting your SaaS and cloud platforms, reconcile them against your approved inventory, and report.')
    .version(VERSION)
    .addOption(choiceOption('--log-format <format>', 'json | text (default: text on a terminal, json otherwise)', ['json', 'text']))
    .addOption(choiceOption('--log-level <level>', 'debug | info | warn | error (default: info; warn on a terminal, where a progress bar shows progress)',
      ['debug', 'info', 'warn', 'error']))
    .option('-q, --quiet', 'only warnings and errors')
    .showHelpAfterError()
    .exitOverride();
  registerCrawl(program);
  registerQuery(program);
  registerPaths(program);
  registerRuns(program);
  registerSim(program);
  registerDemo(program);
  registerReconcile(program);
  registerInventory(program);
  registerReport(program);
  registerRun(program);
  registerWorker(program);
  registerPrune(program);
  registerDbCommands(program);
  registerCompletion(program);
  return program;
}

/** main()'s options: the terminal the commands write for (src/cli/terminal.ts; default: process.stderr's). */
export type MainOptions = TerminalOptions;

let pipeHandlers = false;

export async function main(argv: string[], opts: MainOptions = {}): Promise<number> {
  // `nhi-census query … | head`: the reader closing the pipe early is normal, not a crash
  if (!pipeHandlers) {
    pipeHandlers = true;
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK); else throw err; });
    }
  }
  const program = buildProgram();
  const restoreTerminal = injectTerminal(opts);
  try {
    await loadSecretPatterns(); // every command masks every provider's token formats, crawling or not
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.OK : EXIT.INPUT;
    }
    // provider text can reach an error message: controls are escaped, and only our own validation
    // messages (InputError) keep their line breaks
    const message = redactSecrets((err as Error).message ?? String(err));
    process.stderr.write(`nhi-census: ${escapeControls(message, { keepNewlines: err instanceof InputError })}\n`);
    return exitCodeFor(err);
  } finally {
    restoreTerminal();
  }
}
