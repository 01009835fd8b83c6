// Repositories of the organisation (resources that connectors and credentials reach). GET /orgs/{org}/repos
// https://docs.github.com/rest/repos/repos#list-organization-repositories
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';
import { repositoryWorkloadKeys } from '../trust-issuers.ts';

type Repo = components['schemas']['minimal-repository'];

export const repositories = defineResource<GithubClient, Repo>({
  provider: P, type: 'github.repositories', description: 'Repositories',
  docs: 'https://docs.github.com/rest/repos/repos#list-organization-repositories',
  permission: { grant: { [APP]: 'Repository › Metadata (read)', [CLASSIC]: 'repo (private repositories)' } },
  emits: { nodes: ['resource'], edges: ['IN_TENANT'] },
  list: (ctx) => githubPages<Repo>(ctx, ctx.client.octokit, 'GET /orgs/{org}/repos', { org: ctx.tenant.id, type: 'all', per_page: ctx.client.perPage }),
  map(r, ctx) {
    const f = fields(r);
    const id = ids.repo(f.key('id'));
    return {
      nodes: [{ id, kind: 'resource', type: 'github.repository', name: f.string('full_name'), props: {
        name: f.string('name'), private: r.private ?? null, visibility: r.visibility ?? null, archived: r.archived ?? false,
        fork: r.fork ?? false, default_branch: r.default_branch ?? null, created_at: r.created_at ?? null, pushed_at: r.pushed_at ?? null,
        // What a federated trust in a GitHub Actions token names (src/trust/registry.ts; the `trusts` view resolves by these).
        workload_keys: repositoryWorkloadKeys(f.string('full_name'), f.key('id'), f.optionalKey('owner.id')),
      } }],
      edges: [inTenant(id, ctx.tenant.id)],
    };
  },
  ref: (r) => {
    const f = fields(r);
    const fullName = f.string('full_name');
    return { nodeId: ids.repo(f.key('id')), label: fullName, owner: f.optionalString('owner.login') ?? fullName.split('/')[0], repo: f.string('name') };
  },
});

/** A repository's fields as the mapper reads them (`repositories[].<field>`; named by id, or full name). */
const fields = (r: Repo) => fieldsOf(r, 'repositories[]', ['id', 'full_name']);
