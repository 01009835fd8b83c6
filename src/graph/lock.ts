// Named locks in db_lock. 'writer' is the whole database: one writer run (`run`, `reconcile`, `prune`, … and, on
// SQLite, `crawl`) at a time. On PostgreSQL a crawl instead takes one lease per (provider, tenant) it crawls,
// `crawl:<provider>:<tenant>`, so crawls of different tenants run side by side. 'writer' conflicts with every live
// row; a crawl lease with 'writer' and with the same name. A row holds pid, host, command, start time, heartbeat and
// the crawl run in progress; all rows of one acquisition share its token and are taken all-or-nothing with a
// compare-and-swap inside BEGIN IMMEDIATE (SQLite's write lock; on PostgreSQL, under an advisory transaction lock),
// so two processes can never both win.
// A row is stale when its holder is dead on this host, or when its heartbeat (refreshed while held) is older than
// `staleAfterSeconds` — the case of a holder on another host (a Kubernetes pod, a CI runner) that vanished. Taking
// over a stale row (only the rows in the way, one by one) marks the holder's crawl run 'interrupted'.
// Readers never take one: WAL (SQLite) and MVCC (PostgreSQL) let them read while a writer writes.
import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from './db.ts';
import { dialectOf } from './graph-db.ts';
import { isStorageFailure } from '../util/storage-error.ts';
import { markRunInterrupted, pidAlive } from './runs.ts';

/**
 * On PostgreSQL the lock rows (db_lock, with their heartbeat and stale takeover) are the leases, whichever machine
 * holds them; this transaction-scoped advisory lock makes the compare-and-swap atomic, as BEGIN IMMEDIATE does on SQLite.
 */
const PG_WRITER_LOCK_CAS = `SELECT pg_advisory_xact_lock(hashtext('nhi-census:db_lock'))`;

/** The whole database. */
export const WRITER_LOCK = 'writer';

/** The lease a crawl of one (provider, tenant) takes on PostgreSQL. */
export function crawlLeaseName(provider: string, tenant: string): string {
  return `crawl:${provider}:${tenant}`;
}

/** Whether holding `a` and `b` at the same time is refused. */
export function lockNamesConflict(a: string, b: string): boolean {
  return a === WRITER_LOCK || b === WRITER_LOCK || a === b;
}

export interface LockHolder { name: string; pid: number; host: string; command: string; started_at: string; heartbeat_at: string; run_id: number | null; token: string }

export interface LockOptions {
  command: string;
  /** The rows to take together (default: ['writer']). */
  names?: string[];
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
  /** `wanted`: the rows asked for (default ['writer']): a crawl refused for its own tenant says which tenant. */
  constructor(readonly holder: LockHolder, waitedSeconds: number, wanted: readonly string[] = [WRITER_LOCK]) {
    const lease = wanted.includes(holder.name) ? crawlLeaseOf(holder.name) : null;
    super(`${lease ? `tenant ${lease.provider}:${lease.tenant}` : 'database'} is locked by ${describeHolder(holder)}`
      + (waitedSeconds > 0 ? ` (waited ${waitedSeconds} s)` : '') + '; try again later, or use --wait <seconds>');
    this.name = 'LockedError';
  }
}

function crawlLeaseOf(name: string): { provider: string; tenant: string } | null {
  const m = /^crawl:([^:]+):(.*)$/.exec(name);
  return m ? { provider: m[1]!, tenant: m[2]! } : null;
}

export function describeHolder(h: LockHolder): string {
  const lease = crawlLeaseOf(h.name);
  return `'nhi-census ${h.command}' pid ${h.pid} on ${h.host}, started ${h.started_at}` + (h.run_id !== null ? `, crawl run ${h.run_id}` : '')
    + (lease ? `, crawling ${lease.provider}:${lease.tenant}` : '');
}

export class DbLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;
  constructor(private readonly db: Db, readonly token: string, readonly names: readonly string[], heartbeatMs: number) {
    this.timer = setInterval(() => this.heartbeat(), heartbeatMs);
    this.timer.unref();
  }

  /** Record the crawl run in progress (so a takeover can mark it interrupted). */
  setRunId(runId: number | null): void {
    if (!this.released) this.db.prepare('UPDATE db_lock SET run_id = ? WHERE token = ?').run(runId, this.token);
  }

  /** Refreshes every row of this acquisition. */
  heartbeat(): void {
    if (this.released || !this.db.open) return;
    try {
      this.db.prepare('UPDATE db_lock SET heartbeat_at = ? WHERE token = ?').run(new Date().toISOString(), this.token);
    } catch { /* busy: the next beat will do */ }
  }

  /** Still ours, every row? (false after a takeover of any of them by someone who judged us stale) */
  held(): boolean {
    if (this.released) return false;
    const n = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM db_lock WHERE token = ?').get(this.token)!.n;
    return Number(n) === this.names.length;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    if (!this.db.open) return;
    try {
      this.db.prepare('DELETE FROM db_lock WHERE token = ?').run(this.token);
    } catch (err) {
      // a full disk: the rows stay; their pid is gone once this process exits, so the next run takes them over as stale
      if (!isStorageFailure(err)) throw err;
    }
  }
}

