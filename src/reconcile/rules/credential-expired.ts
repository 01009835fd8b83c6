// Credential hygiene: a credential past its expiry that is still attached (clutter that hides the live
// ones, and a sign nobody owns the rotation).
import { defineRule } from '../rule.ts';
import { connectorHolder, isEnabled, isExpired, ownersFor, subjectOf } from './util.ts';

export const credentialExpired = defineRule({
  id: 'credential-expired', family: 'credential-hygiene', severity: 'low',
  owasp: ['NHI1:2025'], nist: ['PR.AA-01', 'ID.AM-08'],
  description: 'A credential whose expiry has passed is still present.',
  remediation: 'Delete the expired credential (and its grant) from the provider.',
  evaluate(ctx) {
    return ctx.snap.credentials.filter((c) => isEnabled(c) && isExpired(ctx, c)).map((c) => ({
      subject: subjectOf(c), connectorId: connectorHolder(ctx, c.id)?.id ?? null,
      title: `Expired credential still present: ${c.name} (expired ${String(c.props.expires_at ?? '').slice(0, 10)})`,
      evidence: { credential_type: c.props.credential_type ?? null, expires_at: c.props.expires_at ?? null,
        last_used_at: c.props.last_used_at ?? null },
      owners: ownersFor(ctx, c.id), entry: ctx.entryOf(c.id)?.entry ?? null,
    }));
  },
});
