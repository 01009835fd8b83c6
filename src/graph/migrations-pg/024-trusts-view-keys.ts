// PostgreSQL migration 024 (= SQLite 024-trusts-view-keys): nothing to rebuild — this view already matches a
// repository's workload_keys by JSONB containment through the GIN index nodes_workload_keys_gin (migration 021); the
// view's comment records the pairing.
export const id = 24;
export const name = 'trusts-view-keys';
export const sql = `
COMMENT ON VIEW trusts IS 'TRUSTS edges resolved to the repositories whose workload_keys hold the endpoint''s workload_key (docs/graph.md)';
`;
