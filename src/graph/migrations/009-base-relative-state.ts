// Migration 009: crawl state that holds a URL is kept relative to the base URL it was issued for
// (src/crawl/base-relative.ts), so state never names an address the configuration no longer does.
//  - http_cache.base: the configured base URL a cached page (its validator and next link) was issued for;
//    http_cache.next becomes the next page's path and query.
//  - crawl_state values that are absolute URLs (delta links) become {"base","rel"} JSON.
//  - run_resources.notes: informational ledger lines of a resource type in a run (not errors: the status is
//    unchanged), e.g. `state from https://old-host discarded: base URL changed`.
// Existing absolute URLs record their origin as the base (the configured path was not stored; an origin-only
// base matches a configured base on the same origin). A cached last page (no next link) gets the base of its
// provider's other entries when they all share one; otherwise it stays NULL (used as it is: it names no address).
export const id = 9;
export const name = 'base-relative-state';

/** SQL: the origin (scheme://host:port) and the rest (path and query) of an absolute URL column `u`. */
const after = (u: string) => `instr(substr(${u}, instr(${u}, '://') + 3), '/')`;
const originOf = (u: string) => `CASE WHEN ${after(u)} > 0 THEN substr(${u}, 1, instr(${u}, '://') + 1 + ${after(u)}) ELSE ${u} END`;
const restOf = (u: string) => `CASE WHEN ${after(u)} > 0 THEN substr(${u}, instr(${u}, '://') + 2 + ${after(u)}) ELSE '/' END`;
const absolute = (u: string) => `(${u} LIKE 'http://%' OR ${u} LIKE 'https://%')`;

export const sql = `
ALTER TABLE http_cache ADD COLUMN base TEXT;
ALTER TABLE run_resources ADD COLUMN notes TEXT;

UPDATE http_cache SET base = ${originOf('next')}, next = ${restOf('next')} WHERE ${absolute('next')};
UPDATE http_cache SET base = (SELECT min(h.base) FROM http_cache h WHERE h.provider = http_cache.provider AND h.base IS NOT NULL)
 WHERE base IS NULL
   AND (SELECT count(DISTINCT h.base) FROM http_cache h WHERE h.provider = http_cache.provider AND h.base IS NOT NULL) = 1;

UPDATE crawl_state SET value = json_object('base', ${originOf('value')}, 'rel', ${restOf('value')})
 WHERE ${absolute('value')} AND instr(value, ' ') = 0;
`;
