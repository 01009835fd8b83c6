// The thin typed HTTP layer under the Azure resources (Microsoft Graph and ARM): one request = one
// `HttpRuntime.call` (the engine's single retry/pacing policy), bearer tokens from an @azure/identity
// credential, one paginator for `@odata.nextLink` / ARM `nextLink` that also surfaces `@odata.deltaLink`,
// and errors carrying Graph's error body (code, message) and headers (Retry-After). Every page goes through the
// shared paging guard (next links stay on the base URL's origin, no repeats, bounded, stops on abort), and
// nothing — whatever URL a caller passes — is sent to another origin than the base URL's.
// https://learn.microsoft.com/graph/paging  https://learn.microsoft.com/graph/errors
import http from 'node:http';
import https from 'node:https';
import type { TokenCredential } from '@azure/identity';
import type { HttpRuntime } from '../../src/crawl/http-call.ts';
import { chargedUnits } from './graph-cost.ts';
import { MalformedResponse } from '../../src/crawl/errors.ts';
import { assertRequestOrigin, PageGuard } from '../../src/crawl/page-guard.ts';

/** A non-2xx answer from Graph or ARM, with the provider's error code (e.g. syncStateNotFound). */
export class AzureHttpError extends Error {
  constructor(readonly status: number, readonly code: string | null, message: string,
    readonly headers: Record<string, string | undefined>, readonly url: string) {
    super(`${status}${code ? ` ${code}` : ''}: ${message}`);
    this.name = 'AzureHttpError';
  }
}

export interface RawResponse { status: number; headers: Record<string, string | undefined>; body: unknown }
export interface ListPage<T> { items: T[]; deltaLink?: string }

export interface RestOptions {
  /** Origin plus version prefix, e.g. https://graph.microsoft.com/v1.0 */
  baseUrl: string;
  credential: TokenCredential;
  /** Token scope, e.g. https://graph.microsoft.com/.default */
  scope: string;
  http: HttpRuntime;
  agent: http.Agent;
  /** Which rate bucket a URL draws on. */
  bucket(url: string): string;
  /** Extra request headers (e.g. ConsistencyLevel, x-ms-throttle-priority). */
  headers?: Record<string, string>;
  /** The units a request draws from its bucket (Graph: resource units, graph-cost.ts); default 1. */
  cost?(method: string, url: string): number;
}

export class RestApi {
  private token: { value: string; refreshAt: number } | undefined;
  private pendingToken: Promise<string> | undefined;

  constructor(readonly opts: RestOptions) {}

  /** The bearer token, reused until 5 minutes before it expires (MSAL's own cache lookup costs milliseconds a call). */
  private async bearer(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.pendingToken ??= this.opts.credential.getToken(this.opts.scope).then((t) => {
      if (!t) throw new Error(`no access token for ${this.opts.scope}`);
      this.token = { value: t.token, refreshAt: Math.min(t.expiresOnTimestamp - 300_000, Date.now() + 3600_000) };
      return t.token;
    }).finally(() => { this.pendingToken = undefined; });
    return this.pendingToken;
  }

  /** Absolute URL for a path relative to the versioned base ('/applications') or an absolute link. */
  url(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.opts.baseUrl.replace(/\/$/, '') + pathOrUrl;
  }

  async get<T>(pathOrUrl: string): Promise<T> {
    return (await this.request('GET', pathOrUrl)).body as T;
  }

  /** One logical request through the engine's retry policy; throws AzureHttpError on non-2xx. */
  request(method: string, pathOrUrl: string, body?: unknown, bucket?: string): Promise<RawResponse> {
    const url = this.url(pathOrUrl);
    const b = bucket ?? this.opts.bucket(url);
    const cost = this.opts.cost ? this.opts.cost(method, url) : 1;
    return this.opts.http.call(b, `${method} ${describe(url)}`, async () => {
      const res = await this.send(method, url, body);
      this.chargeReported(b, res.headers, cost);
      if (res.status >= 400) throw toError(res, url);
      return res;
    }, url, () => cost);
  }

  /** Graph says what a request cost (x-ms-resource-unit): units beyond what was drawn are charged to the bucket. */
  chargeReported(bucket: string, headers: Record<string, string | undefined> | undefined, drawn: number): void {
    const charged = chargedUnits(headers);
    if (charged !== undefined && charged > drawn) this.opts.http.budget.charge(bucket, charged - drawn);
  }

  /** Sends once, no retry: for callers that run their own attempt inside HttpRuntime.call ($batch). */
  async send(method: string, url: string, body?: unknown): Promise<RawResponse> {
    assertRequestOrigin(url, this.opts.baseUrl);
    const token = await this.bearer();
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', ...(this.opts.headers ?? {}) };
    if (payload) { headers['content-type'] = 'application/json'; headers['content-length'] = String(payload.length); }
    return transport(method, url, headers, payload, this.opts.agent);
  }

  /** A paging guard for one listing on this API. */
  pageGuard(): PageGuard {
    return new PageGuard({ base: this.opts.baseUrl, signal: this.opts.http.signal, maxPages: this.opts.http.maxPages });
  }

  /**
   * Follows `@odata.nextLink` (Graph) or `nextLink` (ARM) page by page; the last Graph delta page carries the deltaLink.
   * `guard`: the listing's guard when it read earlier pages itself (`pathOrUrl` is then their next link).
   */
  async *pages<T>(pathOrUrl: string, guard?: PageGuard): AsyncIterable<ListPage<T>> {
    const g = guard ?? this.pageGuard();
    let next: string | undefined = guard ? g.follow(this.url(pathOrUrl)) : g.start(this.url(pathOrUrl));
    while (next) {
      g.beforePage();
      const body = (await this.request('GET', next)).body as Record<string, unknown>;
      const items = body?.value;
      if (!Array.isArray(items)) throw new MalformedResponse(`GET ${describe(next)}: value`, 'expected an array');
      const link = (body['@odata.nextLink'] ?? body.nextLink) as string | undefined;
      const deltaLink = body['@odata.deltaLink'] as string | undefined;
      const follow = link ? g.follow(String(link)) : undefined;
      yield { items: items as T[], ...(deltaLink ? { deltaLink } : {}) };
      next = follow;
    }
  }

  /** Every item of a (small) paged collection. */
  async all<T>(pathOrUrl: string, guard?: PageGuard): Promise<T[]> {
    const out: T[] = [];
    for await (const p of this.pages<T>(pathOrUrl, guard)) out.push(...p.items);
    return out;
  }
}

export function toError(res: RawResponse, url: string): AzureHttpError {
  const err = (res.body as { error?: { code?: string; message?: string } } | null)?.error;
  return new AzureHttpError(res.status, err?.code ?? null, err?.message ?? `HTTP ${res.status}`, res.headers, url);
}

/** Path and query without origin, with long opaque tokens shortened, for logs. */
export function describe(url: string): string {
  try {
    const u = new URL(url);
    return (u.pathname + u.search).replace(/(\$(?:skip|delta)token=)[^&]{12,}/gi, '$1…');
  } catch { return url; }
}

function transport(method: string, url: string, headers: Record<string, string>, body: Buffer | undefined, agent: http.Agent): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = null;
        if (text) {
          try { parsed = JSON.parse(text); } catch {
            if ((res.statusCode ?? 0) < 400) { reject(new MalformedResponse(`${method} ${describe(url)}`, 'body is not JSON (truncated?)')); return; }
            parsed = { error: { message: text.slice(0, 200) } };
          }
        }
        const h: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(res.headers)) h[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers: h, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
