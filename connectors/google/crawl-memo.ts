// One audit-log query per crawl, shared by every user's listing: memoises a query by client (one client
// per crawl and tenant) and start time. A failed query is not kept, so the next listing asks again.
import type { GoogleClient } from './client.ts';

export function oncePerCrawl<T>(query: (client: GoogleClient, startTime: string) => Promise<T>): (client: GoogleClient, startTime: string) => Promise<T> {
  const memo = new WeakMap<GoogleClient, Map<string, Promise<T>>>();
  return (client, startTime) => {
    let byStart = memo.get(client);
    if (!byStart) { byStart = new Map(); memo.set(client, byStart); }
    let p = byStart.get(startTime);
    if (!p) {
      p = query(client, startTime);
      p.catch(() => byStart!.delete(startTime));
      byStart.set(startTime, p);
    }
    return p;
  };
}
