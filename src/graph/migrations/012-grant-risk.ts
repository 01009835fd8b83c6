// Migration 012: grants carry their risk grade, and changes name edges readably (issue 15).
//  - scope_grades: the risk catalogue's grade of each scope node (docs/risk-catalogue.md §5): risk, reason, source,
//    and whether the catalogue lists the scope (known = 0: graded medium by default). Written by the graph writer
//    as it writes scope nodes, and refreshed for every scope node when a writer starts (src/graph/scope-grades.ts),
//    so a database from before 012 has its grades after its next crawl or reconciliation — grading needs the
//    catalogue's code (normalisation, patterns), so this migration cannot fill the table in SQL.
//  - grants: `risk` comes from scope_grades (it was json_extract(scope.props, '$.risk'), which no adapter sets:
//    always NULL); risk_reason, risk_source and risk_known are appended. NULL only until the scope is graded.
//  - changes: an edge row is named `<from name> <EDGE TYPE> <to name>` (e.g. `deployhub-pro HAS_SCOPE
//    organization_administration:write`) instead of its raw id (which stays in entity_id).
export const id = 12;
export const name = 'grant-risk';
export const sql = `
CREATE TABLE scope_grades (
  scope_id  TEXT PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
  provider  TEXT NOT NULL,
  risk      TEXT NOT NULL CHECK (risk IN ('critical','high','medium','low','info')),
  reason    TEXT NOT NULL,
  source    TEXT NOT NULL,
  known     INTEGER NOT NULL,
  graded_at TEXT NOT NULL
);

DROP VIEW grants;
CREATE VIEW grants AS
SELECT e.src AS holder_id, h.kind AS holder_kind, h.name AS holder_name, h.provider,
       s.name AS scope, g.risk AS risk,
       e.props AS grant_props, e.first_seen_at, e.last_seen_at,
       g.reason AS risk_reason, g.source AS risk_source, g.known AS risk_known
  FROM edges e
  JOIN nodes h ON h.id = e.src
  JOIN nodes s ON s.id = e.dst
  LEFT JOIN scope_grades g ON g.scope_id = s.id
 WHERE e.type = 'HAS_SCOPE' AND e.removed_run IS NULL AND h.removed_run IS NULL;

DROP VIEW changes;
CREATE VIEW changes AS
SELECT l.id, l.run_id, l.at, l.entity, l.entity_id, l.change, l.provider, l.kind,
       CASE WHEN l.entity = 'edge' AND e.id IS NOT NULL
            THEN coalesce(a.name, e.src) || ' ' || e.type || ' ' || coalesce(b.name, e.dst)
            ELSE coalesce(n.name, l.entity_id) END AS name,
       l.before, l.after
  FROM change_log l
  LEFT JOIN nodes n ON l.entity = 'node' AND n.id = l.entity_id
  LEFT JOIN edges e ON l.entity = 'edge' AND e.id = l.entity_id
  LEFT JOIN nodes a ON a.id = e.src
  LEFT JOIN nodes b ON b.id = e.dst;
`;
