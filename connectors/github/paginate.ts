// The GitHub paginator: follows Link rel="next" page by page with conditional requests (If-None-Match
// per page URL). octokit.paginate cannot be used: it replays the first page's validator on every page,
// and one 304 would end the listing. 304 pages are yielded as notModified so the engine replays them.
// Every next link — fresh, or remembered in the page cache — goes through the shared paging guard first
// (same origin as the base URL, no repeats, bounded, stops on abort), before it is cached or followed. A
// remembered next link the guard refuses (left by an older version, or a base URL moved to another host) is
// not followed: that page is read again without its validator, and its fresh next link is checked instead.
import type { Octokit } from '@octokit/rest';
import type { ListContext, Page } from '../../src/crawl/resource.ts';
import { MalformedResponse } from '../../src/crawl/errors.ts';
import { isRefusal } from '../../src/crawl/page-guard.ts';
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
  const guard = ctx.client.pageGuard(ctx.signal);
  let url: string | null = guard.start(first.url);
  let uncached = false;
  while (url) {
    guard.beforePage();
    const key: string = `github|${ctx.tenant.id}|${stripOrigin(url)}${variant ? `#${variant}` : ''}`;
    const cached: { etag: string; next: string | null } | undefined = uncached ? undefined : ctx.cachedPage(key);
    uncached = false;
    const res = (await octokit.request({ method: 'GET', url, headers: cached ? { 'if-none-match': cached.etag } : {} })) as unknown as Response;
    if (res.status === 304 && cached) {
      let follow: string | null;
      try {
        follow = cached.next ? guard.follow(cached.next) : null;
      } catch (err) {
        if (!isRefusal(err)) throw err;
        ctx.log.warn('cached next link refused: reading the page again', { page: stripOrigin(url), reason: (err as Error).message });
        uncached = true;
        continue;
      }
      yield { items: [], notModified: { key } };
      url = follow;
      continue;
    }
    const items = extract(res.data);
    if (!Array.isArray(items)) throw new MalformedResponse(`GET ${stripOrigin(url)}`, 'expected a list');
    const next = nextLink(res.headers.link);
    const follow = next ? guard.follow(next) : null;
    const etag = res.headers.etag;
    yield { items, ...(etag ? { cache: { key, etag, next: follow } } : {}) };
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
