// Storage failures: a full disk, an I/O error or a read-only file system under the database or an output
// file. They are not bugs and retrying does not help, so commands end with one line naming the file and the
// cause (no stack trace) and the documented exit code 8 (EXIT.STORAGE in src/cli/exit-codes.ts).
const SQLITE_STORAGE = /^SQLITE_(FULL|IOERR|CORRUPT|READONLY|CANTOPEN|NOLFS)/;
const FS_STORAGE = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EFBIG', 'EACCES', 'EPERM']);
/** PostgreSQL SQLSTATEs of a database server that cannot take the write: out of disk or memory (53), I/O (58), the
 * connection lost (08), the server shutting down (57P01-57P03), a read-only server (25006: a standby). */
const PG_STORAGE = /^(53|58|08|57P0[123]$|25006$)/;

export class StorageError extends Error {
  /** EXIT.STORAGE (src/cli/exit-codes.ts). */
  readonly exitCode = 8;
  constructor(readonly file: string, override readonly cause: unknown, context = '') {
    super(`storage error: ${file}: ${describeCause(cause)}${context ? `; ${context}` : ''}`.replace(/[\r\n]+/g, ' '));
    this.name = 'StorageError';
  }
}

/** A SQLite, PostgreSQL or file-system error that says the storage under a file (or the database server) cannot take the write. */
export function isStorageFailure(err: unknown): boolean {
  if (err instanceof StorageError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  const name = (err as Error).name;
  return name === 'SqliteError' ? SQLITE_STORAGE.test(code) : name === 'PostgresError' ? PG_STORAGE.test(code) : FS_STORAGE.has(code);
}

/** `err` as a StorageError naming `file` when it is a storage failure; any other error unchanged. */
export function asStorageError(err: unknown, file: string, context = ''): unknown {
  if (err instanceof StorageError || !isStorageFailure(err)) return err;
  return new StorageError(file, err, context);
}

function describeCause(cause: unknown): string {
  const e = cause as { message?: string; code?: string } | null;
  const msg = e?.message ?? String(cause);
  return e?.code && !msg.includes(e.code) ? `${msg} (${e.code})` : msg;
}
