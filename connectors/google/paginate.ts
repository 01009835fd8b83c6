// The Google paginator: `pageToken` in, `nextPageToken` out — the one paging style of the Admin SDK,
// IAM and Resource Manager (googleapis ships no paginator). A listing whose list field is absent is an
// empty page (Google omits empty arrays); a body that is not an object is malformed, never [].
// Tokens go through the shared paging guard: a repeated token (`paging loop at page N`), a URL-shaped token
// for another origin, more pages than the bound, or an aborted crawl ends the listing before the next request.
// A page token the provider rejects (HTTP 400: expired, or not one it issued) starts the listing again from its
// first page, once, in the same run: a `restart` page tells the engine (and the ledger) why.
import type { Page } from '../../src/crawl/resource.ts';
import { MalformedResponse } from '../../src/crawl/errors.ts';
import type { GoogleClient } from './client.ts';

interface TokenPage { nextPageToken?: string | null }

export async function* googlePages<R extends TokenPage, I>(
  client: Pick<GoogleClient, 'pageGuard'>,
  what: string,
  fetch: (pageToken: string | undefined) => Promise<{ data: R }>,
  items: (data: R) => I[] | null | undefined,
): AsyncIterable<Page<I>> {
  let token: string | undefined;
  let guard = client.pageGuard();
  let restarted = false;
  for (;;) {
    guard.beforePage();
    let data: R;
    try {
      ({ data } = await fetch(token));
    } catch (err) {
      const rejected = token !== undefined && !restarted ? rejectedToken(err) : undefined;
      if (!rejected) throw err;
      restarted = true;
      token = undefined;
      guard = client.pageGuard();
      yield { items: [], restart: `page token rejected by the provider (${rejected}): listing read again from its first page` };
      continue;
    }
    if (!data || typeof data !== 'object') throw new MalformedResponse(what, 'expected a JSON object');
    const list = items(data) ?? [];
    if (!Array.isArray(list)) throw new MalformedResponse(what, 'expected a list');
    token = data.nextPageToken ? guard.cursor(String(data.nextPageToken)) : undefined;
    yield { items: list };
    if (!token) return;
  }
}

/** 'HTTP 400 <Google's message>' when a request with a page token was answered 400 (the token, not the query: page 1 passed). */
function rejectedToken(err: unknown): string | undefined {
  const e = err as { status?: unknown; message?: unknown; response?: { status?: unknown } };
  if ((e?.status ?? e?.response?.status) !== 400) return undefined;
  const message = typeof e.message === 'string' ? e.message.replace(/^HTTP 400:?\s*/, '').replace(/[\p{Cc}]/gu, ' ').slice(0, 80) : '';
  return `HTTP 400${message ? ` ${message}` : ''}`;
}
