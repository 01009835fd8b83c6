// The providers of one Workload Identity pool, read once per crawl (providers.list, every page), and whether the pool
// itself is disabled (workloadIdentityPools.get, once per crawl: a disabled pool exchanges no token and its tokens
// grant nothing — every trust through it is marked not enabled): the providers
// listing (resources/workload-identity-providers.ts) and the IAM-policy listings that meet a principal of the pool
// (project-iam-policies.ts, service-account-iam-policies.ts) share the one request, in whatever order the engine
// runs them. A failed read is not kept (crawl-memo.ts): the next listing that needs it asks again.
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers/list
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools/get
import type { iam_v1 } from '@googleapis/iam';
import type { ListContext } from '../../src/crawl/resource.ts';
import { errorMessage, MalformedResponse } from '../../src/crawl/errors.ts';
import { statusOf, type GoogleClient } from './client.ts';
import { oncePerCrawl } from './crawl-memo.ts';
import { googlePages } from './paginate.ts';
import { providerProblem } from './wif-trust.ts';

export type WifProvider = iam_v1.Schema$WorkloadIdentityPoolProvider;

/** All providers of `pool` (`projects/N/locations/global/workloadIdentityPools/POOL`), deleted ones left out (showDeleted false). */
export const poolProviders = oncePerCrawl(async (client: GoogleClient, pool: string): Promise<WifProvider[]> => {
  const all: WifProvider[] = [];
  for await (const page of googlePages(client, 'iam.projects.locations.workloadIdentityPools.providers.list', (pageToken) =>
    client.iam.projects.locations.workloadIdentityPools.providers.list({
      parent: pool, pageSize: client.cfg.pageSize.workloadIdentityPoolProviders, pageToken, showDeleted: false,
    }), (d) => d.workloadIdentityPoolProviders)) {
    if (page.restart) all.length = 0;
    all.push(...page.items);
  }
  return all;
});

/** The pool itself (state, disabled), read once per crawl. */
export const poolItself = oncePerCrawl(async (client: GoogleClient, pool: string): Promise<iam_v1.Schema$WorkloadIdentityPool> => {
  const res = await client.iam.projects.locations.workloadIdentityPools.get({ name: pool });
  if (!res.data || typeof res.data !== 'object') throw new MalformedResponse('workloadIdentityPools.get', 'expected a pool object');
  const d = res.data.disabled;
  if (!(d === undefined || d === null || typeof d === 'boolean')) throw new MalformedResponse('workloadIdentityPools.get', 'disabled: expected a boolean');
  return res.data;
});

/**
 * What an IAM-policy listing knows of a pool's providers: the list and whether the pool is disabled (null: its state
 * could not be read — the trusts stay enabled, as the providers say), or why it has no providers.
 */
export type PoolProvidersLookup = { ok: true; providers: WifProvider[]; poolDisabled?: boolean | null } | { ok: false; reason: string };

/**
 * The providers of each pool named, for an IAM-policy listing: a pool whose providers cannot be read (refused, gone)
 * is noted in the ledger and its principals' trusts are kept with the issuer unknown — never dropped silently.
 */
export async function lookupPools(ctx: ListContext<GoogleClient>, pools: Iterable<string>): Promise<Record<string, PoolProvidersLookup>> {
  const out: Record<string, PoolProvidersLookup> = {};
  for (const pool of [...new Set(pools)].sort()) {
    try {
      const providers = await poolProviders(ctx.client, pool);
      const bad = providers.map(providerProblem).find((x) => x !== null);
      if (bad) throw new MalformedResponse('workloadIdentityPools.providers.list', `a provider is malformed (${bad})`);
      out[pool] = { ok: true, providers, poolDisabled: await poolDisabled(ctx, pool) };
    } catch (err) {
      const status = statusOf(err);
      const reason = status === 404 ? 'the pool was not found (deleted, or in a project the crawl cannot see)'
        : status === 403 ? `its providers could not be read (${errorMessage(err).slice(0, 120)}); grant roles/iam.workloadIdentityPoolViewer`
          : `its providers could not be read (${errorMessage(err).slice(0, 160)})`;
      ctx.note(`Workload Identity pool ${pool.slice(0, 200)}: ${reason}: its principals' trusts are kept with the issuer unknown`);
      out[pool] = { ok: false, reason };
    }
  }
  return out;
}

/** Whether the pool is disabled; null (noted in the ledger) when it cannot be read. */
async function poolDisabled(ctx: ListContext<GoogleClient>, pool: string): Promise<boolean | null> {
  try {
    return (await poolItself(ctx.client, pool)).disabled === true;
  } catch (err) {
    const status = statusOf(err);
    ctx.note(`Workload Identity pool ${pool.slice(0, 200)}: whether it is disabled could not be read (${status === 403
      ? 'grant roles/iam.workloadIdentityPoolViewer' : errorMessage(err).slice(0, 120)}): its trusts are kept as its providers say`);
    return null;
  }
}
