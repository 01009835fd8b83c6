// An inventory entry the latest crawl of a provider it names did not find. Raised only when that
// provider's latest usable crawl completed every listing (complete or unsupported): a partial or
// failed crawl never makes an approved connector look decommissioned.
import { entryProviders } from '../../inventory/match.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { endOfDay } from './util.ts';

export const approvedNotFound = defineRule({
  id: 'approved-not-found', family: 'inventory', severity: 'low',
  owasp: ['NHI1:2025'], nist: ['ID.AM-02', 'ID.AM-08'],
  description: 'An approved inventory entry no complete crawl of its provider found (stale inventory, or the connector moved). Never raised from a partial crawl.',
  remediation: 'Remove the entry from the inventory if the connector was decommissioned, or fix its match rule.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const e of ctx.inventory.entries) {
      if (e.temporary && e.end_date && endOfDay(e.end_date) <= ctx.now.getTime()) continue; // gone as planned
      const found = ctx.connectorsOf(e.id);
      const named = entryProviders(e);
      if (!named.length) {
        if (found.length || !ctx.providers.length || !ctx.providers.every((p) => ctx.crawlComplete(p))) continue;
        out.push({ subject: { id: `inventory:${e.id}`, name: e.name, provider: null, tenant: null }, connectorId: null, entry: e,
          title: `Approved ${e.name} not found by any provider's complete crawl`,
          evidence: { match: e.match, providers_checked: ctx.providers.map((p) => ({ provider: p, run: ctx.crawl(p)!.runId })) },
          dependsOn: ctx.providers });
        continue;
      }
      for (const p of named) {
        if (found.some((c) => c.provider === p) || !ctx.crawlComplete(p)) continue;
        const crawl = ctx.crawl(p)!;
        out.push({ subject: { id: `inventory:${e.id}:${p}`, name: e.name, provider: p, tenant: null }, connectorId: null, entry: e,
          title: `Approved ${e.name} not found in ${p} (run ${crawl.runId})`,
          evidence: { provider: p, match: (e.match as Record<string, unknown>)[p], run: crawl.runId, run_started_at: crawl.startedAt } });
      }
    }
    return out;
  },
});
