// Absence is evidence only after a complete look (docs/reconcile.md "Absence"): whether a provider's latest
// crawl listed everything, and which of its listings that could have produced a connector carrying some
// inventory match keys did not complete. Rules that infer absence (approved-not-found, resolving a finding)
// ask here; what cannot be decided is "not verifiable (coverage)", never a finding.
import { isCompleteLook } from '../crawl/status.ts';
import type { CrawlInfo } from '../graph/reconcile-snapshot.ts';

export interface CoverageGap { tenant: string; resourceType: string; status: string }

/** Every listing of the crawl (of one tenant, or of all) completed or was not applicable to the plan. */
export function crawlLookedEverywhere(crawl: CrawlInfo | undefined, tenant?: string | null): boolean {
  if (!crawl) return false;
  const tenants = tenant ? [tenant] : [...crawl.resources.keys()];
  return tenants.length > 0 && tenants.every((t) => {
    const r = crawl.resources.get(t);
    return !!r && [...r.values()].every(isCompleteLook);
  });
}

/**
 * The listings that could have produced a connector carrying one of `keys` (resource types whose ledger row
 * declares one of them, or declares nothing: runs before the declaration, read as "any key") and did not
 * complete. A crawl in which no listing produces any of the keys looked nowhere: that is one gap too.
 */
export function absenceGaps(crawl: CrawlInfo, keys: readonly string[]): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  let producers = 0;
  for (const [tenant, types] of [...crawl.resources].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [type, status] of [...types].sort(([a], [b]) => a.localeCompare(b))) {
      const provides = crawl.provides.get(type) ?? null;
      if (provides && !provides.some((k) => keys.includes(k))) continue;
      producers++;
      if (!isCompleteLook(status)) gaps.push({ tenant, resourceType: type, status });
    }
  }
  if (!producers) gaps.push({ tenant: '*', resourceType: `no ${crawl.provider} listing produces ${keys.join(' / ')}`, status: 'not listed' });
  return gaps;
}

/** "slack.users (unsupported); slack.integration_logs (unsupported)" — with the tenant when the crawl had several. */
export function gapText(crawl: CrawlInfo, gaps: readonly CoverageGap[]): string {
  const several = crawl.resources.size > 1;
  return gaps.map((g) => `${g.resourceType} (${g.status}${several && g.tenant !== '*' ? `, ${g.tenant}` : ''})`).join('; ');
}
