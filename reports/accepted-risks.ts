// The "Accepted risks" section's rows and the acceptance marker of findings.csv / report.json (docs/reconcile.md
// "Accepted risks"): the same words in every renderer. An accepted finding is listed with its reason, ticket and
// expiry; a finding whose acceptance expired is open again, and the section says the acceptance expired.
import type { FindingItem } from './model-types.ts';

export const ACCEPTED_RISKS_LEAD = 'Findings the inventory records as accepted risks (accepted_risks: reason, ticket, expiry): recorded and listed here, '
  + 'not open action items and not counted by --fail-on. After its expiry an acceptance no longer applies: the finding is open again and listed below as expired.';

/** "accepted until 2027-05-31" or "acceptance expired 2026-10-31 — open again"; '' without an acceptance. */
export function acceptanceMarker(f: FindingItem): string {
  const a = f.acceptance;
  if (!a) return '';
  return a.expired ? `acceptance expired ${a.expires} — open again` : `accepted until ${a.expires}`;
}

export interface AcceptedRiskRow { severity: string; rule: string; subject: string; connector: string; provider: string; reason: string; ticket: string; expires: string; status: string }

export function acceptedRiskRows(items: FindingItem[]): AcceptedRiskRow[] {
  return items.filter((f) => f.acceptance).map((f) => ({ severity: f.severity, rule: f.rule, subject: f.subject, connector: f.connector, provider: f.provider,
    reason: f.acceptance!.reason, ticket: f.acceptance!.ticket, expires: f.acceptance!.expires, status: acceptanceMarker(f) }));
}
