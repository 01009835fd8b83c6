// A connector the crawl found that matches no inventory entry: shown with its vendor and scopes so a
// reviewer can approve (add an entry) or remove it. High when any scope is graded high or critical; low
// when it is disabled. One finding per integration (a Slack app with its bot user and webhook, an Entra
// application with its service principal); the platform's own first-party apps are not integrations.
import { atLeast } from '../../catalogue/index.ts';
import { defineRule } from '../rule.ts';
import { ownersFor, scopeEvidence, subjectOf } from './util.ts';

export const unapprovedConnector = defineRule({
  id: 'unapproved-connector', family: 'inventory', severity: 'medium',
  owasp: ['NHI3:2025'], nist: ['ID.AM-02', 'ID.AM-04', 'GV.SC-04'],
  description: 'A connector present in a provider that no inventory entry approves (medium; high if it holds a high or critical scope).',
  remediation: 'Review it: add an inventory entry with owners and approved scopes, or uninstall / delete it.',
  evaluate(ctx) {
    return ctx.representatives().filter((c) => c.props.first_party !== true && ctx.siblings(c.id).every((s) => !ctx.matchOf(s.id))).map((c) => {
      const members = ctx.siblings(c.id);
      const scopes = [...new Set(members.flatMap((m) => ctx.connectorScopes(m.id)))].sort();
      const worst = ctx.worstGrade(c.provider, scopes);
      const vendor = ctx.snap.vendorOf.get(c.id) ?? (c.props.vendor as string | undefined) ?? null;
      return {
        subject: subjectOf(c), severity: members.every((m) => m.props.enabled === false) ? 'low' : worst && atLeast(worst, 'high') ? 'high' : 'medium',
        title: `Unapproved ${c.props.connector_type ?? c.type}: ${c.name}${vendor ? ` (vendor ${vendor})` : ''}${scopes.length ? ` with ${scopes.length} scope(s)` : ''}`,
        evidence: { type: c.type, connector_type: c.props.connector_type ?? null, app_id: c.props.app_id ?? null, vendor,
          scopes: scopeEvidence(ctx, c.provider, scopes), worst_scope_severity: worst,
          // where its data goes, for the reader: network hosts, then chat channels it posts into
          forwards_to: members.flatMap((m) => [...(ctx.snap.forwardsOf.get(m.id) ?? []).map((f) => f.host), ...(ctx.snap.channelsOf.get(m.id) ?? []).map((f) => f.channel)]), created_at: c.props.created_at ?? null,
          enabled: c.props.enabled ?? null, related: members.slice(1).map((m) => ({ id: m.id, type: m.type })) },
        owners: ownersFor(ctx, c.id),
      } as const;
    });
  },
});
