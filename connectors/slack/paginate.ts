// The two Slack paging styles, each in one place: cursor paging through WebClient's own `paginate`
// (response_metadata.next_cursor + limit), and the page/count paging of team.integrationLogs, which
// `paginate` does not follow. https://docs.slack.dev/apis/web-api/pagination
// Both run through the shared paging guard: a repeated cursor, a URL-shaped cursor for another origin, more
// pages than the bound, or an aborted crawl ends the listing before the next page is asked for.
import type { WebAPICallResult } from '@slack/web-api';
import { MalformedResponse } from '../../src/crawl/errors.ts';
import type { Page } from '../../src/crawl/resource.ts';
import type { SlackClient } from './client.ts';

/** Every page of a cursor-paged method; `key` names the array in each response. */
export async function* cursorPages<I>(client: SlackClient, method: string, args: Record<string, unknown>, key: string): AsyncIterable<Page<I>> {
  const guard = client.pageGuard();
  guard.beforePage();
  // WebClient asks for the next page only when this loop asks for the next result: the guard runs first.
  for await (const res of client.web.paginate(method, { ...args, limit: client.pageSize })) {
    yield { items: itemsOf<I>(res, method, key) };
    const next = (res as { response_metadata?: { next_cursor?: unknown } }).response_metadata?.next_cursor;
    if (next !== undefined && next !== '') { guard.cursor(String(next)); guard.beforePage(); } // WebClient's own test for a next page
  }
}

/** Every page of a page/count-paged method (body `paging: {page, pages}`), first page first. */
export async function* numberedPages<I>(client: SlackClient, method: string, args: Record<string, unknown>, key: string,
  shouldStop: (items: I[]) => boolean = () => false): AsyncIterable<Page<I>> {
  const guard = client.pageGuard();
  for (let page = 1, pages = 1; page <= pages; page++) {
    guard.beforePage();
    const res = await client.web.apiCall(method, { ...args, count: client.logPageSize, page });
    const items = itemsOf<I>(res, method, key);
    const paging = (res as { paging?: { pages?: number } }).paging;
    pages = Number(paging?.pages ?? 1);
    if (!Number.isFinite(pages)) throw new MalformedResponse(`${method}.paging.pages`, 'not a number');
    yield { items };
    if (shouldStop(items)) return;
  }
}

function itemsOf<I>(res: WebAPICallResult, method: string, key: string): I[] {
  const v = (res as unknown as Record<string, unknown>)[key];
  if (!Array.isArray(v)) throw new MalformedResponse(`${method}.${key}`, `expected an array, got ${typeof v}`);
  return v as I[];
}
