// The organisation's deploy keys as GraphQL sees them, 50 repositories per query (organization.repositories ×
// repository.deployKeys), drawn on GraphQL's own point budget (one point a query: 51 connections ÷ 100, rounded up).
// It is a change signal, not a source: GraphQL's DeployKey has no numeric id (the REST id the graph's node ids use),
// no last_used and no added_by (https://docs.github.com/graphql/reference/objects#deploykey: createdAt, enabled, id,
// key, readOnly, title, verified), so the nodes are always mapped from the REST listing; this index says per repository
// whether that listing can be skipped (resources/deploy-keys.ts). A repository the index cannot vouch for — a GraphQL
// error on its path, more than 100 keys, not in the list, the query failing as a whole — is listed through REST.
import crypto from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import type { PageGuard } from '../../src/crawl/page-guard.ts';

/** Repositories per query: with deployKeys(first: 100) each, 5,050 nodes (limit 500,000), one point. */
export const DEPLOY_KEY_BATCH = 50;

export type KeySignal = { ok: true; digest: string; count: number } | { ok: false; reason: string };

interface GqlKey { id: string; key: string; title: string; readOnly: boolean; verified: boolean; enabled: boolean; createdAt: string }
interface GqlRepo { name: string; deployKeys: { totalCount: number; pageInfo: { hasNextPage: boolean }; nodes: GqlKey[] } | null }
interface GqlAnswer {
  data?: { rateLimit?: { cost: number; remaining: number; resetAt: string } | null;
    organization: { repositories: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<GqlRepo | null> } } | null } | null;
  errors?: Array<{ message?: string; type?: string; path?: Array<string | number> }>;
}

const QUERY = `query($org: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  organization(login: $org) {
    repositories(first: ${DEPLOY_KEY_BATCH}, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { name deployKeys(first: 100) { totalCount pageInfo { hasNextPage } nodes { id key title readOnly verified enabled createdAt } } }
    }
  }
}`;

/** What GraphQL shows of a repository's keys, order-free: equal digests ⇒ no key added, removed or changed. */
export function keysDigest(keys: GqlKey[]): string {
  const rows = keys.map((k) => JSON.stringify([k.id, k.key, k.title, k.readOnly, k.verified, k.enabled, k.createdAt])).sort();
  return crypto.createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 32);
}

export class DeployKeyIndex {
  /** Read once each (then dropped): memory stays at what listings have not asked for yet. */
  private readonly seen = new Map<string, KeySignal>();
  private done = false;
  private failure: string | undefined;
  private after: string | null = null;
  /** The page being fetched: sent by a waiting listing (its call is counted in that listing's ledger row). */
  private inflight: Promise<void> | undefined;
  /** GraphQL queries sent and points they cost (rateLimit.cost), for the ledger and tests. */
  readonly stats = { queries: 0, points: 0 };

  /** `guard`: the project's paging guard (a repeating cursor or too many pages ends the index: REST for the rest). */
  constructor(private readonly octokit: Octokit, private readonly org: string, private readonly guard: PageGuard) {}

  /** The signal for one repository: pages the index on until it has passed it (or ended). */
  async lookup(repo: string): Promise<KeySignal> {
    const name = repo.toLowerCase();
    for (;;) {
      const hit = this.seen.get(name);
      if (hit) { this.seen.delete(name); return hit; }
      if (this.done) return { ok: false, reason: this.failure ?? 'repository not in the GraphQL repository list' };
      await (this.inflight ??= this.nextPage().finally(() => { this.inflight = undefined; }));
    }
  }

  private async nextPage(): Promise<void> {
    try {
      const after = this.after;
      this.guard.beforePage();
      const res = await this.octokit.request('POST /graphql', { query: QUERY, variables: { org: this.org, after } });
      const answer = res.data as GqlAnswer;
      this.stats.queries++;
      this.stats.points += answer.data?.rateLimit?.cost ?? 1;
      const repos = answer.data?.organization?.repositories;
      if (!repos || !Array.isArray(repos.nodes)) {
        throw new Error(answer.errors?.map((e) => e.message).join('; ') || 'no organization.repositories in the answer');
      }
      // errors on one repository's path (organization.repositories.nodes.<i>...) leave only that repository unknown
      const failedAt = new Map<number, string>();
      for (const e of answer.errors ?? []) {
        const i = e.path?.[3];
        if (e.path?.[0] === 'organization' && e.path[2] === 'nodes' && typeof i === 'number') failedAt.set(i, `GraphQL: ${e.type ?? 'ERROR'} ${e.message ?? ''}`.trim());
        else throw new Error(`GraphQL: ${e.type ?? 'ERROR'} ${e.message ?? ''}`.trim());
      }
      repos.nodes.forEach((r, i) => {
        if (!r?.name) return;
        const keys = r.deployKeys;
        const signal: KeySignal = failedAt.has(i) || !keys ? { ok: false, reason: failedAt.get(i) ?? 'GraphQL answered no deployKeys' }
          : keys.pageInfo.hasNextPage ? { ok: false, reason: `more than ${keys.nodes.length} deploy keys` }
          : { ok: true, digest: keysDigest(keys.nodes), count: keys.totalCount };
        this.seen.set(r.name.toLowerCase(), signal);
      });
      this.after = repos.pageInfo.hasNextPage && repos.pageInfo.endCursor ? this.guard.cursor(repos.pageInfo.endCursor) : null;
      if (!this.after) this.done = true;
    } catch (err) {
      this.failure = `GraphQL deploy-key index failed (${(err as Error).message?.slice(0, 160)})`;
      this.done = true;
    }
  }
}
