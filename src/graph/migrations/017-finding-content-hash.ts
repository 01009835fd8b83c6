// Migration 017: findings.content_hash (issue 16: reconcile writes findings as a diff). A hash of what a
// reconciliation stores about a finding (rule, severity, title, evidence, owners, attribution, remediation,
// acceptance, subsumed_by … — masked, as stored): a finding raised again with the same content and the same
// status is not rewritten; only its finding_observations row is recorded. So last_seen_recon / last_seen_at now
// name the reconciliation that last wrote the row (content or status changed); when a finding was last seen is its
// latest finding_observations row. Rows from before 017 have NULL: their next observation rewrites them once.
export const id = 17;
export const name = 'finding-content-hash';
export const sql = `
ALTER TABLE findings ADD COLUMN content_hash TEXT;
`;
