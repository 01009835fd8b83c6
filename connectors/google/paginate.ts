// The Google paginator: `pageToken` in, `nextPageToken` out — the one paging style of the Admin SDK,
// IAM and Resource Manager (googleapis ships no paginator). A listing whose list field is absent is an
// empty page (Google omits empty arrays); a body that is not an object is malformed, never [].
// Tokens go through the shared paging guard: a repeated token (`paging loop at page N`), a URL-shaped token
// for another origin, more pages than the bound, or an aborted crawl ends the listing before the next request.
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
  const guard = client.pageGuard();
  do {
    guard.beforePage();
    const { data } = await fetch(token);
    if (!data || typeof data !== 'object') throw new MalformedResponse(what, 'expected a JSON object');
    const list = items(data) ?? [];
    if (!Array.isArray(list)) throw new MalformedResponse(what, 'expected a list');
    token = data.nextPageToken ? guard.cursor(String(data.nextPageToken)) : undefined;
    yield { items: list };
  } while (token);
}
