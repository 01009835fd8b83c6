// Clearing crawl state on request (`nhi-census db reset-state`): the page cache (conditional-request
// validators and the next links cached with them) and the per-tenant state providers keep between runs
// (delta links, watermarks, what audit logs taught). The graph itself is untouched: the next crawl lists
// everything in full and, as with any complete listing, removes only what it no longer finds.
import type { Db } from './db.ts';

export interface StateCleared { cachedPages: number; stateEntries: number }

/** Deletes the crawl state of one provider (or every provider) in one transaction. */
export function resetCrawlState(db: Db, provider?: string): StateCleared {
  return db.transaction(() => {
    const where = provider === undefined ? '' : ' WHERE provider = ?';
    const args = provider === undefined ? [] : [provider];
    return {
      cachedPages: db.prepare(`DELETE FROM http_cache${where}`).run(...args).changes,
      stateEntries: db.prepare(`DELETE FROM crawl_state${where}`).run(...args).changes,
    };
  })();
}