const HOLDER_COLS = 'name, pid, host, command, started_at, heartbeat_at, run_id, token';

/** Every row, the writer first, then by name (readers may call it; it takes no lock). */
export function lockHolders(db: Db): LockHolder[] {
  return db.prepare<[], LockHolder>(`SELECT ${HOLDER_COLS} FROM db_lock ORDER BY CASE WHEN name = 'writer' THEN 0 ELSE 1 END, name`).all()
    .map((h) => ({ ...h, pid: Number(h.pid), run_id: h.run_id === null ? null : Number(h.run_id) }));
}

/** The first holder, if any: the writer, else the first crawl lease by name (lockHolders lists them all). */
export function lockHolder(db: Db): LockHolder | undefined {
  return lockHolders(db)[0];
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

/** Removes a stale row and marks what its holder left running interrupted (inside the taker's transaction). */
function takeOver(db: Db, h: LockHolder, now: string): void {
  db.prepare('DELETE FROM db_lock WHERE name = ? AND token = ?').run(h.name, h.token);
  if (h.run_id !== null) markRunInterrupted(db, h.run_id, now);
  db.prepare("UPDATE pipeline_runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running' AND pid = ? AND host = ?")
    .run(now, h.pid, h.host);
  // and the steps it left 'running' (it died, or a full disk kept it from closing them)
  db.prepare(`UPDATE run_steps SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'
      AND pipeline_run_id IN (SELECT id FROM pipeline_runs WHERE pid = ? AND host = ? AND status = 'interrupted')`).run(now, h.pid, h.host);
}

/** One compare-and-swap attempt: every named row if none is held by a live holder (stale ones taken over), else that holder. */
export function tryAcquire(db: Db, opts: LockOptions): { lock: DbLock } | { holder: LockHolder } {
  const names = [...new Set(opts.names?.length ? opts.names : [WRITER_LOCK])].sort();
  const token = crypto.randomUUID();
  const now = new Date().toISOString();
  const result = db.transaction((): { holder: LockHolder } | { took: Array<{ holder: LockHolder; reason: string }> } => {
    if (dialectOf(db) === 'postgres') db.exec(PG_WRITER_LOCK_CAS); // BEGIN takes no lock there: the swap is serialised here
    const inTheWay = lockHolders(db).filter((h) => names.some((n) => lockNamesConflict(n, h.name)));
    const took: Array<{ holder: LockHolder; reason: string }> = [];
    for (const h of inTheWay) {
      const reason = staleReason(h, opts);
      if (!reason) return { holder: h }; // all or nothing: nothing is written (the transaction holds no change yet)
      took.push({ holder: h, reason });
    }
    for (const t of took) takeOver(db, t.holder, now);
    const insert = db.prepare(`INSERT INTO db_lock (name, token, pid, host, command, started_at, heartbeat_at, run_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`);
    for (const name of names) insert.run(name, token, process.pid, os.hostname(), opts.command, now, now);
    return { took };
  }).immediate();
  if ('holder' in result) return result;
  for (const t of result.took) opts.onTakeover?.(t.holder, t.reason);
  return { lock: new DbLock(db, token, names, opts.heartbeatMs ?? 30_000) };
}

/** Takes the named rows (default: the writer lock), waiting up to `waitSeconds` for a live holder; throws LockedError after that. */
export async function acquireLock(db: Db, opts: LockOptions): Promise<DbLock> {
  const deadline = Date.now() + (opts.waitSeconds ?? 0) * 1000;
  let announced = false;
  for (;;) {
    const r = tryAcquire(db, opts);
    if ('lock' in r) return r.lock;
    if (Date.now() >= deadline) throw new LockedError(r.holder, opts.waitSeconds ?? 0, opts.names?.length ? opts.names : [WRITER_LOCK]);
    if (!announced) { opts.onWait?.(r.holder); announced = true; }
    await new Promise((res) => setTimeout(res, Math.min(opts.pollMs ?? 500, Math.max(10, deadline - Date.now()))));
  }
}

/** The crawl runs live holders are writing now, one entry per run (a dead or stale holder's run is not in progress). */
export function crawlsInProgress(db: Db): Array<{ runId: number; holder: LockHolder }> {
  const seen = new Set<number>();
  const out: Array<{ runId: number; holder: LockHolder }> = [];
  for (const h of lockHolders(db)) {
    if (h.run_id === null || seen.has(h.run_id) || staleReason(h) !== null) continue;
    seen.add(h.run_id);
    out.push({ runId: h.run_id, holder: h });
  }
  return out;
}

/** The first crawl run in progress, if any (crawlsInProgress lists them all). */
export function crawlInProgress(db: Db): { runId: number; holder: LockHolder } | undefined {
  return crawlsInProgress(db)[0];
}
