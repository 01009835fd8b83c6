// The provider-neutral simulator server: an HTTP(S) server on 127.0.0.1 (free port) that routes requests
// to a provider's handlers and adds what every provider needs: request parsing (query, JSON and form
// bodies), ETag / If-None-Match -> 304, a rate budget with provider-shaped answers, injectable faults
// (status, delay, connection reset, truncated body, rewritten next page, a malformed item) and a request log tests assert on.
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { malformItem, matchFault, nextValue, type Fault } from './faults.ts';

export interface SimRequest {
  method: string;
  path: string;
  url: URL;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON or form body (form fields as strings), {} when empty. */
  body: Record<string, unknown>;
  route: string;
}

export interface SimResponse {
  status?: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless a string. */
  body?: unknown;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface Route { method: string; path: string; name?: string; handler: Handler }

export interface RateState { key: string; limit: number; remaining: number; used: number; resetMs: number }

export interface RateLimitSpec {
  /** Which budget a request draws on (null: not metered). */
  bucket(req: SimRequest): { key: string; limit: number; windowMs: number } | null;
  /** Headers added to every metered response. */
  headers?(state: RateState, req: SimRequest): Record<string, string>;
  /** The answer when the budget is exhausted. */
  exceeded(state: RateState, req: SimRequest, retryAfterS: number): SimResponse;
  /** Do 304 answers draw on the budget? (GitHub: no) */
  countNotModified?: boolean;
}

/** Where a provider's answers say the next page is: what the 'next' fault rewrites. */
export interface NextPageSpec {
  /** This request's own page as a next link or cursor; `salt` makes it distinct while serving the same page. */
  self(req: SimRequest, salt?: number): string;
  /** The answer with `next` as its next page. */
  set(out: SimResponse, next: string, req: SimRequest): SimResponse;
}

export interface SimulatorOptions {
  name: string;
  routes: Route[];
  faults?: Fault[];
  rateLimit?: RateLimitSpec;
  /** Answer If-None-Match with 304 for responses carrying an ETag. */
  etag?: boolean;
  tls?: { key: string; cert: string };
  port?: number;
  /** Path prefix stripped before routing (e.g. '/api' for Slack). */
  basePath?: string;
  /** Needed for faults of kind 'next'. */
  nextPage?: NextPageSpec;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  query: string;
  route: string;
  status: number;
  bucket?: string;
  fault?: string;
  ifNoneMatch?: boolean;
}

export interface SimulatorHandle {
  name: string;
  url: string;
  port: number;
  log: RequestLogEntry[];
  faults: Fault[];
  /** TCP connections accepted so far: many requests over few connections is keep-alive at work. */
  readonly connections: number;
  /** Replace the injected faults. */
  setFaults(faults: Fault[]): void;
  close(): Promise<void>;
}

interface CompiledRoute extends Route { re: RegExp; keys: string[] }

export async function startSimulator(opts: SimulatorOptions): Promise<SimulatorHandle> {
  const routes: CompiledRoute[] = opts.routes.map((r) => ({ ...r, ...compile(r.path) }));
  const log: RequestLogEntry[] = [];
  const windows = new Map<string, { start: number; used: number }>();
  let faults: Fault[] = (opts.faults ?? []).map((f) => ({ ...f }));
  const sockets = new Set<import('node:net').Socket>();

  const listener = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', `${opts.tls ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}`);
    let path = decodeURIComponent(url.pathname);
    if (opts.basePath && path.startsWith(opts.basePath)) path = path.slice(opts.basePath.length) || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = { at: Date.now(), method, path, query: url.search, route: '', status: 0,
      ifNoneMatch: req.headers['if-none-match'] !== undefined };
    log.push(entry);
    const raw = await readBody(req);
    const found = findRoute(routes, method, path);
    if (!found) return send(res, entry, { status: 404, body: { message: `simulator ${opts.name}: no route for ${method} ${path}` } });
    entry.route = found.route.name ?? found.route.path;
    const sreq: SimRequest = { method, path, url, query: url.searchParams, params: found.params, headers: req.headers,
      body: parseBody(raw, req.headers['content-type']), route: entry.route };

    const fault = matchFault(faults, sreq);
    if (fault) {
      entry.fault = fault.kind;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.kind === 'reset') { entry.status = -1; req.socket.destroy(); return; }
      if (fault.kind === 'status') return send(res, entry, { status: fault.status ?? 500, headers: fault.headers, body: fault.body ?? { message: 'simulated fault' } });
    }

