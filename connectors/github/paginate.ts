// The GitHub paginator: follows Link rel="next" page by page with conditional requests (If-None-Match
// per page URL). octokit.paginate cannot be used: it replays the first page's validator on every page,
// and one 304 would end the listing. 304 pages are yielded as notModified so the engine replays them.
// Every next link goes through the shared paging guard (same origin as the base URL, no repeats, bounded,
// stops on abort) before it is cached or followed. The page cache keeps a page's next link as path and
// query with the base URL it was issued for (src/crawl/base-relative.ts), resolved against the base URL
// configured now. State issued for another base (GHES moved host, a proxy or port changed) is discarded:
// one ledger note, and the rest of the listing is read without validators. A cached next link the provider
// rejects (404/410) or the guard refuses is never retried: the listing starts again from its first page,
// without validators, in the same run, and the ledger says so.
import type { Octokit } from '@octokit/rest';
import type { ListContext, Page } from '../../src/crawl/resource.ts';
import { MalformedResponse } from '../../src/crawl/errors.ts';
import { isRefusal } from '../../src/crawl/page-guard.ts';
import { checkIssued, discardNote, isDiscarded, normalBase, resolveCachedNext, toStored } from '../../src/crawl/base-relative.ts';
import type { GithubClient } from './client.ts';

interface Response { status: number; headers: Record<string, string | undefined>; data: unknown; url?: string }

export async function* githubPages<I>(
  ctx: ListContext<GithubClient, any>,
  octokit: Octokit,
  route: string,
  params: Record<string, unknown>,
  extract: (data: unknown) => I[] = (d) => d as I[],
  /** Extra input the mapping depends on besides the page itself: part of the cache key. */
  variant = '',
): AsyncIterable<Page<I>> {
  const first = octokit.request.endpoint(route, { ...params, per_page: (params.per_page as number) ?? 100 });
  const issuer = { base: ctx.client.baseUrl };
  const base = normalBase(issuer.base);
  let guard = ctx.client.pageGuard(ctx.signal);
  let url: string | null = guard.start(first.url);
  /** false once this listing's cached state was discarded or rejected: the rest is read without validators */
  let conditional = true;
  /** `url` is a next link remembered in the page cache (after a 304), not one the provider gave in this run */
  let fromCache = false;
  while (url) {
    guard.beforePage();
    const key: string = `github|${ctx.tenant.id}|${stripOrigin(url)}${variant ? `#${variant}` : ''}`;
    let cached = conditional ? ctx.cachedPage(key) : undefined;
    let cachedNext: string | null = null;
    if (cached) {
      const r = cached.next ? resolveCachedNext(cached.next, cached.base, issuer) : checkIssued(cached.base, issuer) ?? null;
      if (r !== null && isDiscarded(r)) {
        ctx.note(discardNote(r));
        conditional = false;
        cached = undefined;
      } else cachedNext = r;
    }
    let res: Response;
    try {
      res = (await octokit.request({ method: 'GET', url, headers: cached ? { 'if-none-match': cached.etag } : {} })) as unknown as Response;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (!fromCache || (status !== 404 && status !== 410)) throw err;
      // the remembered link is gone: start again from the first page, without validators
      conditional = false;
      fromCache = false;
      guard = ctx.client.pageGuard(ctx.signal);
      url = guard.start(first.url);
      yield { items: [], restart: `cached page link rejected by the provider (HTTP ${status}): full listing instead` };
      continue;
    }
    fromCache = false;
    if (res.status === 304 && cached) {
      let follow: string | null;
      try {
        follow = cachedNext ? guard.follow(cachedNext) : null;
      } catch (err) {
        if (!isRefusal(err)) throw err;
        // not followed: this page is read again without its validator, and its fresh next link checked instead
        ctx.note(`cached page link refused (${(err as Error).message}): read without validators`);
        conditional = false;
        continue;
      }
      yield { items: [], notModified: { key } };
      url = follow;
      fromCache = follow !== null;
      continue;
    }
    const items = extract(res.data);
    if (!Array.isArray(items)) throw new MalformedResponse(`GET ${stripOrigin(url)}`, 'expected a list');
    const next = nextLink(res.headers.link);
    const follow = next ? guard.follow(next) : null;
    const etag = res.headers.etag;
    yield { items, ...(etag ? { cache: { key, etag, next: follow ? toStored(follow, issuer).rel : null, base } } : {}) };
    url = follow;
  }
}

/** Unwraps `{ total_count, <key>: [] }` list envelopes. */
export function envelope<I>(key: string): (data: unknown) => I[] {
  return (data) => {
    const v = (data as Record<string, unknown> | null)?.[key];
    if (!Array.isArray(v)) throw new MalformedResponse(key, `expected an array in the response envelope, got ${typeof v}`);
    return v as I[];
  };
}

export function nextLink(link: string | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1]!;
  }
  return null;
}

function stripOrigin(url: string): string {
  try { const u = new URL(url); return u.pathname + u.search; } catch { return url; }
}
