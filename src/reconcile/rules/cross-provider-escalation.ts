// A third-party or unapproved connector that can act, through a trust another identity gives a workload (a TRUSTS
// edge: an Entra federated credential, a Workload Identity binding), as a cloud identity holding a privileged role —
// e.g. a GitHub App with write on a repository whose workflows an Entra application trusts, whose service principal
// is Owner of a subscription. Critical for an owner-tier role (can change who has access), high for a contributor-tier
// one; which roles are privileged is the risk catalogue's (src/catalogue/privileged-roles.ts, risk-catalogue.md
// §5.11). The paths are computed once per reconciliation (src/reconcile/escalation-paths.ts); the evidence is the path
// as data (nodes, steps, weakest link, the trust's breadth) for the report to draw. One finding per starting
// connector and privileged resource. The organisation's own apps (first-party) are not judged.
import type { EscalationPath } from '../../graph/escalation-queries.ts';
import { LEVEL_NAMES } from '../../reach/levels.ts';
import { hopText, weakestLink } from '../../reach/walk.ts';
import type { RuleContext } from '../context.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { connectorTypeWords } from '../title-facts.ts';
import { ownersFor, subjectOf } from './util.ts';

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Why a pinned trust is still a path: write access can change what runs where it is pinned. */
function pinnedNote(t: EscalationPath['trust']): string | null {
  if (t.breadth !== 'pinned') return null;
  if (t.environment) {
    return `The trust is pinned to the environment '${t.environment}' and is still a path: write access to the repository can change the `
      + 'workflow that deploys to that environment, unless the environment has protection rules (required reviewers, deployment branch '
      + 'policies) — which the crawl does not read.';
  }
  return `The trust is pinned to ${t.ref ? `'${t.ref}'` : 'one ref'} and is still a path: write access to the repository can push to it, `
    + 'unless branch protection or rulesets stop it — which the crawl does not read.';
}

function evidenceOf(ctx: RuleContext, p: EscalationPath, judged: string[], approvedBy: string | null): Record<string, unknown> {
  const nodes = [{ id: p.hops[0]!.from_id, name: p.hops[0]!.from_name, kind: p.hops[0]!.from_kind },
    ...p.hops.map((h) => ({ id: h.to_id, name: h.to_name, kind: h.to_kind }))];
  const w = weakestLink(p.hops);
  const trustHop = p.hops[p.trustIndex]!;
  return {
    starting_connector: { id: p.origin.id, name: p.origin.name, provider: p.origin.provider, vendor: p.publisher?.name ?? ctx.snap.vendorOf.get(p.origin.id) ?? null,
      third_party: p.publisher?.firstParty === false, approved_by: approvedBy },
    judged_because: judged,
    privilege: { role: p.privilege.role, tier: p.privilege.tier, severity: p.privilege.severity, reason: p.privilege.reason, source: p.privilege.source,
      holder: { id: p.privilege.holder.id, name: p.privilege.holder.name }, resource: { id: p.privilege.resource.id, name: p.privilege.resource.name, provider: p.privilege.resource.provider } },
    path: {
      nodes,
      hops: p.hops.map((h, i) => ({ from: i, to: i + 1, step: h.step, access: h.access, level: LEVEL_NAMES[h.level] ?? String(h.level),
        ...(h.props.via === 'same-app' ? { note: `a credential of ${String(h.props.application)} acts as its ${h.to_name ?? h.to_id} (same application)` } : {}) })),
      text: p.hops.map(hopText).join(' ; '),
    },
    weakest_link: w ? { hop: w.index + 1, step: w.hop.step, level: LEVEL_NAMES[w.hop.level] ?? String(w.hop.level), text: hopText(w.hop) } : null,
    trust: { hop: p.trustIndex + 1, endpoint: p.trust.endpointId, issuer: p.trust.issuer, subject: p.trust.subject, repository: p.trust.repository,
      environment: p.trust.environment, ref: p.trust.ref, breadth: p.trust.breadth, breadth_reason: p.trust.breadthReason,
      via: typeof trustHop.props.via === 'string' ? trustHop.props.via : null, trusting_identity: { id: trustHop.to_id, name: trustHop.to_name },
      ...(pinnedNote(p.trust) ? { note: pinnedNote(p.trust) } : {}) },
    other_paths: p.otherPaths,
  };
}

export const crossProviderEscalation = defineRule({
  id: 'cross-provider-escalation', family: 'privilege', severity: 'high',
  owasp: ['NHI3:2025', 'NHI5:2025', 'NHI6:2025'], nist: ['PR.AA-05', 'GV.SC-07'],
  description: 'A third-party or unapproved connector that can reach, through a trust (TRUSTS), a cloud identity holding a privileged role '
    + '(critical for owner-tier roles, high for contributor-tier).',
  remediation: 'Cut the path at its weakest link: remove the connector\'s write access to the trusted repository (or uninstall it), pin the '
    + 'trust to a protected environment or branch, and narrow the trusting identity\'s role (Contributor instead of Owner, a resource group '
    + 'or a single project instead of the whole subscription).',
  // Its findings depend on identities in other units (the units are joined: src/reconcile/units.ts); re-judged after
  // every new crawl, so a path that a change outside its units broke (a repository gone) is resolved (incremental.ts).
  quotesCrawlRuns: true,
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const p of ctx.snap.escalations ?? []) {
      const c = ctx.node(p.origin.id);
      if (!c || c.kind !== 'connector' || c.props.enabled === false) continue; // outside this reconciliation's region, or cannot act
      if (c.props.first_party === true || p.publisher?.firstParty === true) continue;
      const match = ctx.siblings(c.id).map((s) => ctx.matchOf(s.id)).find((m) => m) ?? ctx.matchOf(c.id);
      const judged = [...(p.publisher?.firstParty === false ? ['third-party'] : []), ...(match ? [] : ['unapproved'])];
      if (!judged.length) continue;
      const where = p.trust.repository ?? p.trust.subject ?? p.trust.endpointId;
      const trusting = p.hops[p.trustIndex]!.to_name ?? p.hops[p.trustIndex]!.to_id;
      out.push({
        subject: subjectOf(c), detail: p.privilege.resource.id, severity: p.privilege.severity, entry: match?.entry ?? null, matchRule: match?.rule ?? null,
        title: `${capitalised(judged.join(' '))} ${connectorTypeWords(c.provider, c.props.connector_type, c.type)} ${c.name} can reach `
          + `${p.privilege.role} on ${p.privilege.resource.name ?? p.privilege.resource.id} — through ${where}, trusted by ${trusting}`,
        evidence: evidenceOf(ctx, p, judged, match?.entry.id ?? null),
        owners: ownersFor(ctx, c.id),
        // every crawled provider the path crosses (a trust endpoint's provider is no crawl's)
        dependsOn: [...new Set([c.provider, ...p.hops.map((h) => h.provider).filter((x) => ctx.crawl(x))])].sort(),
      });
    }
    return out;
  },
});
