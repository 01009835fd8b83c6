// The one retry policy for every provider. Each provider's client.ts routes every SDK request
// through `HttpRuntime.call` (an Octokit hook, a WebClient subclass, a gaxios adapter, a Graph
// middleware) and supplies `classify` to read its own error shapes. The SDKs' own retries are off,
// so nothing is retried twice and every retry is counted in the run ledger. What no retry can fix (an
// unresolvable host, an untrusted certificate, a rejected credential: permanent-errors.ts and a policy's
// `fatal`) fails the whole provider at once: the call is not retried and every later call fails unsent.
// Until one call has gone through, calls go one at a time, so a provider that cannot be reached at all
// costs one attempt, not one per concurrent listing.
import { AsyncLocalStorage } from 'node:async_hooks';
import { currentCallStats } from './call-context.ts';
import { DEFAULT_MAX_PAGES, isRefusal } from './page-guard.ts';
import { annotateHost, errorChain, findProviderFailure, hostOf, hostOfUrl, networkDetail, permanentNetworkFailure, ProviderFailure } from './permanent-errors.ts';
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
  /**
   * No retry can fix this, for any listing of the provider (a rejected credential): what happened and the
   * likely fix. The provider fails at once.
   */
  fatal?: string;
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

/** Set while a call's attempt runs: a call made inside another (a token request) skips the first-contact gate. */
const insideCall = new AsyncLocalStorage<true>();
/** Errors a call gave up on after its own retries: a call around it (the request a token was minted for) does not retry them again. */
const settled = new WeakSet<object>();

export class HttpRuntime {
  private failure: ProviderFailure | undefined;
  /** Some call has gone through (or failed in a way that is not provider-wide): calls run concurrently. */
  private reached = false;
  private firstContact: Promise<unknown> | undefined;

  constructor(readonly policy: HttpPolicy, readonly budget: RateBudget, readonly log: Logger, readonly signal?: AbortSignal,
    /** Most pages one listing may read (the paging guard's bound, src/crawl/page-guard.ts; config `maxPagesPerListing`). */
    readonly maxPages: number = DEFAULT_MAX_PAGES) {}

  /** The provider-wide failure, once one happened: every later call and listing fails with it. */
  get fatal(): ProviderFailure | undefined { return this.failure; }

  /**
   * Whether `err` (from a call, or raised outside one — e.g. a token minted by an auth library) is a failure
   * no retry can fix; if so the provider fails with it from now on.
   */
  examine(err: unknown, target?: string): ProviderFailure | undefined {
    const known = findProviderFailure(err);
    if (known) return known;
    const message = permanentNetworkFailure(err) ?? this.policy.classify(err).fatal;
    return message ? this.fail(message, err, target) : undefined;
  }

  /**
   * Performs one logical API request with pacing and retries; `describe` names it in logs, `target` (its URL
   * or base URL) names the host in errors. `cost`: the units the provider meters this request as (default 1),
   * asked again at each attempt (a retried $batch re-sends only what was throttled).
   */
  async call<T>(bucket: string, describe: string, fn: () => Promise<T>, target?: string, cost?: () => number): Promise<T> {
    while (!this.reached && !insideCall.getStore()) {
      if (this.failure) throw this.failure;
      if (this.firstContact) { await this.firstContact.catch(() => {}); continue; }
      const first = this.attempts(bucket, describe, fn, target, cost);
      this.firstContact = first;
      try {
        const result = await first;
        this.reached = true;
        return result;
      } catch (err) {
        if (!this.failure) this.reached = true;
        throw err;
      } finally {
        this.firstContact = undefined;
      }
    }
    return this.attempts(bucket, describe, fn, target, cost);
  }

  private async attempts<T>(bucket: string, describe: string, fn: () => Promise<T>, target?: string, cost?: () => number): Promise<T> {
    const stats = currentCallStats();
    for (let attempt = 0; ; attempt++) {
      if (this.failure) throw this.failure;
      // An aborted crawl sends nothing new (requests already in flight finish).
      if (this.signal?.aborted) throw new Error('crawl interrupted');
      await this.budget.acquire(bucket, this.signal, cost ? Math.max(1, cost()) : 1);
      stats.apiCalls++;
      try {
        const result = await insideCall.run(true, fn);
        this.observe(bucket, result);
        this.budget.release(bucket);
        return result;
      } catch (err) {
        this.observe(bucket, err);
        this.budget.release(bucket);
        const known = findProviderFailure(err);
        if (known) throw known; // a call inside this one (a token request) already failed the provider
        if (errorChain(err).some((e) => settled.has(e))) throw err; // a call inside this one already retried it
        const c = this.policy.classify(err);
        if (c.notModified) { stats.notModified++; throw err; }
        const fatal = permanentNetworkFailure(err) ?? c.fatal;
        if (fatal) throw this.fail(fatal, err, target);
        if (!c.retry || isRefusal(err) || attempt >= this.policy.maxRetries || this.signal?.aborted) {
          if (err && typeof err === 'object') settled.add(err);
          throw annotateHost(err, hostOfUrl(target));
        }
        const backoff = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        const wait = c.waitMs !== undefined ? Math.max(c.waitMs, 0) : backoff;
        if (c.rateLimited) this.budget.pause(bucket, wait);
        stats.retries++;
        this.log.warn('retrying API call', { provider: this.policy.provider, call: describe, attempt: attempt + 1,
          wait_ms: Math.round(wait), reason: reasonOf(err, target) });
        if (!c.rateLimited) await sleep(wait, this.signal);
      }
    }
  }

  /** The provider fails with `message` (prefixed by the host it concerns) from now on; the first failure stands. */
  private fail(message: string, cause: unknown, target?: string): ProviderFailure {
    if (!this.failure) {
      const host = hostOf(cause) ?? hostOfUrl(target);
      this.failure = new ProviderFailure(host && !message.includes(host) ? `${host}: ${message}` : message, { cause });
      this.log.error('provider failed: not retrying what retrying cannot fix', { provider: this.policy.provider, error: this.failure.message });
    }
    return this.failure;
  }

  private observe(bucket: string, resultOrError: unknown): void {
    const o = this.policy.observe?.(resultOrError);
    if (o) this.budget.observe(bucket, o);
  }
}

function reasonOf(err: unknown, target?: string): string {
  const message = err instanceof Error ? err.message.slice(0, 200) : String(err);
  const detail = networkDetail(annotateHost(err, hostOfUrl(target)), message);
  return detail ? `${message} (${detail})` : message;
}

/** Parses Retry-After (seconds or HTTP date) into milliseconds. */
export function retryAfterMs(value: string | number | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return n * 1000;
  const t = Date.parse(String(value));
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}
