// Group commit (issue 16): the crawl's one writer. Pages from all listings are queued and written together in
// one transaction per batch — when the queue holds `maxRows` nodes and edges, or `maxMs` after its first entry —
// instead of a transaction per page and another per finished listing.
// Order and crash safety are those of one transaction per write:
//  - a listing's end (its removals, keep, and state: delta links, cursors) is queued after its pages, so it
//    commits in the same batch as its last page or a later one; a crash leaves some prefix of committed batches,
//    never a listing marked complete without its pages. Inside a batch the pages are written first (set-wise),
//    then the listing ends in order — as if those listings had finished a moment later; a delta listing's
//    removals (removeNodes) stay at their place among the pages;
//  - a listing that failed queues no end, so it removes nothing; a write that fails for another reason than
//    storage is retried one queued write per transaction, so only its own listing fails (`onFailed`);
//  - a storage failure (full disk, I/O error) is kept and thrown by every later call: nothing more is written;
//  - on PostgreSQL a deadlock or serialization failure (a concurrent crawl of another tenant) reruns the transaction a
//    few times first (conflict-retry.ts).
// Reads a listing makes while its writes are queued (crawl state, cached pages) see the queued values.
import type { Db } from './db.ts';
import type { CachedPage, GraphWriter, PageCache, PageWrite, PreparedPage } from './writer.ts';
import { storedState } from './writer.ts';
import { isStorageFailure } from '../util/storage-error.ts';
import { retryConflicts } from './conflict-retry.ts';

export interface GroupCommitOptions {
  /** Flush when this many nodes and edges are queued (default 5,000). */
  maxRows?: number;
  /** Flush this long after the first queued write (default 75 ms). */
  maxMs?: number;
  /** A flush started by the timer failed (a storage failure: every later call throws it too). */
  onFailure?: (err: unknown) => void;
}

/** One listing's writes: `onFailed` is told when one of them could not be written (nothing of it is removed then). */
export interface ListingWrites { readonly scope: string; failed: boolean; readonly onFailed: (err: unknown) => void }

/** What a listing's end does: keep everything it owns, or remove what it did not see (complete), and its state. */
export interface ListingEnd { keep: boolean; complete: boolean; state: Array<[provider: string, tenant: string, key: string, value: string | null]> }

type Op =
  | { kind: 'page'; listing: ListingWrites; page: PreparedPage }
  | { kind: 'replay'; listing: ListingWrites; entry: CachedPage }
  | { kind: 'removed'; listing: ListingWrites; ids: string[]; done: (removed: number) => void }
  | ({ kind: 'end'; listing: ListingWrites; done: (removed: number) => void } & ListingEnd);

export class GroupCommit {
  /** Transactions committed (or attempted) so far. */
  transactions = 0;
  private ops: Op[] = [];
  private rows = 0;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private readonly pendingState = new Map<string, string | null>();
  private readonly pendingCache = new Map<string, CachedPage>();
  private readonly maxRows: number;
  private readonly maxMs: number;

  constructor(private readonly db: Db, private readonly writer: GraphWriter, private readonly opts: GroupCommitOptions = {}) {
    this.maxRows = opts.maxRows ?? 5000;
    this.maxMs = opts.maxMs ?? 75;
  }

  listing(scope: string, onFailed: (err: unknown) => void): ListingWrites {
    return { scope, failed: false, onFailed };
  }

  /** Queues a page (masked, canonical and hashed now: an error in it fails the calling listing). */
  page(l: ListingWrites, page: PageWrite, cache?: PageCache): void {
    this.check();
    const p = this.writer.preparePage(page, cache);
    if (p.cached) this.pendingCache.set(p.cached.key, p.cached.entry);
    this.push({ kind: 'page', listing: l, page: p }, p.rows);
  }

  /** Queues a 304's replay (what the cached page emitted last time is still there). */
  replay(l: ListingWrites, entry: CachedPage): void {
    this.check();
    this.push({ kind: 'replay', listing: l, entry }, entry.emitted.nodes.length + entry.emitted.edges.length);
  }

  /** Queues a delta listing's deletions; `done` gets how many objects were removed, once committed. */
  removed(l: ListingWrites, ids: string[], done: (removed: number) => void): void {
    this.check();
    this.push({ kind: 'removed', listing: l, ids, done }, ids.length);
  }