    let out: SimResponse;
    try {
      out = await found.route.handler(sreq);
    } catch (err) {
      out = { status: 500, body: { message: `simulator ${opts.name} handler error: ${(err as Error).message}` } };
    }
    if (fault?.kind === 'next' && opts.nextPage && (out.status ?? 200) < 300) out = applyNextFault(fault, opts.nextPage, out, sreq);
    if (fault?.kind === 'malformed' && (out.status ?? 200) < 300) out = { ...out, body: malformItem(out.body, fault.item) };
    const status = out.status ?? 200;
    const headers: Record<string, string> = { ...(out.headers ?? {}) };
    const text = typeof out.body === 'string' ? out.body : JSON.stringify(out.body ?? {});
    if (opts.etag && status === 200) {
      // The validator covers the page and where it says the next page is (what a client caches with it): the
      // link's path and query, not the server's address — a server moved to another host or port answers the
      // validators it gave before, as a real one does.
      const link = (headers.link ?? '').replace(/<[a-z][a-z0-9+.-]*:\/\/[^/>]*/gi, '<');
      const etag = `W/"${crypto.createHash('sha1').update(text).update(link).digest('hex')}"`;
      headers.etag = etag;
      const inm = req.headers['if-none-match'];
      if (inm && inm.split(',').map((s) => s.trim()).includes(etag)) {
        const rate = meter(sreq, true, entry);
        if (rate && 'exceeded' in rate) return send(res, entry, rate.exceeded);
        return send(res, entry, { status: 304, headers: { ...headers, ...(rate?.headers ?? {}) } });
      }
    }
    const rate = meter(sreq, false, entry);
    if (rate && 'exceeded' in rate) return send(res, entry, rate.exceeded);
    Object.assign(headers, rate?.headers ?? {});
    if (fault?.kind === 'truncate') {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return;
    }
    send(res, entry, { status, headers, body: text });
  };

  function meter(req: SimRequest, notModified: boolean, entry: RequestLogEntry):
      { headers: Record<string, string> } | { exceeded: SimResponse } | undefined {
    const rl = opts.rateLimit;
    if (!rl) return undefined;
    const b = rl.bucket(req);
    if (!b) return undefined;
    entry.bucket = b.key;
    const now = Date.now();
    let w = windows.get(b.key);
    if (!w || now - w.start >= b.windowMs) { w = { start: now, used: 0 }; windows.set(b.key, w); }
    const state = (): RateState => ({ key: b.key, limit: b.limit, used: w!.used, remaining: Math.max(0, b.limit - w!.used), resetMs: w!.start + b.windowMs });
    if (notModified && !rl.countNotModified) return { headers: rl.headers?.(state(), req) ?? {} };
    if (w.used >= b.limit) {
      const retryAfterS = Math.max(1, Math.ceil((w.start + b.windowMs - now) / 1000));
      return { exceeded: rl.exceeded(state(), req, retryAfterS) };
    }
    w.used++;
    return { headers: rl.headers?.(state(), req) ?? {} };
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    listener(req, res).catch((err) => { try { res.writeHead(500); res.end(String(err)); } catch { /* socket gone */ } });
  };
  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  let connections = 0;
  server.on(opts.tls ? 'secureConnection' : 'connection', () => { connections++; });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()); });
  const port = (server.address() as AddressInfo).port;
  const host = opts.tls ? 'localhost' : '127.0.0.1';
  return {
    name: opts.name,
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    log,
    get faults() { return faults; },
    get connections() { return connections; },
    setFaults(f) { faults = f.map((x) => ({ ...x })); },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** Rewrites an answer's next page as a 'next' fault says (also used for sub-requests of a batch). */
export function applyNextFault(fault: Fault, spec: NextPageSpec, out: SimResponse, req: SimRequest): SimResponse {
  return spec.set(out, nextValue(fault, (salt) => spec.self(req, salt), req.url.origin), req);
}

function send(res: http.ServerResponse, entry: RequestLogEntry, out: SimResponse): void {
  const status = out.status ?? 200;
  entry.status = status;
  const body = out.body === undefined || status === 304 ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
  res.writeHead(status, { ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...(out.headers ?? {}) });
  res.end(body);
}

function compile(pattern: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  const src = pattern.split('/').map((seg) => {
    if (seg.startsWith(':')) {
      const optional = seg.endsWith('?');
      keys.push(seg.slice(1, optional ? -1 : undefined));
      return '([^/]+)';
    }
    if (seg === '*') { keys.push('rest'); return '(.*)'; }
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return { re: new RegExp(`^${src}/?$`), keys };
}

function findRoute(routes: CompiledRoute[], method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== '*' && route.method !== method) continue;
    const m = route.re.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.keys.forEach((k, i) => { params[k] = m[i + 1]!; });
    return { route, params };
  }
  return undefined;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try { const v = JSON.parse(raw); return v && typeof v === 'object' ? v : {}; } catch { return {}; }
}
