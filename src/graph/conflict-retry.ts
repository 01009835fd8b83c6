// PostgreSQL may end a write transaction with a deadlock (SQLSTATE 40P01: two crawls of different tenants locked the
// same shared rows — a scope node, its grade — in opposite orders) or a serialization failure (40001). Both roll the
// transaction back whole and mean "try again": retryConflicts reruns it a few times after a short, growing, jittered
// pause. Everything else (and SQLite, which serialises writers) passes through at once. Rows of one page are written
// in a stable order (upsert-set.ts), so a retry rarely meets the same deadlock twice.

/** A deadlock or serialization failure PostgreSQL rolled back (the transaction may simply be run again). */
export function isRetryableConflict(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | null;
  return e?.name === 'PostgresError' && (e.code === '40P01' || e.code === '40001');
}

export interface ConflictRetryOptions {
  /** Runs in all (default 4). */
  attempts?: number;
  /** The first pause in ms, doubled each time, plus up to as much again at random (default 20). */
  baseMs?: number;
  /** Told of each conflict that is retried (after the rollback, before the pause). */
  onRetry?: (err: unknown, attempt: number) => void;
}

/** `tx()` — one whole transaction — run again while PostgreSQL answers it with a deadlock or serialization failure. */
export function retryConflicts<T>(tx: () => T, opts: ConflictRetryOptions = {}): T {
  const attempts = opts.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return tx();
    } catch (err) {
      if (!isRetryableConflict(err) || attempt >= attempts) throw err;
      opts.onRetry?.(err, attempt);
      const base = (opts.baseMs ?? 20) * 2 ** (attempt - 1);
      pause(base + Math.random() * base);
    }
  }
}

/** Blocks the thread (the database client is synchronous: nothing else could run on it meanwhile anyway). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
