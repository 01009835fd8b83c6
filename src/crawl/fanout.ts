// Bounded, lazy fan-out (issue 16): the crawl engine's per-provider scheduler. At most `concurrency` listings run;
// listings waiting to start ("pending") are capped at `maxPending`: a listing that wants to schedule a child while
// the cap is reached waits (`room`) before it goes on — its paging stops there, so children are produced as the queue
// drains instead of all at once. A waiting listing gives its slot up, so children (and their children) can run:
// there is no deadlock at any bound >= 1 (whenever listings are pending and a slot is free, one of them starts).
// Waiting listings resume deepest first (finish what is started before widening); pending ones start in order.

export interface FanoutStats {
  /** The bound on pending listings. */
  readonly bound: number;
  /** Most listings pending (scheduled, not started) at any moment. */
  peakPending: number;
  /** Listings started. */
  started: number;
}

interface Waiter { depth: number; seq: number; holdsSlot: boolean; wake: () => void }

export class Fanout {
  readonly stats: FanoutStats;
  private readonly pending: Array<() => Promise<void>> = [];
  private head = 0;
  private readonly waiters: Waiter[] = [];
  private running = 0;
  /** Spots promised by `room` whose `add` has not come yet (a woken waiter adds after its promise settles). */
  private reserved = 0;
  private seq = 0;
  private idle: Array<() => void> = [];

  constructor(private readonly concurrency: number, maxPending: number) {
    this.stats = { bound: Math.max(1, Math.floor(maxPending)), peakPending: 0, started: 0 };
  }

  /** Listings scheduled and not started. */
  get pendingCount(): number { return this.pending.length - this.head; }

  /**
   * Resolves once one more listing may be scheduled (fewer than the bound are pending). `holdsSlot`: the caller is a
   * running listing (its slot is given up while it waits); `depth`: its depth in the resource tree (deeper resume first).
   */
  room(depth: number, holdsSlot: boolean): Promise<void> | undefined {
    if (this.hasRoom() && this.waiters.length === 0) { this.reserved++; return undefined; }
    return new Promise<void>((wake) => {
      this.waiters.push({ depth, seq: this.seq++, holdsSlot, wake });
      if (holdsSlot) this.running--;
      this.pump();
    });
  }

  /** Schedules a listing: once per `room` that resolved, right after it. Errors of `run` are its own. */
  add(run: () => Promise<void>): void {
    if (this.reserved > 0) this.reserved--;
    this.pending.push(run);
    const n = this.pendingCount;
    if (n > this.stats.peakPending) this.stats.peakPending = n;
    this.pump();
  }

  /** Resolves when nothing runs, waits or is pending. */
  onIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private isIdle(): boolean { return this.running === 0 && this.pendingCount === 0 && this.waiters.length === 0; }

  private hasRoom(): boolean { return this.pendingCount + this.reserved < this.stats.bound; }

  private pump(): void {
    for (;;) {
      // a waiter that needs no slot (the tenant loop scheduling roots) resumes as soon as there is room
      if (this.waiters.length && this.hasRoom()) {
        const i = this.deepestWaiter();
        const w = this.waiters[i]!;
        if (!w.holdsSlot || this.running < this.concurrency) {
          this.waiters.splice(i, 1);
          if (w.holdsSlot) this.running++;
          this.reserved++;
          w.wake();
          continue;
        }
      }
      if (this.pendingCount > 0 && this.running < this.concurrency) {
        const run = this.pending[this.head]!;
        this.pending[this.head++] = undefined as never;
        if (this.head > 1024 && this.head * 2 > this.pending.length) { this.pending.splice(0, this.head); this.head = 0; }
        this.running++;
        this.stats.started++;
        void Promise.resolve().then(run).catch(() => {}).finally(() => { this.running--; this.pump(); });
        continue;
      }
      break;
    }
    if (this.isIdle()) for (const r of this.idle.splice(0)) r();
  }

  private deepestWaiter(): number {
    let best = 0;
    for (let i = 1; i < this.waiters.length; i++) {
      const w = this.waiters[i]!;
      const b = this.waiters[best]!;
      if (w.depth > b.depth || (w.depth === b.depth && w.seq < b.seq)) best = i;
    }
    return best;
  }
}
