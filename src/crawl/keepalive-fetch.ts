// The crawler's HTTP transport for SDKs that take a `fetch` (Octokit's `request.fetch`): a fetch-compatible function
// over node:http(s) with one keep-alive agent per client, tuned for a crawler — a bounded number of connections per
// origin (the provider's concurrency), idle connections kept a few seconds (below common servers' keep-alive), LIFO
// reuse so the pool stays small. It exists for CPU: Node's built-in fetch (undici's WHATWG layer: Request, Headers,
// web streams) cost ~0.7 ms of CPU per call in the GitHub crawl profile, node:http a fraction of that (bench/github-scale.ts).
// What it does and does not do, beside fetch: the body is read whole (API pages are small); gzip/deflate/br are asked
// for and decoded; redirects are followed on the same origin only (a credential-bearing request is never sent to
// another origin: a cross-origin redirect is an error); nothing is retried here (src/crawl/http-call.ts is the one
// retry policy, and counts every retry; idle connections are dropped before common servers close them, so a reset on
// reuse is rare); errors are fetch's: TypeError('fetch failed', { cause }), AbortError on abort.
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';

export interface KeepAliveOptions {
  /** Connections per origin at most (default 16); requests beyond it queue in the agent. */
  maxSockets?: number;
  /** How long an idle connection is kept for reuse (default 4,000 ms, as undici; servers close later, e.g. Node's 5 s). */
  keepAliveMs?: number;
  /** No byte for this long on an active request fails it (default 300,000 ms, undici's headers/body timeout). */
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM) for https. */
  ca?: string;
}

export type FetchLike = (input: string | URL, init?: FetchInit) => Promise<LiteResponse>;
interface FetchInit { method?: string; headers?: Record<string, string> | [string, string][]; body?: string | Uint8Array | null; signal?: AbortSignal | null; redirect?: 'follow' | 'manual' | 'error' }

export interface KeepAliveFetch extends FetchLike {
  /** Connections opened so far (for tests and benches: keep-alive reuse means few connections for many requests). */
  readonly connectionsOpened: number;
  /** Closes idle connections (a finished crawl). */
  close(): void;
}

/** The parts of a fetch Response SDKs read: status, url, headers (get, has, iteration), text/json/arrayBuffer. */
export class LiteResponse {
  readonly ok: boolean;
  readonly redirected: boolean;
  readonly type = 'basic';
  bodyUsed = false;
  constructor(readonly status: number, readonly statusText: string, readonly url: string, readonly headers: LiteHeaders, private readonly buf: Buffer, redirected: boolean) {
    this.ok = status >= 200 && status < 300;
    this.redirected = redirected;
  }
  get body(): ReadableStream<Uint8Array> | null {
    if (!this.buf.length) return null;
    const stream = new Blob([this.buf]).stream();
    bodies.set(stream, this.buf);
    return stream;
  }
  async text(): Promise<string> { this.bodyUsed = true; return this.buf.toString('utf8'); }
  async json(): Promise<unknown> { return JSON.parse(await this.text()); }
  async arrayBuffer(): Promise<ArrayBuffer> { this.bodyUsed = true; return this.buf.buffer.slice(this.buf.byteOffset, this.buf.byteOffset + this.buf.byteLength) as ArrayBuffer; }
  async blob(): Promise<Blob> { this.bodyUsed = true; return new Blob([this.buf]); }
}

/** Response headers, names lower-case, repeated headers joined with ', ' (as fetch's Headers). */
export class LiteHeaders {
  private readonly map = new Map<string, string>();
  constructor(raw: string[]) {
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i]!.toLowerCase();
      const prev = this.map.get(k);
      this.map.set(k, prev === undefined ? raw[i + 1]! : `${prev}, ${raw[i + 1]}`);
    }
  }
  get(name: string): string | null { return this.map.get(name.toLowerCase()) ?? null; }
  has(name: string): boolean { return this.map.has(name.toLowerCase()); }
  forEach(fn: (value: string, key: string) => void): void { this.map.forEach((v, k) => fn(v, k)); }
  entries(): IterableIterator<[string, string]> { return this.map.entries(); }
  keys(): IterableIterator<string> { return this.map.keys(); }
  values(): IterableIterator<string> { return this.map.values(); }
  [Symbol.iterator](): IterableIterator<[string, string]> { return this.map.entries(); }
}

/** The bytes behind each body stream handed out: `bodyText` reads them without going through the stream. */
const bodies = new WeakMap<object, Buffer>();

