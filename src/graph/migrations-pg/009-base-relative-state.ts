// PostgreSQL migration 009 (= SQLite 009-base-relative-state): http_cache.base, run_resources.notes, and absolute
// URLs in crawl state split into {"base","rel"}. instr -> strpos; json_object -> the same compact JSON text SQLite
// writes (crawl_state.value is TEXT). The updates only matter for rows copied in before 009; they are kept faithful.
import { TEXT } from './sql.ts';

export const id = 9;
export const name = 'base-relative-state';

/** SQL: the origin (scheme://host:port) and the rest (path and query) of an absolute URL column `u`. */
const after = (u: string) => `strpos(substr(${u}, strpos(${u}, '://') + 3), '/')`;
const originOf = (u: string) => `CASE WHEN ${after(u)} > 0 THEN substr(${u}, 1, strpos(${u}, '://') + 1 + ${after(u)}) ELSE ${u} END`;
const restOf = (u: string) => `CASE WHEN ${after(u)} > 0 THEN substr(${u}, strpos(${u}, '://') + 2 + ${after(u)}) ELSE '/' END`;
const absolute = (u: string) => `(${u} LIKE 'http://%' OR ${u} LIKE 'https://%')`;

export const sql = `
ALTER TABLE http_cache ADD COLUMN base ${TEXT};
ALTER TABLE run_resources ADD COLUMN notes ${TEXT};

UPDATE http_cache SET base = ${originOf('next')}, next = ${restOf('next')} WHERE ${absolute('next')};
UPDATE http_cache SET base = (SELECT min(h.base) FROM http_cache h WHERE h.provider = http_cache.provider AND h.base IS NOT NULL)
 WHERE base IS NULL
   AND (SELECT count(DISTINCT h.base) FROM http_cache h WHERE h.provider = http_cache.provider AND h.base IS NOT NULL) = 1;

UPDATE crawl_state SET value = format('{"base":%s,"rel":%s}', to_json(${originOf('value')}), to_json(${restOf('value')}))
 WHERE ${absolute('value')} AND strpos(value, ' ') = 0;
`;
