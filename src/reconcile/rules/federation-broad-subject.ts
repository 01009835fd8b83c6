// A federated trust that admits more workloads than one pinned branch, tag or environment (issue 19): any ref of a
// repository, its pull requests, a whole organisation, or a subject nhi-census cannot read — for an issuer it knows
// (an unknown issuer is federation-untrusted-issuer's). Whoever can run a workflow there can act as the identity.
// Severity by breadth (medium; high for pull requests and organisation-wide), one step up when the trusting identity
// (or its siblings) holds a permission graded critical, at least high when graded high. Subject: the holding connector
// (or the connector a credential's workloads act as, e.g. through a pool); a trusting credential acting as no crawled
// connector is the subject itself. A trust that admits no token now (enabled false) raises nothing.
import { worse, type Severity } from '../../catalogue/index.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { ownersFor, subjectOf } from './util.ts';
import { holderLabel, holdingEvidence, repositoriesEvidence, trustHolders, trustPrivilege } from './trust-facts.ts';

const BREADTH_SEVERITY: Record<string, Severity> = { 'any-ref': 'medium', 'pull-request': 'high', organisation: 'high', unrecognised: 'medium' };
const UP: Record<Severity, Severity> = { info: 'low', low: 'medium', medium: 'high', high: 'critical', critical: 'critical' };

export const federationBroadSubject = defineRule({
  id: 'federation-broad-subject', family: 'federation', severity: 'medium',
  owasp: ['NHI6:2025', 'NHI5:2025'], nist: ['PR.AA-05', 'PR.AA-03'],
  description: 'A federated credential or Workload Identity trust that accepts any branch, any pull request, a whole organisation or an unreadable subject of a known issuer (medium; high for pull requests and organisations; raised by the privilege of the trusting identity).',
  remediation: 'Restrict the trust to one protected branch or, better, a deployment environment with required reviewers (subject repo:<org>/<repo>:environment:<name>).',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const { holder: c, trusts } of trustHolders(ctx)) {
      let privilege: ReturnType<typeof trustPrivilege> | undefined;
      for (const t of trusts) {
        const base = BREADTH_SEVERITY[t.breadth];
        if (!base || t.issuerKind === 'unknown') continue;
        privilege ??= trustPrivilege(ctx, c.id);
        const severity = privilege.worst === 'critical' ? UP[base] : privilege.worst === 'high' ? worse(base, 'high') : base;
        const cred = t.credentialId ? ctx.node(t.credentialId) : undefined;
        const connectorId = c.kind === 'connector' ? c.id : null;
        out.push({
          subject: subjectOf(c), connectorId, detail: `${t.credentialId ?? ''}|${t.endpointId}`, severity,
          title: `${holderLabel(c)} trusts ${t.subject ?? '(no subject)'} (${t.breadth})${t.actsThrough ? ` through ${cred?.name ?? t.actsThrough.credentialId}` : ''}${privilege.privileged.length ? `, holding ${privilege.privileged[0]!.scope}` : ''}`,
          evidence: { issuer: t.issuer, issuer_kind: t.issuerKind, subject: t.subject, breadth: t.breadth, breadth_reason: t.breadthReason,
            workload_key: t.workloadKey, via: t.via, credential: cred?.name ?? t.credentialId, ...repositoriesEvidence(t), ...holdingEvidence(ctx, c, t),
            privileged_permissions: privilege.privileged, worst_permission_severity: privilege.worst },
          owners: ownersFor(ctx, c.id), entry: ctx.matchOf(c.id)?.entry ?? null, matchRule: ctx.matchOf(c.id)?.rule ?? null,
        });
      }
    }
    return out;
  },
});
