// Fine-grained personal access tokens granted access to the organisation. GET /orgs/{org}/personal-access-tokens
// GitHub answers only to a GitHub App installation token: with any other token this is unsupported.
// https://docs.github.com/rest/orgs/personal-access-tokens#list-fine-grained-personal-access-tokens-with-access-to-organization-resources
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { nodeId } from '../../../src/graph/model.ts';
import { P } from '../map-helpers.ts';
import { APP } from '../permission-hints.ts';
import { mapPat, patFields } from '../pat-map.ts';
import { appOnly, requireAppAuth } from '../app-only.ts';

type Grant = components['schemas']['organization-programmatic-access-grant'];

export const patGrants = defineResource<GithubClient, Grant>({
  provider: P, type: 'github.pat_grants', description: 'Fine-grained PATs with access to the organisation',
  docs: 'https://docs.github.com/rest/orgs/personal-access-tokens',
  permission: { grant: { [APP]: 'Organization › Personal access tokens (read)' } },
  emits: { nodes: ['credential', 'principal', 'scope'], edges: ['IN_TENANT', 'HAS_CREDENTIAL', 'HAS_SCOPE', 'CAN_ACCESS'] },
  async *list(ctx) {
    requireAppAuth(ctx.client, 'fine-grained PAT grants');
    yield* githubPages<Grant>(ctx, ctx.client.octokit, 'GET /orgs/{org}/personal-access-tokens', { org: ctx.tenant.id, per_page: ctx.client.perPage });
  },
  map: (g, ctx) => mapPat(g, ctx.tenant.id, 'granted'),
  ref: (g) => ({ nodeId: nodeId(P, 'pat_grant', patFields(g, 'granted').key('id')), patId: g.id, selection: g.repository_selection }),
  unsupported: appOnly,
});
