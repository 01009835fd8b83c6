// Per-object Graph reads (owners, federated credentials, app role assignments, grants, resource service
// principals) grouped into JSON $batch requests of up to 20. Listings that run at the same time each ask for
// one object; the batcher collects what was asked within one turn of the event loop and sends it as one POST.
// Sub-requests answered 429/503/504 are re-sent (only those) through the engine's retry policy, after the
// longest Retry-After among them. With batching off, each read is its own GET (for comparison and debugging).
// https://learn.microsoft.com/graph/json-batching
import { retryAfterMs } from '../../src/crawl/http-call.ts';
import { AzureHttpError, describe, toError, type RestApi } from './rest.ts';

export const MAX_BATCH = 20;

/** Some sub-requests of a $batch were throttled: retry those after waitMs. */
export class BatchThrottled extends Error {
  constructor(readonly waitMs: number | undefined, readonly count: number) {
    super(`${count} request(s) in a $batch throttled`);
    this.name = 'BatchThrottled';
  }
}

interface Pending { id: string; url: string; resolve(v: unknown): void; reject(e: unknown): void }
interface SubResponse { id: string; status: number; headers?: Record<string, string>; body?: unknown }

export class GraphBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private seq = 0;
  /** Sub-requests sent inside $batch calls (for the benchmark's "without $batch" count). */
  subRequests = 0;

  constructor(private readonly api: RestApi, private readonly enabled: boolean) {}

  /** GET one object or one page (path relative to the versioned base) via $batch; follows nextLink pages directly (one paging guard for all). */
  async getAll<T>(path: string): Promise<T[]> {
    const guard = this.api.pageGuard();
    guard.start(this.api.url(path));
    guard.beforePage();
    const first = await this.get<{ value?: T[]; '@odata.nextLink'?: string }>(path);
    const items = [...(first.value ?? [])];
    const next = first['@odata.nextLink'];
    if (next) items.push(...(await this.api.all<T>(String(next), guard)));
    return items;
  }

  get<T>(path: string): Promise<T> {
    if (!this.enabled) return this.api.get<T>(path);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: String(++this.seq), url: path, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length >= MAX_BATCH) this.flush();
      else if (!this.scheduled) { this.scheduled = true; setImmediate(() => this.flush()); }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length) {
      const group = this.queue.splice(0, MAX_BATCH);
      void this.send(group).catch((err) => { for (const p of group) p.reject(err); });
    }
  }

  private async send(group: Pending[]): Promise<void> {
    let pending = group;
    // Graph meters every sub-request of a $batch on its own, at its documented cost: the call draws their sum
    // (of those still pending at each attempt) from the budget.
    const { http } = this.api.opts;
    const costOf = (p: Pending) => (this.api.opts.cost ? this.api.opts.cost('GET', this.api.url(p.url)) : 1);
    await http.call('graph', `POST /$batch (${group.length}: ${describe(this.api.url(group[0]!.url))}…)`, async () => {
      this.subRequests += pending.length;
      const res = await this.api.send('POST', this.api.url('/$batch'), { requests: pending.map((p) => ({ id: p.id, method: 'GET', url: p.url })) });
      if (res.status >= 400) throw toError(res, this.api.url('/$batch'));
      const answers = new Map(((res.body as { responses?: SubResponse[] })?.responses ?? []).map((r) => [String(r.id), r]));
      const retry: Pending[] = [];
      let waitMs: number | undefined;
      for (const p of pending) {
        const r = answers.get(p.id);
        if (r) this.api.chargeReported('graph', r.headers, costOf(p));
        if (!r) { p.reject(new AzureHttpError(0, null, 'no answer for this request in the $batch response', {}, p.url)); continue; }
        if (r.status === 429 || r.status === 503 || r.status === 504) {
          retry.push(p);
          const w = retryAfterMs(header(r.headers, 'retry-after'));
          if (w !== undefined) waitMs = Math.max(waitMs ?? 0, w);
          continue;
        }
        if (r.status >= 400) p.reject(toError({ status: r.status, headers: r.headers ?? {}, body: r.body }, this.api.url(p.url)));
        else p.resolve(r.body);
      }
      pending = retry;
      if (retry.length) throw new BatchThrottled(waitMs, retry.length);
    }, this.api.url('/$batch'), () => pending.reduce((a, p) => a + costOf(p), 0)).catch((err) => {
      for (const p of pending) p.reject(err);
    });
  }
}

function header(h: Record<string, string> | undefined, name: string): string | undefined {
  if (!h) return undefined;
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name) return v;
  return undefined;
}
