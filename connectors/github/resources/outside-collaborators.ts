// Outside collaborators: people with repository access who are not org members. GET /orgs/{org}/outside_collaborators
// https://docs.github.com/rest/orgs/outside-collaborators#list-outside-collaborators-for-an-organization
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';

type User = components['schemas']['simple-user'];

export const outsideCollaborators = defineResource<GithubClient, User>({
  provider: P, type: 'github.outside_collaborators', description: 'Outside collaborators',
  docs: 'https://docs.github.com/rest/orgs/outside-collaborators',
  permission: { grant: { [APP]: 'Organization › Members (read)', [CLASSIC]: 'read:org' } },
  emits: { nodes: ['principal'], edges: ['IN_TENANT'] },
  list: (ctx) => githubPages<User>(ctx, ctx.client.octokit, 'GET /orgs/{org}/outside_collaborators', { org: ctx.tenant.id, per_page: ctx.client.perPage }),
  map(u, ctx) {
    const f = fieldsOf(u, 'outside_collaborators[]', ['id', 'login']);
    const login = f.string('login');
    return {
      nodes: [{ id: ids.user(login), kind: 'principal', type: 'github.user', name: login, props: {
        login, github_id: f.optionalNumber('id'), email: f.optionalString('email'), status: 'active', is_admin: false, role: 'outside_collaborator',
        member: false, account_type: u.type ?? null,
      } }],
      edges: [inTenant(ids.user(login), ctx.tenant.id)],
    };
  },
});
