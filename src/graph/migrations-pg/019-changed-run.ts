// PostgreSQL migration 019 (= SQLite 019-changed-run): nodes/edges.changed_run, the run that last changed a row's
// content (observation props included), with the same partial indexes, and the unit map cleared (next reconcile full).
// (edges.changed_run follows props_hash and, before it, seq.)
export const id = 19;
export const name = 'changed-run';
export const sql = `
ALTER TABLE nodes ADD COLUMN changed_run BIGINT;
ALTER TABLE edges ADD COLUMN changed_run BIGINT;
CREATE INDEX nodes_changed ON nodes(changed_run) WHERE changed_run IS NOT NULL;
CREATE INDEX nodes_removed ON nodes(removed_run) WHERE removed_run IS NOT NULL;
CREATE INDEX edges_changed ON edges(changed_run) WHERE changed_run IS NOT NULL;
CREATE INDEX edges_removed ON edges(removed_run) WHERE removed_run IS NOT NULL;
DELETE FROM reconcile_units;
DELETE FROM reconcile_revisits;
DELETE FROM reconcile_principals;
`;
