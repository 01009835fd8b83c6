// A static secret where the provider offers federation or short-lived tokens (catalogue/credentials.ts:
// Entra client secret -> federated credential / managed identity; user-managed GCP key -> workload
// identity federation; classic PAT -> fine-grained PAT / GitHub App). High when it (or its holder)
// holds a high or critical scope.
import { atLeast, credentialPolicy } from '../../catalogue/index.ts';
import { defineRule } from '../rule.ts';
import { connectorHolder, isEnabled, isExpired, ownersFor, subjectOf } from './util.ts';

export const staticSecret = defineRule({
  id: 'static-secret', family: 'static-secret', severity: 'medium',
  owasp: ['NHI4:2025', 'NHI7:2025'], nist: ['PR.AA-03', 'PR.AA-01'],
  description: 'A long-lived static secret where the provider supports federation or short-lived tokens (medium; high if privileged).',
  remediation: 'Move the workload to the federated / short-lived alternative and revoke the static secret.',
  evaluate(ctx) {
    return ctx.snap.credentials.filter((c) => isEnabled(c) && !isExpired(ctx, c)
      && credentialPolicy(c.props.credential_type as string, c.props).alternative).map((c) => {
      const holder = connectorHolder(ctx, c.id);
      const scopes = [...ctx.scopes(c.id), ...(holder ? ctx.connectorScopes(holder.id) : [])];
      const worst = ctx.worstGrade(c.provider, scopes);
      const policy = credentialPolicy(c.props.credential_type as string, c.props);
      return {
        subject: subjectOf(c), connectorId: holder?.id ?? null, severity: worst && atLeast(worst, 'high') ? 'high' as const : 'medium' as const,
        title: `Static ${policy.label ?? 'secret'} ${c.name}${holder ? ` on ${holder.name}` : ''}: use ${policy.alternative} instead`,
        evidence: { credential_type: c.props.credential_type, alternative: policy.alternative, holder: holder?.id ?? null,
          worst_scope_severity: worst, created_at: c.props.created_at ?? null, expires_at: c.props.expires_at ?? null },
        remediation: `Use ${policy.alternative} instead, then revoke this secret.`,
        owners: ownersFor(ctx, c.id), entry: ctx.entryOf(c.id)?.entry ?? null,
      };
    });
  },
});
