// PostgreSQL migration 012 (= SQLite 012-grant-risk): scope_grades (the risk catalogue's grade per scope node),
// grants.risk from it (with risk_reason, risk_source, risk_known), and changes naming edges `<from> <TYPE> <to>`.
import { TEXT } from './sql.ts';

export const id = 12;
export const name = 'grant-risk';
export const sql = `
CREATE TABLE scope_grades (
  scope_id  ${TEXT} PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
  provider  ${TEXT} NOT NULL,
  risk      ${TEXT} NOT NULL CHECK (risk IN ('critical','high','medium','low','info')),
  reason    ${TEXT} NOT NULL,
  source    ${TEXT} NOT NULL,
  known     INTEGER NOT NULL,
  graded_at ${TEXT} NOT NULL
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
