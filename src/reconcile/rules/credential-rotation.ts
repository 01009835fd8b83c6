// Credential hygiene: a static secret older than its rotation policy — the connector's inventory entry
// rotation_days, else the inventory's defaults.rotation_days (90 days unless set; CIS GCP 1.7/1.15).
// Age counts from when the value was last set (catalogue/credentials.ts: e.g. a CI secret's updated_at).
import { day, parseTime } from '../clock.ts';
import { rotationField } from '../rotation-age.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { connectorHolder, isEnabled, isExpired, ownersFor, subjectOf } from './util.ts';

export const credentialRotation = defineRule({
  id: 'credential-rotation-overdue', family: 'credential-hygiene', severity: 'medium',
  owasp: ['NHI7:2025'], nist: ['PR.AA-01'],
  description: 'A static credential older than its rotation policy (entry rotation_days, else defaults.rotation_days, default 90).',
  remediation: 'Rotate the credential (issue a new one, switch consumers, revoke the old one).',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.snap.credentials) {
      if (!isEnabled(c) || isExpired(ctx, c) || c.props.static === false) continue;
      const field = rotationField(c.props.credential_type, c.props);
      const e = ctx.entryOf(c.id);
      const max = e?.entry.rotation_days ?? ctx.inventory.defaults.rotation_days;
      const clock = ctx.clock(c.id);
      if (!clock.olderThan(c.props[field], max)) continue;
      out.push({ subject: subjectOf(c), connectorId: connectorHolder(ctx, c.id)?.id ?? null,
        title: `Credential not rotated since ${day(parseTime(c.props[field])!)} (policy ${max} days): ${c.name}`,
        evidence: { credential_type: c.props.credential_type ?? null, measured_from: field, [field]: c.props[field],
          max_age_days: max, policy_source: e?.entry.rotation_days ? `inventory entry ${e.entry.id}` : 'inventory defaults.rotation_days' },
        owners: ownersFor(ctx, c.id), entry: e?.entry ?? null, matchRule: e?.rule ?? null });
    }
    return out;
  },
});
