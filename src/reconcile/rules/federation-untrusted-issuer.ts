// A federated trust in a token issuer outside the configured list (config `trust.issuers`; by default every issuer
// of a kind a connector registered, such as GitHub Actions): whoever can mint that issuer's tokens for the subject can
// act as the identity, and nhi-census cannot tell what the subject names (issue 19). Medium; high when the trusting
// identity (or its siblings) holds a permission graded high or critical. Subject: the holding connector (or the one a
// credential's workloads act as; else the trusting credential itself). A trust admitting no token (enabled false): nothing.
import { defineRule, type RuleResult } from '../rule.ts';
import { ownersFor, subjectOf } from './util.ts';
import { holderLabel, holdingEvidence, issuerTrusted, repositoriesEvidence, trustHolders, trustPrivilege } from './trust-facts.ts';

export const federationUntrustedIssuer = defineRule({
  id: 'federation-untrusted-issuer', family: 'federation', severity: 'medium',
  owasp: ['NHI6:2025', 'NHI3:2025'], nist: ['PR.AA-03', 'GV.SC-07'],
  description: 'A federated credential or Workload Identity trust in a token issuer outside the configured trust.issuers (default: any issuer of a registered kind) — medium; high when the trusting identity is privileged.',
  remediation: 'Confirm who operates the issuer and what the subject names; remove the trust, or add the issuer to trust.issuers in the config once reviewed.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const { holder: c, trusts } of trustHolders(ctx)) {
      for (const t of trusts) {
        if (issuerTrusted(ctx, t)) continue;
        const privilege = trustPrivilege(ctx, c.id);
        const cred = t.credentialId ? ctx.node(t.credentialId) : undefined;
        out.push({
          subject: subjectOf(c), connectorId: c.kind === 'connector' ? c.id : null, detail: `${t.credentialId ?? ''}|${t.endpointId}`,
          severity: privilege.worst === 'high' || privilege.worst === 'critical' ? 'high' : 'medium',
          title: `${holderLabel(c)} trusts tokens from ${t.issuer ?? '(no issuer)'}${t.actsThrough ? ` through ${cred?.name ?? t.actsThrough.credentialId}` : ''}, an issuer not configured as trusted`,
          evidence: { issuer: t.issuer, issuer_kind: t.issuerKind, subject: t.subject, breadth: t.breadth, breadth_reason: t.breadthReason,
            via: t.via, credential: cred?.name ?? t.credentialId, configured_issuers: ctx.trustedIssuers ?? null, ...repositoriesEvidence(t),
            ...holdingEvidence(ctx, c, t), privileged_permissions: privilege.privileged, worst_permission_severity: privilege.worst },
          owners: ownersFor(ctx, c.id), entry: ctx.matchOf(c.id)?.entry ?? null, matchRule: ctx.matchOf(c.id)?.rule ?? null,
        });
      }
    }
    return out;
  },
});
