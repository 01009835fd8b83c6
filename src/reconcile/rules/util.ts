// Small helpers the rules share: subjects, owners to route a finding to, dates, holders.
import type { SnapNode } from '../../graph/reconcile-snapshot.ts';
import { attribute, recipientEmails } from '../attribution.ts';
import type { RuleContext } from '../context.ts';
import type { Subject } from '../rule.ts';
import { parseTime } from '../clock.ts';

export const subjectOf = (n: SnapNode): Subject => ({ id: n.id, name: n.name, provider: n.provider, tenant: n.tenant });

/**
 * Who a finding on this node is routed to: the active recipients of its attribution (src/reconcile/attribution.ts;
 * the engine attributes every finding the same way, so this is informational for a rule).
 */
export function ownersFor(ctx: RuleContext, nodeId: string): string[] {
  const holder = ctx.node(nodeId)?.kind === 'credential' ? connectorHolder(ctx, nodeId)?.id ?? null : nodeId;
  return recipientEmails(attribute(ctx, { subjectId: nodeId, connectorId: holder }));
}

/** The connector holding a credential (first one), if any. */
export function connectorHolder(ctx: RuleContext, credentialId: string): SnapNode | undefined {
  for (const h of ctx.snap.holdersOf.get(credentialId) ?? []) { const n = ctx.node(h); if (n?.kind === 'connector') return n; }
  return undefined;
}

/** A date-only value (YYYY-MM-DD) lasts until the end of that day (UTC). */
export function endOfDay(d: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? Date.parse(d) + 86_400_000 : Date.parse(d);
}

export const isEnabled = (n: SnapNode) => n.props.enabled !== false;

export function isExpired(ctx: RuleContext, n: SnapNode): boolean {
  if (n.props.expired === true) return true;
  const t = parseTime(n.props.expires_at);
  return t !== null && ctx.clock(n.id).reached(t);
}

export function scopeEvidence(ctx: RuleContext, provider: string, scopes: string[]) {
  return scopes.map((s) => { const g = ctx.grade(provider, s); return { scope: s, severity: g.severity, reason: g.reason }; });
}