  /** Queues a listing's end after its pages; `done` gets how many objects it removed, once committed. */
  end(l: ListingWrites, end: ListingEnd, done: (removed: number) => void): void {
    this.check();
    if (l.failed) return;
    for (const [p, t, k, v] of end.state) this.pendingState.set(stateKey(p, t, k), v === null ? null : storedState(v));
    this.push({ kind: 'end', listing: l, done, ...end }, 1);
  }

  getState(provider: string, tenant: string, key: string): string | undefined {
    const k = stateKey(provider, tenant, key);
    if (this.pendingState.has(k)) return this.pendingState.get(k) ?? undefined;
    return this.writer.getState(provider, tenant, key);
  }

  cachedPage(key: string): CachedPage | undefined {
    return this.pendingCache.get(key) ?? this.writer.getCachedPage(key);
  }

  /** Writes everything queued in one transaction (see the header for failures). */
  flush(): void {
    this.check();
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (this.ops.length === 0) return;
    const ops = this.ops;
    this.ops = [];
    this.rows = 0;
    let done: Array<() => void>;
    try {
      done = this.inTransaction(() => this.apply(ops));
    } catch (err) {
      if (isStorageFailure(err)) { this.failure = err; throw err; }
      this.writer.rolledBack();
      done = this.applyOneByOne(ops);
    }
    this.pendingState.clear();
    this.pendingCache.clear();
    for (const d of done) d();
  }

  /** Flushes what is queued; the writer is not used after this. */
  close(): void {
    this.flush();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private push(op: Op, rows: number): void {
    this.ops.push(op);
    this.rows += Math.max(1, rows);
    if (this.rows >= this.maxRows) { this.flush(); return; }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        try { this.flush(); } catch (err) { this.opts.onFailure?.(err); }
      }, this.maxMs);
      this.timer.unref();
    }
  }

  /** Runs queued writes inside the caller's transaction; returns what to tell their listings once committed. */
  private apply(ops: Op[]): Array<() => void> {
    const done: Array<() => void> = [];
    const ends: Array<Extract<Op, { kind: 'end' }>> = [];
    let pages: PreparedPage[] = [];
    const writePages = () => { if (pages.length) this.writer.writePrepared(pages); pages = []; };
    for (const op of ops) {
      if (op.listing.failed) continue;
      if (op.kind === 'page') pages.push(op.page);
      else if (op.kind === 'replay') this.writer.replayCachedPage(op.entry); // a touch: commutes with upserts
      else if (op.kind === 'end') ends.push(op);
      else {
        writePages(); // deletions stay at their place among the pages
        const n = this.writer.removeNodes(op.ids);
        done.push(() => op.done(n));
      }
    }
    writePages();
    for (const op of ends) {
      if (op.listing.failed) continue;
      const removed = op.keep ? (this.writer.keepListing(op.listing.scope), 0) : op.complete ? this.writer.completeListing(op.listing.scope) : 0;
      for (const [p, t, k, v] of op.state) this.writer.setState(p, t, k, v);
      done.push(() => op.done(removed));
    }
    return done;
  }

  /** `fn` in one transaction; on PostgreSQL run again after a deadlock or serialization failure (conflict-retry.ts). */
  private inTransaction<T>(fn: () => T): T {
    return retryConflicts(() => { this.transactions++; return this.db.transaction(fn)(); }, { onRetry: () => this.writer.rolledBack() });
  }

  /** After a batch failed for another reason than storage: each write in its own transaction; a failure fails its listing. */
  private applyOneByOne(ops: Op[]): Array<() => void> {
    for (const op of ops) {
      if (op.listing.failed) continue;
      try {
        for (const d of this.inTransaction(() => this.apply([op]))) d();
      } catch (err) {
        if (isStorageFailure(err)) { this.failure = err; throw err; }
        this.writer.rolledBack();
        op.listing.failed = true;
        op.listing.onFailed(err);
      }
    }
    return [];
  }
}

function stateKey(provider: string, tenant: string, key: string): string {
  return `${provider}\u0000${tenant}\u0000${key}`;
}
