// An inventory entry the latest crawl of a provider it names did not find. Absence is evidence only after a
// complete look (docs/reconcile.md "Absence"): raised only when every listing of that provider's latest crawl
// that could have produced the entry's match keys (its provider ids, and its name pattern / webhook hosts)
// completed or was not applicable; otherwise the entry is "not verifiable (coverage)", naming those listings.
// An unsupported or partial listing never makes an approved connector look decommissioned. The title names the
// match keys that found nothing.
import { entryProviders } from '../../inventory/match.ts';
import type { InventoryEntry } from '../../inventory/schema.ts';
import type { RuleContext } from '../context.ts';
import { gapText } from '../coverage.ts';
import { runsLabel } from '../../graph/reconcile-snapshot.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { capList } from '../title-facts.ts';
import { endOfDay } from './util.ts';

/** Keys that match a connector of any provider. */
function anyProviderKeys(e: InventoryEntry): string[] {
  return [...(e.match.name_pattern ? ['name_pattern'] : []), ...(e.match.webhook_host?.length ? ['webhook_host'] : [])];
}

/** The match keys by which `e` could have matched a connector of `provider`. */
function keysIn(e: InventoryEntry, provider: string): string[] {
  const own = (e.match as Record<string, Record<string, unknown> | undefined>)[provider] ?? {};
  return [...Object.keys(own).filter((k) => own[k] !== undefined), ...anyProviderKeys(e)];
}

/** What the listings that could have found `e` in `provider` left out ('' when they all completed; null: not crawled). */
function coverageGap(ctx: RuleContext, e: InventoryEntry, provider: string): string | null {
  const gaps = ctx.absenceGaps(provider, keysIn(e, provider));
  if (!gaps) return null;
  return gapText(ctx.crawl(provider)!, gaps);
}

/** The runs the gaps of `e` in `provider` are in: those of the tenants whose listings did not complete (all, for a gap of no tenant). */
function gapRuns(ctx: RuleContext, e: InventoryEntry, provider: string): string {
  const crawl = ctx.crawl(provider)!;
  const tenants = new Set((ctx.absenceGaps(provider, keysIn(e, provider)) ?? []).map((g) => g.tenant));
  const runs = tenants.has('*') ? crawl.runIds : crawl.runIds.filter((r) => [...tenants].some((t) => crawl.tenantRuns.get(t) === r));
  return runsLabel(runs.length ? runs : crawl.runIds);
}

/** The match keys that found nothing, for the title: " (app slug circleci-checks)"; providers' blocks inside a whole match are skipped. */
function matchText(match: unknown): string {
  if (!match || typeof match !== 'object') return '';
  const parts = Object.entries(match as Record<string, unknown>).flatMap(([k, v]) => {
    const values = (Array.isArray(v) ? v : [v]).filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);
    return values.length ? [`${k.replace(/_/g, ' ')} ${capList(values)}`] : [];
  });
  return parts.length ? ` (${parts.join('; ')})` : '';
}

const notVerifiableText = (provider: string, runs: string, gap: string) =>
  `not verifiable (coverage): the ${provider} listings that could have found it did not complete in ${runs}: ${gap}`;

export const approvedNotFound = defineRule({
  id: 'approved-not-found', family: 'inventory', severity: 'low',
  owasp: ['NHI1:2025'], nist: ['ID.AM-02', 'ID.AM-08'],
  description: 'An approved inventory entry the crawl of its provider did not find although every listing that could have found it completed (stale inventory, or the connector moved). Otherwise the entry is not verifiable (coverage).',
  remediation: 'Remove the entry from the inventory if the connector was decommissioned, or fix its match rule.',
  quotesCrawlRuns: true,
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const e of ctx.inventory.entries) {
      if (e.temporary && e.end_date && ctx.clock(`inventory:${e.id}`).reached(endOfDay(e.end_date))) continue; // gone as planned
      const found = ctx.connectorsOf(e.id);
      const named = entryProviders(e);
      if (!named.length) {
        if (found.length || !ctx.providers.length) continue;
        const subject = { id: `inventory:${e.id}`, name: e.name, provider: null, tenant: null };
        const gaps = ctx.providers.map((p) => [p, coverageGap(ctx, e, p)] as const).filter(([, g]) => g);
        if (gaps.length) {
          out.push({ subject, connectorId: null, entry: e, title: `Approved ${e.name}: not verifiable (coverage)`, evidence: {},
            notVerifiable: gaps.map(([p, g]) => notVerifiableText(p, gapRuns(ctx, e, p), g!)).join(' | ') });
          continue;
        }
        out.push({ subject, connectorId: null, entry: e,
          title: `Approved ${e.name}${matchText(e.match)} not found by any provider's complete crawl`,
          evidence: { match: e.match, providers_checked: ctx.providers.map((p) => ({ provider: p, run: ctx.crawl(p)!.runId })) },
          dependsOn: ctx.providers });
        continue;
      }
      for (const p of named) {
        if (found.some((c) => c.provider === p)) continue;
        const gap = coverageGap(ctx, e, p);
        if (gap === null) continue; // not crawled: the report calls the provider out
        const crawl = ctx.crawl(p)!;
        const subject = { id: `inventory:${e.id}:${p}`, name: e.name, provider: p, tenant: null };
        if (gap) {
          out.push({ subject, connectorId: null, entry: e, title: `Approved ${e.name}: not verifiable in ${p} (coverage)`, evidence: {},
            notVerifiable: notVerifiableText(p, gapRuns(ctx, e, p), gap) });
          continue;
        }
        out.push({ subject, connectorId: null, entry: e,
          title: `Approved ${e.name}${matchText((e.match as Record<string, unknown>)[p])} not found in ${p} (complete crawl, ${runsLabel(crawl.runIds)})`,
          evidence: { provider: p, match: (e.match as Record<string, unknown>)[p], run: crawl.runId, run_started_at: crawl.startedAt } });
      }
    }
    return out;
  },
  // resolved when the entry is gone from the inventory, its connector is found again, or a complete look no longer raised it
  resolvable(ctx, f) {
    const e = ctx.inventory.entries.find((x) => x.id === f.inventory_id);
    if (!e) return true;
    const providers = f.provider ? [f.provider] : ctx.providers;
    if (!providers.length) return false;
    if (f.provider && ctx.connectorsOf(e.id).some((c) => c.provider === f.provider)) return true;
    if (!f.provider && ctx.connectorsOf(e.id).length) return true;
    return providers.every((p) => coverageGap(ctx, e, p) === '');
  },
});
