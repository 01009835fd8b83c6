// Migration 019: nodes.changed_run and edges.changed_run — the run that last changed the row's content (added,
// revived, renamed, or any prop changed, observation props such as last_used_at included, which the history in
// change_log deliberately leaves out). Incremental reconciliation (src/reconcile/incremental.ts) reads what crawls
// changed since the previous reconciliation from it and from removed_run, never from change_log alone (a newer last
// use changes a dormancy verdict without being history). Rows from before 019 have NULL; the unit map is cleared so
// the next reconciliation is full.
export const id = 19;
export const name = 'changed-run';
export const sql = `
ALTER TABLE nodes ADD COLUMN changed_run INTEGER;
ALTER TABLE edges ADD COLUMN changed_run INTEGER;
CREATE INDEX nodes_changed ON nodes(changed_run) WHERE changed_run IS NOT NULL;
CREATE INDEX nodes_removed ON nodes(removed_run) WHERE removed_run IS NOT NULL;
CREATE INDEX edges_changed ON edges(changed_run) WHERE changed_run IS NOT NULL;
CREATE INDEX edges_removed ON edges(removed_run) WHERE removed_run IS NOT NULL;
DELETE FROM reconcile_units;
DELETE FROM reconcile_revisits;
DELETE FROM reconcile_principals;
`;
