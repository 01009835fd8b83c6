// The organisation itself: the tenant node everything else links to. GET /orgs/{org}
// https://docs.github.com/rest/orgs/orgs#get-an-organization
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';

type Org = components['schemas']['organization-full'];

export const organization = defineResource<GithubClient, Org>({
  provider: P, type: 'github.organization', description: 'The organisation (tenant)',
  docs: 'https://docs.github.com/rest/orgs/orgs#get-an-organization',
  emits: { nodes: ['tenant'], edges: [] },
  async *list(ctx) {
    const res = await ctx.client.octokit.rest.orgs.get({ org: ctx.tenant.id });
    yield { items: [res.data] };
  },
  map(org) {
    const f = fieldsOf(org, 'organization', ['login', 'id']);
    const login = f.string('login');
    return {
      nodes: [{ id: ids.org(login), kind: 'tenant', type: 'github.organization', name: f.label('name') ?? login, props: {
        login, github_id: org.id, plan: org.plan?.name ?? null, two_factor_required: org.two_factor_requirement_enabled ?? null,
        members_can_create_repositories: org.members_can_create_repositories ?? null, created_at: org.created_at ?? null,
      } }],
      edges: [],
    };
  },
});
