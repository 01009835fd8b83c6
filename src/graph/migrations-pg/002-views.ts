// PostgreSQL migration 002 (= SQLite 002-views): the documented analyst views (docs/graph.md), same names, columns
// and meaning. json_extract -> jsonText / jsonFlag (./sql.ts); `removed` is cast to 0/1 INTEGER as SQLite gives it.
import { jsonFlag, jsonText } from './sql.ts';

export const id = 2;
export const name = 'views';
export const sql = `
CREATE VIEW connectors AS
SELECT n.id, n.provider, n.tenant, n.type, n.name,
       ${jsonText('n.props', 'connector_type')} AS connector_type,
       ${jsonText('n.props', 'app_id')} AS app_id,
       (SELECT v.name FROM edges e JOIN nodes v ON v.id = e.dst
         WHERE e.src = n.id AND e.type = 'PUBLISHED_BY' AND e.removed_run IS NULL LIMIT 1) AS vendor,
       ${jsonFlag('n.props', 'enabled')} AS enabled,
       ${jsonText('n.props', 'created_at')} AS created_at,
       ${jsonText('n.props', 'last_used_at')} AS last_used_at,
       (SELECT count(*) FROM edges e WHERE e.src = n.id AND e.type = 'HAS_SCOPE' AND e.removed_run IS NULL) AS scope_count,
       n.first_seen_at, n.last_seen_at, n.props
  FROM nodes n
 WHERE n.kind = 'connector' AND n.removed_run IS NULL;

CREATE VIEW credentials AS
SELECT c.id, c.provider, c.tenant, c.type, c.name,
       ${jsonText('c.props', 'credential_type')} AS credential_type,
       h.id AS holder_id, h.kind AS holder_kind, h.name AS holder_name,
       ${jsonText('c.props', 'created_at')} AS created_at,
       ${jsonText('c.props', 'expires_at')} AS expires_at,
       ${jsonText('c.props', 'last_used_at')} AS last_used_at,
       ${jsonFlag('c.props', 'static')} AS static,
       ${jsonFlag('c.props', 'enabled')} AS enabled,
       c.first_seen_at, c.last_seen_at, c.props
  FROM nodes c
  LEFT JOIN edges e ON e.dst = c.id AND e.type = 'HAS_CREDENTIAL' AND e.removed_run IS NULL
  LEFT JOIN nodes h ON h.id = e.src
 WHERE c.kind = 'credential' AND c.removed_run IS NULL;

CREATE VIEW grants AS
SELECT e.src AS holder_id, h.kind AS holder_kind, h.name AS holder_name, h.provider,
       s.name AS scope, ${jsonText('s.props', 'risk')} AS risk,
       e.props AS grant_props, e.first_seen_at, e.last_seen_at
  FROM edges e
  JOIN nodes h ON h.id = e.src
  JOIN nodes s ON s.id = e.dst
 WHERE e.type = 'HAS_SCOPE' AND e.removed_run IS NULL AND h.removed_run IS NULL;

CREATE VIEW principals AS
SELECT n.id, n.provider, n.tenant, n.type, n.name,
       lower(${jsonText('n.props', 'email')}) AS email,
       coalesce(${jsonText('n.props', 'status')}, 'unknown') AS status,
       ${jsonFlag('n.props', 'is_admin')} AS is_admin,
       (n.removed_run IS NOT NULL)::integer AS removed,
       n.first_seen_at, n.last_seen_at, n.props
  FROM nodes n
 WHERE n.kind = 'principal';

CREATE VIEW owners AS
SELECT e.type AS relation,
       CASE e.type WHEN 'OWNS' THEN e.dst ELSE e.src END AS connector_id,
       CASE e.type WHEN 'OWNS' THEN e.src ELSE e.dst END AS principal_id,
       c.name AS connector_name, c.provider,
       p.name AS principal_name,
       lower(${jsonText('p.props', 'email')}) AS principal_email,
       CASE WHEN p.id IS NULL THEN 'unknown'
            WHEN p.removed_run IS NOT NULL THEN 'removed'
            ELSE coalesce(${jsonText('p.props', 'status')}, 'unknown') END AS principal_status,
       e.first_seen_at
  FROM edges e
  JOIN nodes c ON c.id = CASE e.type WHEN 'OWNS' THEN e.dst ELSE e.src END
  LEFT JOIN nodes p ON p.id = CASE e.type WHEN 'OWNS' THEN e.src ELSE e.dst END
 WHERE e.type IN ('OWNS','INSTALLED_BY') AND e.removed_run IS NULL AND c.removed_run IS NULL;

CREATE VIEW reach AS
SELECT e.src AS holder_id, h.kind AS holder_kind, h.name AS holder_name, h.provider,
       r.id AS resource_id, r.name AS resource_name, r.type AS resource_type,
       e.props AS access_props
  FROM edges e
  JOIN nodes h ON h.id = e.src
  LEFT JOIN nodes r ON r.id = e.dst
 WHERE e.type = 'CAN_ACCESS' AND e.removed_run IS NULL AND h.removed_run IS NULL;

CREATE VIEW forwards AS
SELECT e.src AS connector_id, c.name AS connector_name, c.provider,
       d.name AS host, e.props AS forward_props
  FROM edges e
  JOIN nodes c ON c.id = e.src
  JOIN nodes d ON d.id = e.dst
 WHERE e.type = 'FORWARDS_TO' AND e.removed_run IS NULL AND c.removed_run IS NULL;

CREATE VIEW changes AS
SELECT l.id, l.run_id, l.at, l.entity, l.entity_id, l.change, l.provider, l.kind,
       coalesce(n.name, l.entity_id) AS name, l.before, l.after
  FROM change_log l
  LEFT JOIN nodes n ON l.entity = 'node' AND n.id = l.entity_id;

CREATE VIEW run_ledger AS
SELECT r.id AS run_id, r.started_at AS run_started_at, r.status AS run_status,
       rr.provider, rr.tenant, rr.resource_type, rr.status, rr.objects, rr.api_calls,
       rr.not_modified, rr.retries, rr.removed, rr.duration_ms, rr.error
  FROM runs r JOIN run_resources rr ON rr.run_id = r.id;
`;
