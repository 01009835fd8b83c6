// The writer lock: one writer run (`run`, `crawl`, `prune`) per database at a time. A row in `db_lock`
// holds pid, host, command, start time and the crawl run in progress; it is taken with a
// compare-and-swap inside BEGIN IMMEDIATE (SQLite's write lock; on PostgreSQL, under an advisory transaction lock),
// so two processes can never both win.
// A lock is stale when its holder is dead on this host, or when its heartbeat (refreshed while held) is
// older than `staleAfterSeconds` — the case of a holder on another host (a Kubernetes pod, a CI runner)
// that vanished. Taking over a stale lock marks the holder's crawl run 'interrupted'.
// Readers never take it: WAL lets them read while a writer writes.
import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from './db.ts';
import { dialectOf } from './graph-db.ts';
import { isStorageFailure } from '../util/storage-error.ts';
import { pidAlive } from './runs.ts';

/**
 * On PostgreSQL the same lock row (db_lock, with its heartbeat and stale takeover) is the lease — one writer per
 * database, as on SQLite, whichever machine it runs on; this transaction-scoped advisory lock makes the
 * compare-and-swap atomic, as BEGIN IMMEDIATE does on SQLite.
 */
const PG_WRITER_LOCK_CAS = `SELECT pg_advisory_xact_lock(hashtext('nhi-census:db_lock'))`;

export interface LockHolder { pid: number; host: string; command: string; started_at: string; heartbeat_at: string; run_id: number | null; token: string }

export interface LockOptions {
  command: string;
  /** Wait this long for the holder to finish before giving up (seconds; default 0). */
  waitSeconds?: number;
  /** A heartbeat older than this marks the lock stale whatever its host (seconds; default 3600). */
  staleAfterSeconds?: number;
  /** Heartbeat interval while held (ms; default 30 s). */
  heartbeatMs?: number;
  /** Poll interval while waiting (ms; default 500). */
  pollMs?: number;
  isAlive?: (pid: number) => boolean;
  onWait?: (holder: LockHolder) => void;
  onTakeover?: (stale: LockHolder, reason: string) => void;
}

export class LockedError extends Error {
  readonly exitCode = 6;
  constructor(readonly holder: LockHolder, waitedSeconds: number) {
    super(`database is locked by ${describeHolder(holder)}` + (waitedSeconds > 0 ? ` (waited ${waitedSeconds} s)` : '') +
      '; try again later, or use --wait <seconds>');
    this.name = 'LockedError';
  }
}

export function describeHolder(h: LockHolder): string {
  return `'nhi-census ${h.command}' pid ${h.pid} on ${h.host}, started ${h.started_at}` + (h.run_id !== null ? `, crawl run ${h.run_id}` : '');
}

export class DbLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;
  constructor(private readonly db: Db, readonly token: string, heartbeatMs: number) {
    this.timer = setInterval(() => this.heartbeat(), heartbeatMs);
    this.timer.unref();
  }

  /** Record the crawl run in progress (so a takeover can mark it interrupted). */
  setRunId(runId: number | null): void {
    if (!this.released) this.db.prepare("UPDATE db_lock SET run_id = ? WHERE name = 'writer' AND token = ?").run(runId, this.token);
  }

  heartbeat(): void {
    if (this.released || !this.db.open) return;
    try {
      this.db.prepare("UPDATE db_lock SET heartbeat_at = ? WHERE name = 'writer' AND token = ?").run(new Date().toISOString(), this.token);
    } catch { /* busy: the next beat will do */ }
  }

  /** Still ours? (false after a takeover by someone who judged us stale) */
  held(): boolean {
    return !this.released && this.db.prepare("SELECT 1 FROM db_lock WHERE name = 'writer' AND token = ?").get(this.token) !== undefined;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    if (!this.db.open) return;
    try {
      this.db.prepare("DELETE FROM db_lock WHERE name = 'writer' AND token = ?").run(this.token);
    } catch (err) {
      // a full disk: the row stays; its pid is gone once this process exits, so the next run takes the lock over as stale
      if (!isStorageFailure(err)) throw err;
    }
  }
}

