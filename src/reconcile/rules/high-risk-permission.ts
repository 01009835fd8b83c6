// A connector holding a permission the catalogue grades high or critical that its inventory entry does
// not explicitly approve (an approved scope is a recorded, ticketed risk acceptance). One finding per
// connector and scope; severity = the scope's grade. The title names the scope with where it applies (a role with
// its resource, "all repositories") and how it was granted (admin consent, or how many users).
import { atLeast } from '../../catalogue/index.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import type { RuleContext } from '../context.ts';
import { grantText, isRole, permissionText, reachText } from '../title-facts.ts';
import { ownersFor, subjectOf } from './util.ts';

/** Where a granted scope applies and who granted it: " on all repositories", " (granted by 4 users)"; roles name their resource already. */
function scopeFacts(ctx: RuleContext, connectorId: string, scope: string): string {
  if (isRole(ctx, [connectorId], scope)) return '';
  const reach = reachText(ctx, [connectorId]);
  const grant = grantText(ctx, [connectorId], scope);
  return `${reach ? ` on ${reach}` : ''}${grant ? ` (${grant})` : ''}`;
}

export const highRiskPermission = defineRule({
  id: 'high-risk-permission', family: 'privilege', severity: 'high',
  owasp: ['NHI5:2025'], nist: ['PR.AA-05'],
  description: 'A connector holds a permission graded high or critical by the risk catalogue that no inventory entry approved for it (severity = the grade).',
  remediation: 'Replace the permission with a narrower one, or record the accepted risk by approving the scope in the inventory.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.snap.connectors) {
      const m = ctx.matchOf(c.id);
      for (const s of ctx.connectorScopes(c.id)) {
        const g = ctx.grade(c.provider, s);
        if (!atLeast(g.severity, 'high') || ctx.isApproved(m?.entry, c.provider, s)) continue;
        out.push({ subject: subjectOf(c), detail: s, severity: g.severity, entry: m?.entry ?? null, matchRule: m?.rule ?? null,
          title: `${c.name} holds ${g.severity} permission ${permissionText(ctx, c.provider, [c.id], s)}${scopeFacts(ctx, c.id, s)}`,
          evidence: { scope: s, severity: g.severity, reason: g.reason, source: g.source, approved: false, inventory_entry: m?.entry.id ?? null },
          owners: ownersFor(ctx, c.id) });
      }
    }
    return out;
  },
});
