// Pacing from the providers' own signals. Two mechanisms per bucket (a bucket is whatever the provider
// meters separately: GitHub 'core', a Slack method tier, a Google API's per-minute quota):
//  - observed: the provider told us remaining/reset (headers); when remaining falls to the reserve we
//    wait for the reset instead of hitting the wall;
//  - declared: a documented rate (calls per window) spaced evenly, for providers that only answer 429;
//    buckets named '<family>@<key>' inherit the rate declared for '<family>' (one budget per key).
// A 429/Retry-After pauses the whole bucket, so concurrent listings do not all hit the wall again.
import { sleep } from '../util/sleep.ts';

export interface RateObservation {
  remaining?: number; limit?: number; resetAtMs?: number;
  /** The call cost nothing (e.g. GitHub's 304 to a conditional request): give back what acquire took. */
  free?: boolean;
}
export interface DeclaredRate { calls: number; perMs: number }

interface Bucket {
  inflight: number;
  remaining?: number;
  resetAtMs?: number;
  pausedUntilMs: number;
  declared?: DeclaredRate;
  nextSlotMs: number;
}

export class RateBudget {
  private buckets = new Map<string, Bucket>();
  /** Total time callers spent waiting on this budget (ms), for the run summary. */
  waitedMs = 0;

  constructor(private readonly opts: { reserve?: number; maxWaitMs?: number; now?: () => number } = {}) {}

  declare(bucket: string, rate: DeclaredRate): void {
    this.bucket(bucket).declared = rate;
  }

  observe(bucket: string, o: RateObservation): void {
    const b = this.bucket(bucket);
    const reset = o.resetAtMs !== undefined && Number.isFinite(o.resetAtMs) ? o.resetAtMs : undefined;
    const remaining = o.remaining !== undefined && Number.isFinite(o.remaining) ? o.remaining : undefined;
    // Responses of concurrent calls arrive out of order, and the calls still in flight are not yet in
    // the provider's figure: count them off, and within one window only ever lower the count (a stale,
    // higher figure would let callers past the wall). A later reset time is a new window.
    if (o.free && b.remaining !== undefined) b.remaining++;
    const newWindow = reset !== undefined && (b.resetAtMs === undefined || reset > b.resetAtMs);
    if (reset !== undefined && newWindow) b.resetAtMs = reset;
    if (remaining !== undefined) {
      const adjusted = remaining - Math.max(0, b.inflight - 1);
      b.remaining = newWindow || b.remaining === undefined ? adjusted : Math.min(b.remaining, adjusted);
    }
  }

  /** A call acquired on `bucket` has finished (after its response was observed). */
  release(bucket: string): void {
    const b = this.bucket(bucket);
    b.inflight = Math.max(0, b.inflight - 1);
  }

  /** Retry-After / 429: nobody calls this bucket until then. */
  pause(bucket: string, ms: number): void {
    const b = this.bucket(bucket);
    b.pausedUntilMs = Math.max(b.pausedUntilMs, this.now() + ms);
  }

  /**
   * Waits until a call on `bucket` is within budget. `cost` > 1 draws several units at once (a request the
   * provider meters as many, e.g. a Graph $batch of 20), without one timer wait per unit.
   */
  async acquire(bucket: string, signal?: AbortSignal, cost = 1): Promise<void> {
    const b = this.bucket(bucket);
    for (;;) {
      const now = this.now();
      let waitUntil = b.pausedUntilMs;
      if (b.remaining !== undefined && b.remaining <= (this.opts.reserve ?? 0) && b.resetAtMs && b.resetAtMs > now) {
        waitUntil = Math.max(waitUntil, b.resetAtMs);
      }
      if (waitUntil > now) {
        await this.wait(bucket, waitUntil - now, signal);
        if (b.resetAtMs && b.resetAtMs <= this.now()) { b.remaining = undefined; b.resetAtMs = undefined; }
        continue;
      }
      if (b.declared) {
        const slot = Math.max(b.nextSlotMs, now);
        b.nextSlotMs = slot + (cost * b.declared.perMs) / b.declared.calls;
        if (slot > now) await this.wait(bucket, slot - now, signal);
      }
      if (b.remaining !== undefined) b.remaining -= cost;
      b.inflight++;
      return;
    }
  }

  /**
   * The provider says a call cost `units` more than was drawn for it (e.g. Graph's x-ms-resource-unit): the
   * next calls on `bucket` wait for them, the call that reported it does not.
   */
  charge(bucket: string, units: number): void {
    if (!(units > 0)) return;
    const b = this.bucket(bucket);
    if (b.declared) b.nextSlotMs = Math.max(b.nextSlotMs, this.now()) + (units * b.declared.perMs) / b.declared.calls;
    if (b.remaining !== undefined) b.remaining -= units;
  }

  private async wait(bucket: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.opts.maxWaitMs !== undefined && ms > this.opts.maxWaitMs) {
      throw new Error(`rate budget '${bucket}' exhausted: next call allowed in ${Math.ceil(ms / 1000)} s, more than the configured maximum wait`);
    }
    this.waitedMs += ms;
    await sleep(ms, signal);
  }

  private now(): number { return this.opts.now ? this.opts.now() : Date.now(); }

  private bucket(name: string): Bucket {
    let b = this.buckets.get(name);
    if (!b) {
      b = { inflight: 0, pausedUntilMs: 0, nextSlotMs: 0 };
      // '<family>@<key>' (a limit metered per workspace, per project…) is paced at the rate declared for
      // '<family>' unless declared itself: keys discovered during the crawl need no declaration of their own.
      const at = name.lastIndexOf('@');
      if (at > 0) b.declared = this.buckets.get(name.slice(0, at))?.declared;
      this.buckets.set(name, b);
    }
    return b;
  }
}
