// Migration 024: the `trusts` view (021) matches repositories to trust endpoints through their workload keys read
// once — each repository's keys expanded by json_each in one subquery, joined on the endpoint's workload_key (SQLite
// builds an automatic index on it) — instead of expanding every repository's keys again for every TRUSTS edge: at
// 100,000 connectors, 5,000 repositories and 2,000 trusts the whole view read in 0.29 s instead of 11 s
// (bench/reconcile-scale.ts --trusts 2000), the same rows. A repository listing a key twice still gives one row.
// PostgreSQL's view matches by JSONB containment through a GIN index already (migrations-pg/024 only says so).
export const id = 24;
export const name = 'trusts-view-keys';
export const sql = `
DROP VIEW trusts;
CREATE VIEW trusts AS
SELECT coalesce(h.id, s.id) AS holder_id, coalesce(h.name, s.name) AS holder_name,
       CASE WHEN s.kind = 'credential' THEN s.id END AS credential_id,
       coalesce(h.provider, s.provider) AS provider,
       json_extract(t.props, '$.issuer')         AS issuer,
       json_extract(t.props, '$.subject')        AS subject,
       json_extract(t.props, '$.issuer_kind')    AS issuer_kind,
       json_extract(t.props, '$.breadth')        AS breadth,
       json_extract(t.props, '$.breadth_reason') AS breadth_reason,
       json_extract(t.props, '$.workload_key')   AS workload_key,
       t.id AS endpoint_id,
       coalesce(r.id, CASE WHEN t.kind = 'resource' THEN t.id END)     AS repository_id,
       coalesce(r.name, CASE WHEN t.kind = 'resource' THEN t.name END) AS repository_name,
       json_extract(e.props, '$.via') AS via,
       e.props AS trust_props
  FROM edges e
  JOIN nodes s ON s.id = e.src AND s.removed_run IS NULL
  JOIN nodes t ON t.id = e.dst AND t.removed_run IS NULL
  LEFT JOIN edges he ON s.kind = 'credential' AND he.dst = s.id AND he.type = 'HAS_CREDENTIAL' AND he.removed_run IS NULL
  LEFT JOIN nodes h ON h.id = he.src AND h.removed_run IS NULL
  LEFT JOIN (SELECT DISTINCT r.id, r.name, k.value AS workload_key FROM nodes r, json_each(r.props, '$.workload_keys') k
              WHERE r.kind = 'resource' AND r.removed_run IS NULL AND json_extract(r.props, '$.workload_keys') IS NOT NULL) r
         ON r.workload_key = json_extract(t.props, '$.workload_key')
 WHERE e.type = 'TRUSTS' AND e.removed_run IS NULL;
`;
