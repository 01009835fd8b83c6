// Scopes granted beyond what the connector's inventory entry approves for that provider, naming each
// excess scope with its catalogue grade. Severity = the worst excess scope's grade. Entries that list
// no scopes for the provider are not evaluated (approval recorded without scopes). The title lists the
// excess worst first (a role with the resource it is held on), a few then "+N more", and where they apply.
import { defineRule, type RuleResult } from '../rule.ts';
import type { RuleContext } from '../context.ts';
import { capList, count, grantText, isRole, permissionText, reachText, worstFirst } from '../title-facts.ts';
import { scopeEvidence, subjectOf } from './util.ts';

/** Where the excess granted scopes apply and who granted them (roles name their resource already). */
function reachFact(ctx: RuleContext, connectorId: string, excess: string[]): string {
  if (excess.every((s) => isRole(ctx, [connectorId], s))) return '';
  const reach = reachText(ctx, [connectorId]);
  const facts = [reach ? `on ${reach}` : null, grantText(ctx, [connectorId])].filter(Boolean);
  return facts.length ? ` (${facts.join('; ')})` : '';
}

export const scopeDrift = defineRule({
  id: 'scope-drift', family: 'scope-drift', severity: 'medium',
  owasp: ['NHI5:2025'], nist: ['PR.AA-05', 'ID.RA-07'],
  description: 'An approved connector holds scopes beyond its approved set (severity = grade of the worst excess scope).',
  remediation: 'Reduce the grant to the approved scopes, or re-approve the extra scopes in the inventory with a ticket.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.snap.connectors) {
      const m = ctx.matchOf(c.id);
      if (!m) continue;
      const approved = ctx.approvedScopes(m.entry, c.provider);
      if (!approved) continue;
      const granted = ctx.connectorScopes(c.id);
      const excess = granted.filter((s) => !ctx.isApproved(m.entry, c.provider, s)).sort();
      if (!excess.length) continue;
      out.push({ subject: subjectOf(c), entry: m.entry, matchRule: m.rule, severity: ctx.worstGrade(c.provider, excess)!,
        title: `${c.name} holds ${count(excess.length, 'permission')} beyond its approval: ${capList(worstFirst(ctx, c.provider, excess).map((s) => permissionText(ctx, c.provider, [c.id], s)))}${reachFact(ctx, c.id, excess)}`,
        evidence: { excess: scopeEvidence(ctx, c.provider, excess), approved: m.entry.scopes?.[c.provider] ?? [], granted: [...granted].sort() } });
    }
    return out;
  },
});
