// The GitHub paginator: follows Link rel="next" page by page with conditional requests (If-None-Match
// per page URL). octokit.paginate cannot be used: it replays the first page's validator on every page,
// and one 304 would end the listing. 304 pages are yielded as notModified so the engine replays them.
import type { Octokit } from '@octokit/rest';
import type { ListContext, Page } from '../../src/crawl/resource.ts';
import { MalformedResponse } from '../../src/crawl/errors.ts';

interface Response { status: number; headers: Record<string, string | undefined>; data: unknown; url?: string }

export async function* githubPages<I>(
  ctx: ListContext<unknown, any>,
  octokit: Octokit,
  route: string,
  params: Record<string, unknown>,
  extract: (data: unknown) => I[] = (d) => d as I[],
  /** Extra input the mapping depends on besides the page itself: part of the cache key. */
  variant = '',
): AsyncIterable<Page<I>> {
  const first = octokit.request.endpoint(route, { ...params, per_page: (params.per_page as number) ?? 100 });
  let url: string | null = first.url;
  while (url) {
    const key = `github|${ctx.tenant.id}|${stripOrigin(url)}${variant ? `#${variant}` : ''}`;
    const cached = ctx.cachedPage(key);
    const res = (await octokit.request({ method: 'GET', url, headers: cached ? { 'if-none-match': cached.etag } : {} })) as unknown as Response;
    if (res.status === 304 && cached) {
      yield { items: [], notModified: { key } };
      url = cached.next;
      continue;
    }
    const items = extract(res.data);
    if (!Array.isArray(items)) throw new MalformedResponse(`GET ${stripOrigin(url)}`, 'expected a list');
    const next = nextLink(res.headers.link);
    const etag = res.headers.etag;
    yield { items, ...(etag ? { cache: { key, etag, next } } : {}) };
    url = next;
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
