// PostgreSQL migration 021 (= SQLite 021-trusts-view): the `trusts` view, same columns and meaning. A repository's
// workload_keys are matched by JSONB containment, which the GIN index nodes_workload_keys_gin serves
// (nodes_workload_keys, SQLite's partial index, is kept for parity: the same indexes on both).
import { jsonText } from './sql.ts';

export const id = 21;
export const name = 'trusts-view';
export const sql = `
CREATE INDEX nodes_workload_keys ON nodes(kind) WHERE props ? 'workload_keys';
CREATE INDEX nodes_workload_keys_gin ON nodes USING gin ((props -> 'workload_keys') jsonb_path_ops);

CREATE VIEW trusts AS
SELECT coalesce(h.id, s.id) AS holder_id, coalesce(h.name, s.name) AS holder_name,
       CASE WHEN s.kind = 'credential' THEN s.id END AS credential_id,
       coalesce(h.provider, s.provider) AS provider,
       ${jsonText('t.props', 'issuer')} AS issuer,
       ${jsonText('t.props', 'subject')} AS subject,
       ${jsonText('t.props', 'issuer_kind')} AS issuer_kind,
       ${jsonText('t.props', 'breadth')} AS breadth,
       ${jsonText('t.props', 'breadth_reason')} AS breadth_reason,
       ${jsonText('t.props', 'workload_key')} AS workload_key,
       t.id AS endpoint_id,
       coalesce(r.id, CASE WHEN t.kind = 'resource' THEN t.id END)     AS repository_id,
       coalesce(r.name, CASE WHEN t.kind = 'resource' THEN t.name END) AS repository_name,
       ${jsonText('e.props', 'via')} AS via,
       e.props AS trust_props
  FROM edges e
  JOIN nodes s ON s.id = e.src AND s.removed_run IS NULL
  JOIN nodes t ON t.id = e.dst AND t.removed_run IS NULL
  LEFT JOIN edges he ON s.kind = 'credential' AND he.dst = s.id AND he.type = 'HAS_CREDENTIAL' AND he.removed_run IS NULL
  LEFT JOIN nodes h ON h.id = he.src AND h.removed_run IS NULL
  LEFT JOIN nodes r ON r.props -> 'workload_keys' @> jsonb_build_array(t.props ->> 'workload_key')
                   AND r.kind = 'resource' AND r.removed_run IS NULL
                   AND jsonb_typeof(t.props -> 'workload_key') = 'string'
 WHERE e.type = 'TRUSTS' AND e.removed_run IS NULL;
`;
