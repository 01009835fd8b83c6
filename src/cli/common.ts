// Shared CLI plumbing: global options, the logger they select, config loading, and error -> exit code.
import type { Command } from 'commander';
import { InputError } from '../config/yaml-errors.ts';
import type { Db } from '../graph/db.ts';
import type { CrawlTarget } from '../crawl/targets.ts';
import { dialectOf } from '../graph/graph-db.ts';
import { acquireLock, crawlLeaseName, describeHolder, WRITER_LOCK, type DbLock } from '../graph/lock.ts';
import { createLogger, type Logger } from '../util/log.ts';
import { isStorageFailure } from '../util/storage-error.ts';
import { EXIT } from './exit-codes.ts';
import { terminal } from './terminal.ts';

export interface GlobalOpts { logFormat?: 'json' | 'text'; logLevel?: 'debug' | 'info' | 'warn' | 'error'; quiet?: boolean }

/**
 * Human text lines on a terminal (coloured unless NO_COLOR), JSON lines otherwise, unless --log-format says.
 * On a terminal the progress bar shows what info lines would: default to warnings there.
 */
export function loggerFor(opts: GlobalOpts): Logger {
  const { isTTY: tty, color } = terminal();
  const format = opts.logFormat ?? (tty ? 'text' : 'json');
  const level = opts.quiet ? 'warn' : opts.logLevel ?? (tty && format === 'text' ? 'warn' : 'info');
  return createLogger({ format, level, color });
}

export function globals(cmd: Command): GlobalOpts {
  return cmd.optsWithGlobals() as GlobalOpts;
}

/** Output for people: stdout, never secrets (the caller passes only graph data). */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof InputError) return EXIT.INPUT;
  const code = (err as { exitCode?: number }).exitCode;
  if (typeof code === 'number') return code;
  return isStorageFailure(err) ? EXIT.STORAGE : EXIT.ERROR;
}

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) { super(message); this.name = 'CliError'; }
}

/**
 * The database writer lock for a command (src/graph/lock.ts): waits up to `waitSeconds`, logs the wait
 * and any stale-lock takeover, and throws LockedError (exit 6, naming the holder) when it stays held.
 */
export function lockForCommand(db: Db, command: string, log: Logger, opts: { waitSeconds?: number; staleAfterSeconds?: number; names?: string[] } = {}): Promise<DbLock> {
  return acquireLock(db, {
    command, names: opts.names, waitSeconds: opts.waitSeconds ?? 0, staleAfterSeconds: opts.staleAfterSeconds,
    onWait: (h) => log.warn('database locked: waiting', { holder: describeHolder(h), wait_seconds: opts.waitSeconds }),
    onTakeover: (h, reason) => log.warn('took over a stale lock', { holder: describeHolder(h), reason }),
  });
}

/**
 * The locks a crawl of `targets` takes: on PostgreSQL one lease per (provider, tenant), `crawl:<provider>:<tenant>`, all
 * or nothing (crawls of other tenants run beside it; 'writer' and the same tenant wait or exit 6); on SQLite — and for
 * a crawl that covers no tenant — the writer lock, as every other command.
 */
export function lockForCrawl(db: Db, targets: readonly CrawlTarget[], log: Logger,
  opts: { waitSeconds?: number; staleAfterSeconds?: number; command?: string } = {}): Promise<DbLock> {
  const names = dialectOf(db) === 'postgres' && targets.length ? targets.map((t) => crawlLeaseName(t.provider, t.tenant)) : [WRITER_LOCK];
  return lockForCommand(db, opts.command ?? 'crawl', log, { ...opts, names });
}
