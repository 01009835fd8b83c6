// The one paging guard every provider's paginator runs its pages through. Provider data is hostile: a next
// link may point at another origin (which would receive the crawl's token), at a page already read (a loop
// that never ends), or the chain may simply never end. Per listing, the guard
//  - follows a next link only when its scheme, host and port equal the configured base URL's, and refuses
//    anything else before it is sent: `next link to a different origin (<origin>) refused`;
//  - fails the listing as `paging loop at page N` when a next link or cursor repeats one already seen in
//    that listing, or when the listing goes past `maxPages` pages;
//  - stops at the next page once the crawl is aborted (SIGINT/SIGTERM), however the pages are consumed.
// `assertRequestOrigin` is the same origin rule where each client's requests leave (defence in depth).

/** Default bound on pages per listing: far beyond any real tenant (100,000 pages of 100 = 10 million objects). */
export const DEFAULT_MAX_PAGES = 100_000;

/** A next link to another origin: the listing fails and nothing is sent there. */
export class ForeignNextLink extends Error {
  constructor(readonly origin: string) {
    super(`next link to a different origin (${origin}) refused`);
    this.name = 'ForeignNextLink';
  }
}

/** A request a client was about to send to another origin than its configured one. */
export class ForeignRequest extends Error {
  constructor(readonly origin: string) {
    super(`request to a different origin (${origin}) refused`);
    this.name = 'ForeignRequest';
  }
}

/** A listing whose pages repeat or never end. */
export class PagingLoop extends Error {
  constructor(readonly page: number, detail: string) {
    super(`paging loop at page ${page} (${detail})`);
    this.name = 'PagingLoop';
  }
}

/** Refusals are permanent: retrying them cannot help (HttpRuntime never retries them). */
export function isRefusal(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { original?: unknown; cause?: unknown }).original ?? (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ForeignNextLink || e instanceof ForeignRequest || e instanceof PagingLoop) return true;
  }
  return false;
}

export interface PageGuardOptions {
  /** The configured base URL(s) of the API: next links must stay on their origins. */
  base: string | string[];
  signal?: AbortSignal;
  /** Most pages one listing may read (default DEFAULT_MAX_PAGES). */
  maxPages?: number;
}

export class PageGuard {
  private readonly origins: Set<string>;
  private readonly base: string;
  private readonly maxPages: number;
  private readonly seen = new Set<string>();
  /** Pages requested so far in this listing. */
  pages = 0;

  constructor(private readonly opts: PageGuardOptions) {
    const bases = Array.isArray(opts.base) ? opts.base : [opts.base];
    this.base = bases[0]!;
    this.origins = new Set(bases.map(originOf));
    this.maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  }

  /** Call before requesting each page: stops an aborted crawl and an endless listing. */
  beforePage(): void {
    const { signal } = this.opts;
    if (signal?.aborted) throw new Error('crawl interrupted');
    if (++this.pages > this.maxPages) throw new PagingLoop(this.pages, `more than ${this.maxPages} pages`);
  }

  /** The listing's first URL (it counts as seen); refused like a next link when it is on another origin (e.g. a stored delta link). */
  start(url: string): string {
    const abs = this.check(url);
    this.seen.add(abs);
    return abs;
  }

  /** A next link from page `pages`: the absolute URL to request next, or a refusal / loop error. */
  follow(link: string): string {
    const abs = this.check(link);
    this.remember(abs);
    return abs;
  }

  /** An opaque cursor or page token: must not repeat; one that is an absolute URL must stay on the origin. */
  cursor(token: string): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(token.trim())) this.check(token.trim());
    this.remember(`cursor:${token}`);
    return token;
  }

  private remember(key: string): void {
    if (this.seen.has(key)) throw new PagingLoop(this.pages, 'a next link repeats one already read in this listing');
    this.seen.add(key);
  }

  private check(link: string): string {
    let u: URL;
    try { u = new URL(link, this.base); } catch { throw new ForeignNextLink('unparseable link'); }
    const origin = originOf(u);
    if (!this.origins.has(origin)) throw new ForeignNextLink(origin);
    return u.toString();
  }
}

/** Throws ForeignRequest unless `url` is on one of `allowed` (base URLs or origins). Call where a request leaves. */
export function assertRequestOrigin(url: string | URL, allowed: string | string[]): void {
  let origin: string;
  try { origin = originOf(new URL(String(url))); } catch { throw new ForeignRequest('unparseable URL'); }
  const ok = (Array.isArray(allowed) ? allowed : [allowed]).some((a) => originOf(a) === origin);
  if (!ok) throw new ForeignRequest(origin);
}

/** scheme://host:port (default ports elided, host lower-cased and punycoded by URL); 'null' for opaque origins. */
export function originOf(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const o = u.origin;
  // URL.origin of a non-special scheme is 'null': keep the scheme visible so the refusal says what it was.
  return (o === 'null' ? `${u.protocol}//${u.host}` : o).slice(0, 200);
}
