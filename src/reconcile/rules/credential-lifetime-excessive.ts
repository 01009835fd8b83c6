// Credential hygiene: a static credential issued with a lifetime (expires_at − created_at) longer than policy —
// the connector's inventory entry max_credential_lifetime_days, else defaults.max_credential_lifetime_days (365
// unless set). Graded by how far over: low, medium beyond 1.5× the policy, high beyond 3× (a 10-year secret
// against a 1-year policy). Needs both dates; a credential without an expiry is credential-no-expiry's, an
// expired one credential-expired's, and one the provider rotates itself (static: false) nobody's.
// Sources: docs/reconcile.md (credential-lifetime-excessive), docs/risk-catalogue.md §3 `credential-lifetime-excessive`.
import type { Severity } from '../../catalogue/index.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { connectorHolder, isEnabled, isExpired, ownersFor, subjectOf } from './util.ts';

const DAY_MS = 86_400_000;
/** Over the policy by more than these factors: medium, high. */
const MEDIUM_OVER = 1.5;
const HIGH_OVER = 3;

export const credentialLifetimeExcessive = defineRule({
  id: 'credential-lifetime-excessive', family: 'credential-hygiene', severity: 'low',
  owasp: ['NHI7:2025'], nist: ['PR.AA-01'],
  description: `A static credential whose lifetime (expires − created) exceeds max_credential_lifetime_days (entry, else defaults; default 365): low; medium beyond ${MEDIUM_OVER}× the policy, high beyond ${HIGH_OVER}×.`,
  remediation: 'Issue a replacement whose lifetime is within the policy, move its consumers to it and revoke this one; where the provider can enforce a maximum credential lifetime, turn that on.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.snap.credentials) {
      if (!isEnabled(c) || isExpired(ctx, c) || c.props.static === false) continue;
      const lifetime = lifetimeDays(c.props.created_at, c.props.expires_at);
      if (lifetime === null) continue;
      const e = ctx.entryOf(c.id);
      const max = e?.entry.max_credential_lifetime_days ?? ctx.inventory.defaults.max_credential_lifetime_days;
      if (lifetime <= max) continue;
      const ratio = lifetime / max;
      const severity: Severity = ratio > HIGH_OVER ? 'high' : ratio > MEDIUM_OVER ? 'medium' : 'low';
      out.push({ subject: subjectOf(c), connectorId: connectorHolder(ctx, c.id)?.id ?? null, severity,
        title: `Credential valid for ${lifetime} days (${years(lifetime)}; policy ${max}): ${c.name}`,
        evidence: { credential_type: c.props.credential_type ?? null, created_at: c.props.created_at, expires_at: c.props.expires_at,
          lifetime_days: lifetime, max_lifetime_days: max, times_policy: Math.round(ratio * 10) / 10,
          policy_source: e?.entry.max_credential_lifetime_days ? `inventory entry ${e.entry.id}` : 'inventory defaults.max_credential_lifetime_days' },
        owners: ownersFor(ctx, c.id), entry: e?.entry ?? null, matchRule: e?.rule ?? null });
    }
    return out;
  },
});

/** Whole days from created to expires; null unless both are dates and expires is later. */
function lifetimeDays(created: unknown, expires: unknown): number | null {
  if (typeof created !== 'string' || typeof expires !== 'string') return null;
  const from = Date.parse(created);
  const to = Date.parse(expires);
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from) return null;
  return Math.floor((to - from) / DAY_MS);
}

function years(days: number): string {
  const y = Math.round((days / 365) * 10) / 10;
  return `${y} year${y === 1 ? '' : 's'}`;
}
