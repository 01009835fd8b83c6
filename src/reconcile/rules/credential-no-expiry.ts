// Credential hygiene: a credential type that can carry an expiry was issued without one
// (catalogue/credentials.ts says which types can). High when it holds a high or critical scope.
import { atLeast, credentialPolicy } from '../../catalogue/index.ts';
import { defineRule } from '../rule.ts';
import { connectorHolder, isEnabled, isExpired, ownersFor, subjectOf } from './util.ts';

export const credentialNoExpiry = defineRule({
  id: 'credential-no-expiry', family: 'credential-hygiene', severity: 'medium',
  owasp: ['NHI7:2025'], nist: ['PR.AA-01'],
  description: 'A credential that could expire never does (medium; high if it holds a high or critical scope).',
  remediation: 'Reissue it with an expiry (and rotate before it), then revoke the non-expiring one.',
  evaluate(ctx) {
    return ctx.snap.credentials.filter((c) => isEnabled(c) && !isExpired(ctx, c) && !c.props.expires_at
      && credentialPolicy(c.props.credential_type as string, c.props).expirable).map((c) => {
      const worst = ctx.worstGrade(c.provider, ctx.scopes(c.id));
      return {
        subject: subjectOf(c), connectorId: connectorHolder(ctx, c.id)?.id ?? null,
        severity: worst && atLeast(worst, 'high') ? 'high' as const : 'medium' as const,
        title: `Credential never expires: ${c.name}`,
        evidence: { credential_type: c.props.credential_type ?? null, expires_at: null, created_at: c.props.created_at ?? null,
          scopes: ctx.scopes(c.id), worst_scope_severity: worst },
        owners: ownersFor(ctx, c.id), entry: ctx.entryOf(c.id)?.entry ?? null,
      };
    });
  },
});
