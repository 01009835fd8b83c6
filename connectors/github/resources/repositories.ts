// Repositories of the organisation (resources that connectors and credentials reach). GET /orgs/{org}/repos
// https://docs.github.com/rest/repos/repos#list-organization-repositories
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { ids, inTenant, need, P } from '../map-helpers.ts';

type Repo = components['schemas']['minimal-repository'];

export const repositories = defineResource<GithubClient, Repo>({
  provider: P, type: 'github.repositories', description: 'Repositories',
  docs: 'https://docs.github.com/rest/repos/repos#list-organization-repositories',
  emits: { nodes: ['resource'], edges: ['IN_TENANT'] },
  list: (ctx) => githubPages<Repo>(ctx, ctx.client.octokit, 'GET /orgs/{org}/repos', { org: ctx.tenant.id, type: 'all', per_page: ctx.client.perPage }),
  map(r, ctx) {
    const id = ids.repo(need(r.id, 'id'));
    return {
      nodes: [{ id, kind: 'resource', type: 'github.repository', name: need(r.full_name, 'full_name'), props: {
        name: r.name, private: r.private ?? null, visibility: r.visibility ?? null, archived: r.archived ?? false,
        fork: r.fork ?? false, default_branch: r.default_branch ?? null, created_at: r.created_at ?? null, pushed_at: r.pushed_at ?? null,
      } }],
      edges: [inTenant(id, ctx.tenant.id)],
    };
  },
  ref: (r) => ({ nodeId: ids.repo(r.id), label: r.full_name, owner: r.owner?.login ?? r.full_name.split('/')[0], repo: r.name }),
});
