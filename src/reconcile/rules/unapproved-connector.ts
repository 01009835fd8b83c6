// A connector the crawl found that matches no inventory entry: shown with its vendor and scopes so a
// reviewer can approve (add an entry) or remove it. High when any scope is graded high or critical; low
// when it is disabled. One finding per integration (a Slack app with its bot user and webhook, an Entra
// application with its service principal); the platform's own first-party apps are not integrations. The title
// names the worst permissions, reach, channels and granting users (src/reconcile/title-facts.ts).
import { atLeast } from '../../catalogue/index.ts';
import { defineRule } from '../rule.ts';
import type { SnapNode } from '../../graph/reconcile-snapshot.ts';
import type { RuleContext } from '../context.ts';
import { adminConsented, capList, channelNames, connectorTypeWords, grantingUsers, grantText, permissionText, reachText, worstFirst } from '../title-facts.ts';
import { ownersFor, scopeEvidence, subjectOf } from './util.ts';

/**
 * What a reviewer must know first, for the title: the worst permissions (a role with its resource), where they
 * apply ("all repositories"), the channels it posts to, other destinations, and how many users granted it.
 */
function decisive(ctx: RuleContext, c: SnapNode, ids: string[], scopes: string[]): string {
  const facts: string[] = [];
  if (scopes.length) facts.push(`holds ${capList(worstFirst(ctx, c.provider, scopes).map((s) => permissionText(ctx, c.provider, ids, s)))}`);
  const reach = reachText(ctx, ids, c.name);
  if (reach) facts.push(`on ${reach}`);
  const channels = channelNames(ctx, ids);
  if (channels.length) facts.push(`posts to ${capList(channels)}`);
  const forwards = ids.flatMap((id) => ctx.snap.forwardsOf.get(id) ?? []);
  const hosts = [...new Set(forwards.map((f) => f.host))].filter((h) => !c.name.includes(h)).sort();
  const events = [...new Set(forwards.flatMap((f) => (Array.isArray(f.props.events) ? f.props.events.map(String) : [])))].sort().map((e) => (e === '*' ? 'all' : e));
  if (hosts.length || events.length) facts.push(`sends ${events.length ? `${capList(events)} events` : 'data'}${hosts.length ? ` to ${capList(hosts)}` : ''}`);
  const grant = grantText(ctx, ids);
  if (grant) facts.push(grant);
  return facts.length ? ` — ${facts.join('; ')}` : '';
}

export const unapprovedConnector = defineRule({
  id: 'unapproved-connector', family: 'inventory', severity: 'medium',
  owasp: ['NHI3:2025'], nist: ['ID.AM-02', 'ID.AM-04', 'GV.SC-04'],
  description: 'A connector present in a provider that no inventory entry approves (medium; high if it holds a high or critical scope).',
  remediation: 'Review it: add an inventory entry with owners and approved scopes, or uninstall / delete it.',
  evaluate(ctx) {
    return ctx.representatives().filter((c) => c.props.first_party !== true && ctx.siblings(c.id).every((s) => !ctx.matchOf(s.id))).map((c) => {
      const members = ctx.siblings(c.id);
      const ids = members.map((m) => m.id);
      const scopes = [...new Set(members.flatMap((m) => ctx.connectorScopes(m.id)))].sort();
      const worst = ctx.worstGrade(c.provider, scopes);
      const vendor = ctx.snap.vendorOf.get(c.id) ?? (c.props.vendor as string | undefined) ?? null;
      return {
        subject: subjectOf(c), severity: members.every((m) => m.props.enabled === false) ? 'low' : worst && atLeast(worst, 'high') ? 'high' : 'medium',
        title: `Unapproved ${connectorTypeWords(c.provider, c.props.connector_type, c.type)}: ${c.name}${vendor ? ` (vendor ${vendor})` : ''}${decisive(ctx, c, ids, scopes)}`,
        evidence: { type: c.type, connector_type: c.props.connector_type ?? null, app_id: c.props.app_id ?? null, vendor,
          scopes: scopeEvidence(ctx, c.provider, scopes), worst_scope_severity: worst,
          // where its data goes, for the reader: network hosts, then chat channels it posts into
          forwards_to: members.flatMap((m) => [...(ctx.snap.forwardsOf.get(m.id) ?? []).map((f) => f.host), ...(ctx.snap.channelsOf.get(m.id) ?? []).map((f) => f.channel)]), created_at: c.props.created_at ?? null,
          enabled: c.props.enabled ?? null, related: members.slice(1).map((m) => ({ id: m.id, type: m.type })),
          reach: reachText(ctx, ids), granted_by: grantingUsers(ctx, ids), ...(adminConsented(ctx, ids) ? { admin_consent: true } : {}) },
        owners: ownersFor(ctx, c.id),
      } as const;
    });
  },
});
