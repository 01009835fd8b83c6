// Migration 021: the `trusts` view (issue 19) — who accepts tokens from which workload, resolved to the repositories
// it names. One row per live TRUSTS edge × live resource whose props.workload_keys holds the trusted endpoint's
// workload_key (NULL repository columns when none does: an external or unresolved trust, kept with its raw subject).
// A TRUSTS edge from a credential is held by the connector(s) that HAS_CREDENTIAL it; from a connector, by itself.
// The partial index keeps the look-up to the nodes that carry workload_keys (the view's condition spells it exactly).
export const id = 21;
export const name = 'trusts-view';
/**
 * The view's columns and its joins up to the holder (h); the repository join (r) and TRUSTS_WHERE follow. Exported for
 * migration 024, which replaces only the repository join.
 */
export const TRUSTS_SELECT = `
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
`;
/** The view's row filter: live TRUSTS edges. */
export const TRUSTS_WHERE = ` WHERE e.type = 'TRUSTS' AND e.removed_run IS NULL`;

export const sql = `
CREATE INDEX nodes_workload_keys ON nodes(kind) WHERE json_extract(props, '$.workload_keys') IS NOT NULL;

CREATE VIEW trusts AS${TRUSTS_SELECT}  LEFT JOIN nodes r ON json_extract(r.props, '$.workload_keys') IS NOT NULL
                   AND r.kind = 'resource' AND r.removed_run IS NULL
                   AND json_extract(t.props, '$.workload_key') IS NOT NULL
                   AND EXISTS (SELECT 1 FROM json_each(r.props, '$.workload_keys') k
                                WHERE k.value = json_extract(t.props, '$.workload_key'))
${TRUSTS_WHERE};
`;