/**
 * A response body as text: for a stream this transport handed out, straight from its bytes; for any other, read.
 * (An SDK told not to parse bodies — Octokit's `parseSuccessResponseBody: false` — hands the stream on: its caller
 * parses with JSON.parse instead of the SDK's slower parser.)
 */
export async function bodyText(body: unknown): Promise<string> {
  if (body === null || body === undefined || body === '') return '';
  if (typeof body === 'string') return body;
  const buf = bodies.get(body as object);
  if (buf) return buf.toString('utf8');
  return new Response(body as ReadableStream).text();
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

export function createKeepAliveFetch(opts: KeepAliveOptions = {}): KeepAliveFetch {
  const agentOpts = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: opts.maxSockets ?? 16, maxFreeSockets: opts.maxSockets ?? 16,
    scheduling: 'lifo' as const, timeout: opts.keepAliveMs ?? 4000 };
  const agents = { 'http:': new http.Agent(agentOpts), 'https:': new https.Agent({ ...agentOpts, ...(opts.ca ? { ca: opts.ca } : {}) }) };
  let opened = 0;
  for (const a of Object.values(agents)) {
    const create = a.createConnection.bind(a) as (o: object, cb?: unknown) => unknown;
    (a as unknown as { createConnection: typeof create }).createConnection = (o, cb) => { opened++; return create(o, cb); };
  }
  const timeoutMs = opts.timeoutMs ?? 300_000;

  async function fetchLite(input: string | URL, init: FetchInit = {}): Promise<LiteResponse> {
    let url = new URL(String(input));
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body ?? undefined;
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br' };
    for (const [k, v] of Array.isArray(init.headers) ? init.headers : Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
    const signal = init.signal ?? undefined;
    for (let hops = 0; ; hops++) {
      const res = await send(url, method, headers, body, signal);
      if (!REDIRECTS.has(res.status) || init.redirect === 'manual') return finish(res, url, hops > 0);
      const location = res.headers.get('location');
      if (!location) return finish(res, url, hops > 0);
      const next = new URL(location, url);
      if (init.redirect === 'error' || hops >= MAX_REDIRECTS || next.origin !== url.origin) {
        const why = next.origin !== url.origin ? `a redirect to another origin (${next.origin}) is not followed` : 'too many redirects';
        throw new TypeError('fetch failed', { cause: new Error(`${method} ${url.origin}${url.pathname}: ${why}`) });
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) { method = 'GET'; body = undefined; delete headers['content-type']; }
      url = next;
    }
  }

  function send(url: URL, method: string, headers: Record<string, string>, body: string | Uint8Array | undefined, signal: AbortSignal | undefined): Promise<{ status: number; statusText: string; headers: LiteHeaders; buf: Buffer }> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const agent = agents[url.protocol as 'http:' | 'https:'];
      if (!agent) return reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) }));
      const h = body !== undefined ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers;
      const req = (url.protocol === 'https:' ? https : http).request(url, { method, headers: h, agent });
      const onAbort = () => req.destroy(abortError(signal!) as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => {
        done();
        if (signal?.aborted) return reject(abortError(signal));
        reject(new TypeError('fetch failed', { cause: err }));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => { done(); reject(new TypeError('fetch failed', { cause: err })); });
        res.on('end', () => {
          done();
          try {
            const buf = decode(Buffer.concat(chunks), res.headers['content-encoding'], method, res.statusCode!);
            resolve({ status: res.statusCode!, statusText: res.statusMessage ?? '', headers: new LiteHeaders(res.rawHeaders), buf });
          } catch (err) {
            reject(new TypeError('fetch failed', { cause: err }));
          }
        });
      });
      req.end(body);
    });
  }

  const finish = (r: { status: number; statusText: string; headers: LiteHeaders; buf: Buffer }, url: URL, redirected: boolean) =>
    new LiteResponse(r.status, r.statusText, url.href, r.headers, r.buf, redirected);

  return Object.defineProperties(fetchLite, {
    connectionsOpened: { get: () => opened },
    close: { value: () => { for (const a of Object.values(agents)) a.destroy(); } },
  }) as KeepAliveFetch;
}

function decode(buf: Buffer, encoding: string | undefined, method: string, status: number): Buffer {
  if (!buf.length || method === 'HEAD' || status === 204 || status === 304) return buf;
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip': case 'x-gzip': return zlib.gunzipSync(buf, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate': return zlib.inflateSync(buf);
    case 'br': return zlib.brotliDecompressSync(buf);
    default: return buf;
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
