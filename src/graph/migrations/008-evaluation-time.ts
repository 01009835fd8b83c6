// Migration 008: the time a reconciliation judged dates against (`reconcile --now`, or when it ran), so a
// report states "Figures as of" that time and a back- or forward-dated reconciliation is visible as such.
// NULL for reconciliations made before 008 (their evaluation time was not recorded).
export const id = 8;
export const name = 'evaluation-time';
export const sql = `
ALTER TABLE reconciliations ADD COLUMN evaluated_at TEXT;
`;
