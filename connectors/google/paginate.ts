// The Google paginator: `pageToken` in, `nextPageToken` out — the one paging style of the Admin SDK,
// IAM and Resource Manager (googleapis ships no paginator). A listing whose list field is absent is an
// empty page (Google omits empty arrays); a body that is not an object is malformed, never [].
import type { Page } from '../../src/crawl/resource.ts';
import { MalformedResponse } from '../../src/crawl/errors.ts';

interface TokenPage { nextPageToken?: string | null }

export async function* googlePages<R extends TokenPage, I>(
  what: string,
  fetch: (pageToken: string | undefined) => Promise<{ data: R }>,
  items: (data: R) => I[] | null | undefined,
): AsyncIterable<Page<I>> {
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const { data } = await fetch(token);
    if (!data || typeof data !== 'object') throw new MalformedResponse(what, 'expected a JSON object');
    const list = items(data) ?? [];
    if (!Array.isArray(list)) throw new MalformedResponse(what, 'expected a list');
    yield { items: list };
    token = data.nextPageToken || undefined;
    if (token && seen.has(token)) throw new MalformedResponse(`${what}.nextPageToken`, 'repeats a page token (paging loop)');
    if (token) seen.add(token);
  } while (token);
}