/** Current holder, if any (readers may call it; it takes no lock). */
export function lockHolder(db: Db): LockHolder | undefined {
  return db.prepare<[], LockHolder>("SELECT pid, host, command, started_at, heartbeat_at, run_id, token FROM db_lock WHERE name = 'writer'").get();
}

/** Why a holder is stale, or null when it is (as far as we can tell) alive. */
export function staleReason(h: LockHolder, opts: { staleAfterSeconds?: number; isAlive?: (pid: number) => boolean; now?: number } = {}): string | null {
  const isAlive = opts.isAlive ?? pidAlive;
  if (h.host === os.hostname() && !isAlive(h.pid)) return `pid ${h.pid} is not running on ${h.host}`;
  const age = ((opts.now ?? Date.now()) - Date.parse(h.heartbeat_at)) / 1000;
  const max = opts.staleAfterSeconds ?? 3600;
  if (age > max) return `no heartbeat for ${Math.round(age)} s (more than ${max} s)`;
  return null;
}

/** One compare-and-swap attempt: the lock if free or stale, else the live holder. */
export function tryAcquire(db: Db, opts: LockOptions): { lock: DbLock } | { holder: LockHolder } {
  const token = crypto.randomUUID();
  const now = new Date().toISOString();
  const result = db.transaction((): { holder: LockHolder } | { took: LockHolder | null; reason: string | null } => {
    if (dialectOf(db) === 'postgres') db.exec(PG_WRITER_LOCK_CAS); // BEGIN takes no lock there: the swap is serialised here
    const h = lockHolder(db);
    let reason: string | null = null;
    if (h) {
      reason = staleReason(h, opts);
      if (!reason) return { holder: h };
      db.prepare("DELETE FROM db_lock WHERE name = 'writer' AND token = ?").run(h.token);
      if (h.run_id !== null) {
        db.prepare("UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE id = ? AND status = 'running'").run(now, h.run_id);
        db.prepare("UPDATE run_resources SET status = 'failed', error = coalesce(error, 'run interrupted') WHERE run_id = ? AND status = 'running'").run(h.run_id);
      }
      db.prepare("UPDATE pipeline_runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running' AND pid = ? AND host = ?")
        .run(now, h.pid, h.host);
      // and the steps it left 'running' (it died, or a full disk kept it from closing them)
      db.prepare(`UPDATE run_steps SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'
          AND pipeline_run_id IN (SELECT id FROM pipeline_runs WHERE pid = ? AND host = ? AND status = 'interrupted')`).run(now, h.pid, h.host);
    }
    db.prepare(`INSERT INTO db_lock (name, token, pid, host, command, started_at, heartbeat_at, run_id)
        VALUES ('writer', ?, ?, ?, ?, ?, ?, NULL)`).run(token, process.pid, os.hostname(), opts.command, now, now);
    return { took: h ?? null, reason };
  }).immediate();
  if ('holder' in result) return result;
  if (result.took) opts.onTakeover?.(result.took, result.reason ?? 'stale');
  return { lock: new DbLock(db, token, opts.heartbeatMs ?? 30_000) };
}

/** Takes the writer lock, waiting up to `waitSeconds` for a live holder; throws LockedError after that. */
export async function acquireLock(db: Db, opts: LockOptions): Promise<DbLock> {
  const deadline = Date.now() + (opts.waitSeconds ?? 0) * 1000;
  let announced = false;
  for (;;) {
    const r = tryAcquire(db, opts);
    if ('lock' in r) return r.lock;
    if (Date.now() >= deadline) throw new LockedError(r.holder, opts.waitSeconds ?? 0);
    if (!announced) { opts.onWait?.(r.holder); announced = true; }
    await new Promise((res) => setTimeout(res, Math.min(opts.pollMs ?? 500, Math.max(10, deadline - Date.now()))));
  }
}

/** The crawl run a live writer is writing now, if any (a dead or stale holder's run is not in progress). */
export function crawlInProgress(db: Db): { runId: number; holder: LockHolder } | undefined {
  const h = lockHolder(db);
  return h && h.run_id !== null && staleReason(h) === null ? { runId: h.run_id, holder: h } : undefined;
}
