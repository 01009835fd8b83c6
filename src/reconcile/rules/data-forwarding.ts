// A connector forwarding data (FORWARDS_TO) to a host neither its inventory entry (forwarding,
// webhook_host) nor the inventory defaults (allowed_destinations) allow. High when the events include
// code pushes, membership or secret alerts, or everything. Only network hosts are judged (snapshot forwardsOf):
// a chat channel a webhook posts into (endpoint_type 'channel', snapshot channelsOf) is inside the tenant, not a
// destination on the network, and no inventory host can allow or deny it. The title names the events sent
// (the sensitive ones first) and the host.
import { hostAllowed } from '../../inventory/match.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { capList } from '../title-facts.ts';
import { ownersFor, subjectOf } from './util.ts';

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;
const SENSITIVE = new Set(['*', 'push', 'member', 'membership', 'organization', 'secret_scanning_alert', 'repository_vulnerability_alert']);

export const dataForwarding = defineRule({
  id: 'data-forwarding', family: 'data-forwarding', severity: 'medium',
  owasp: ['NHI3:2025'], nist: ['PR.DS-02', 'GV.SC-07', 'DE.CM-06'],
  description: 'A connector sends data to a destination not allowed by its inventory entry or the inventory defaults (medium; high for code, membership or secret events).',
  remediation: 'Remove the destination, or allow it in the inventory entry (forwarding:) after review.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.snap.connectors) {
      const fwd = ctx.snap.forwardsOf.get(c.id);
      if (!fwd?.length) continue;
      const m = ctx.matchOf(c.id);
      const allowed = [...ctx.inventory.defaults.allowed_destinations, ...(m?.entry.forwarding ?? []), ...(m?.entry.match.webhook_host ?? [])];
      for (const f of fwd) {
        if (!HOST.test(f.host) || hostAllowed(f.host, allowed)) continue;
        const events = (Array.isArray(f.props.events) ? f.props.events : Array.isArray(c.props.events) ? c.props.events : []) as string[];
        const hot = events.filter((e) => SENSITIVE.has(e));
        out.push({ subject: subjectOf(c), detail: f.host, severity: hot.length ? 'high' : 'medium', entry: m?.entry ?? null, matchRule: m?.rule ?? null,
          title: `${c.name} sends ${events.length ? `${capList([...hot, ...events.filter((e) => !SENSITIVE.has(e)).sort()].map((e) => (e === '*' ? 'all' : e)))} events` : 'data'} to ${f.host}, which is not an allowed destination`,
          evidence: { host: f.host, events, sensitive_events: hot, allowed, inventory_entry: m?.entry.id ?? null },
          owners: ownersFor(ctx, c.id) });
      }
    }
    return out;
  },
});
