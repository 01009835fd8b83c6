// A connector's category as rules see it (docs/reconcile.md "Connector categories"): the inventory entry matching it
// (or one of its siblings: a Slack app and its bot, an Entra application and its service principal) names it with
// `category:`, else the provider's category catalogue knows one of the integration's nodes, else none. Computed once per
// reconciliation and connector.
import { catalogueCategory, classifyConnector, type Classification } from '../categories/index.ts';
import type { SnapNode } from '../graph/reconcile-snapshot.ts';
import type { RuleContext } from './context.ts';

export function connectorCategory(ctx: RuleContext, c: SnapNode): Classification | null {
  return ctx.memo('connector-category', c.id, () => {
    const members = ctx.siblings(c.id).length ? ctx.siblings(c.id) : [c];
    const m = ctx.matchOf(c.id) ?? members.map((s) => ctx.matchOf(s.id)).find((x) => x) ?? null;
    const asInput = (n: SnapNode) => ({ provider: n.provider, name: n.name, props: n.props, vendor: ctx.snap.vendorOf.get(n.id) ?? null });
    const found = classifyConnector(asInput(c), m?.entry) ?? members.map((s) => catalogueCategory(asInput(s))).find((x) => x) ?? null;
    return found ? Object.freeze(found) : null;
  });
}
