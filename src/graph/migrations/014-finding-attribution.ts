// Migration 014: who must act on each finding (issue 15 item 7). findings.attribution is JSON written by the
// reconciler (src/reconcile/attribution.ts): { recipients: [{ email, name, role }], context: [{ email, name, role,
// status, departed_on, reason }], note } — the active people the finding is routed to, in order (their e-mails are
// also findings.owners), and the departed or unresolved people shown beside them, never as the only recipient.
// NULL for findings written before 014 until their next observation.
export const id = 14;
export const name = 'finding-attribution';
export const sql = `
ALTER TABLE findings ADD COLUMN attribution TEXT;
`;
