// Repositories a fine-grained PAT grant with repository_selection=subset can reach (CAN_ACCESS).
// GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories
// https://docs.github.com/rest/orgs/personal-access-tokens#list-repositories-a-fine-grained-personal-access-token-has-access-to
import type { components } from '@octokit/openapi-types';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';
import { APP } from '../permission-hints.ts';
import { patGrants } from './pat-grants.ts';

type Repo = components['schemas']['minimal-repository'];
type GrantRef = ParentRef & { patId: number; selection: string };

export const patGrantRepositories = defineResource<GithubClient, Repo, GrantRef>({
  provider: P, type: 'github.pat_grant_repositories', description: 'Repositories of each fine-grained PAT grant',
  parent: patGrants,
  permission: { grant: { [APP]: 'Organization › Personal access tokens (read)' } },
  emits: { nodes: [], edges: ['CAN_ACCESS'] },
  async *list(ctx) {
    if (ctx.parent.selection !== 'subset') return;
    yield* githubPages<Repo>(ctx, ctx.client.octokit, 'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories',
      { org: ctx.tenant.id, pat_id: ctx.parent.patId, per_page: ctx.client.perPage });
  },
  map: (repo, ctx) => ({ nodes: [], edges: [{ type: 'CAN_ACCESS', from: ctx.parent.nodeId, to: ids.repo(fieldsOf(repo, 'repositories[]', ['id', 'full_name']).key('id')), props: { repository: repo.full_name ?? null } }] }),
});
