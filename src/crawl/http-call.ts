// The one retry policy for every provider. Each provider's client.ts routes every SDK request
// through `HttpRuntime.call` (an Octokit hook, a WebClient subclass, a gaxios adapter, a Graph
// middleware) and supplies `classify` to read its own error shapes. The SDKs' own retries are off,
// so nothing is retried twice and every retry is counted in the run ledger.
import { currentCallStats } from './call-context.ts';
import { RateBudget, type RateObservation } from './rate-budget.ts';
import type { Logger } from '../util/log.ts';
import { sleep } from '../util/sleep.ts';

export interface Classification {
  /** Retry this failure? */
  retry: boolean;
  /** The provider said how long to wait (Retry-After, reset header). */
  waitMs?: number;
  /** A rate-limit signal: pause the whole bucket, not just this call. */
  rateLimited?: boolean;
  /** A conditional request answered 304: counted, not an error. */
  notModified?: boolean;
}

export interface HttpPolicy {
  provider: string;
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  classify(err: unknown): Classification;
  /** Rate information carried by a response or an error. */
  observe?(resultOrError: unknown): RateObservation | undefined;
}

export const defaultRetry = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

export class HttpRuntime {
  constructor(readonly policy: HttpPolicy, readonly budget: RateBudget, readonly log: Logger, readonly signal?: AbortSignal) {}

  /** Performs one logical API request with pacing and retries; `describe` names it in logs. */
  async call<T>(bucket: string, describe: string, fn: () => Promise<T>): Promise<T> {
    const stats = currentCallStats();
    for (let attempt = 0; ; attempt++) {
      await this.budget.acquire(bucket, this.signal);
      stats.apiCalls++;
      try {
        const result = await fn();
        this.observe(bucket, result);
        this.budget.release(bucket);
        return result;
      } catch (err) {
        this.observe(bucket, err);
        this.budget.release(bucket);
        const c = this.policy.classify(err);
        if (c.notModified) { stats.notModified++; throw err; }
        if (!c.retry || attempt >= this.policy.maxRetries || this.signal?.aborted) throw err;
        const backoff = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        const wait = c.waitMs !== undefined ? Math.max(c.waitMs, 0) : backoff;
        if (c.rateLimited) this.budget.pause(bucket, wait);
        stats.retries++;
        this.log.warn('retrying API call', { provider: this.policy.provider, call: describe, attempt: attempt + 1,
          wait_ms: Math.round(wait), reason: err instanceof Error ? err.message.slice(0, 200) : String(err) });
        if (!c.rateLimited) await sleep(wait, this.signal);
      }
    }
  }

  private observe(bucket: string, resultOrError: unknown): void {
    const o = this.policy.observe?.(resultOrError);
    if (o) this.budget.observe(bucket, o);
  }
}

/** Parses Retry-After (seconds or HTTP date) into milliseconds. */
export function retryAfterMs(value: string | number | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return n * 1000;
  const t = Date.parse(String(value));
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}
