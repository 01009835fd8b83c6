// Pending requests for fine-grained PATs to access the organisation. GET /orgs/{org}/personal-access-token-requests
// https://docs.github.com/rest/orgs/personal-access-tokens#list-requests-to-access-organization-resources-with-fine-grained-personal-access-tokens
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { P } from '../map-helpers.ts';
import { APP } from '../permission-hints.ts';
import { mapPat } from '../pat-map.ts';
import { appOnly, requireAppAuth } from '../app-only.ts';

type Request = components['schemas']['organization-programmatic-access-grant-request'];

export const patRequests = defineResource<GithubClient, Request>({
  provider: P, type: 'github.pat_requests', description: 'Pending fine-grained PAT requests',
  docs: 'https://docs.github.com/rest/orgs/personal-access-tokens',
  permission: { grant: { [APP]: 'Organization › Personal access token requests (read)' } },
  emits: { nodes: ['credential', 'principal', 'scope'], edges: ['IN_TENANT', 'HAS_CREDENTIAL', 'HAS_SCOPE', 'CAN_ACCESS'] },
  async *list(ctx) {
    requireAppAuth(ctx.client, 'fine-grained PAT requests');
    yield* githubPages<Request>(ctx, ctx.client.octokit, 'GET /orgs/{org}/personal-access-token-requests', { org: ctx.tenant.id, per_page: ctx.client.perPage });
  },
  map: (r, ctx) => mapPat(r, ctx.tenant.id, 'requested'),
  unsupported: appOnly,
});
