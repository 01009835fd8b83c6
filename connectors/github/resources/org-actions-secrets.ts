// Organisation Actions secrets: credentials in GitHub's custody (name, visibility, dates — never values).
// GET /orgs/{org}/actions/secrets
// https://docs.github.com/rest/actions/secrets#list-organization-secrets
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { envelope, githubPages } from '../paginate.ts';
import { nodeId } from '../../../src/graph/model.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';

type Secret = components['schemas']['organization-actions-secret'];

export const secretId = (org: string, name: string) => nodeId(P, 'actions_secret', `${org.toLowerCase()}/${name}`);

export const orgActionsSecrets = defineResource<GithubClient, Secret>({
  provider: P, type: 'github.org_actions_secrets', description: 'Organisation Actions secrets',
  docs: 'https://docs.github.com/rest/actions/secrets#list-organization-secrets',
  permission: { grant: { [APP]: 'Organization › Secrets (read)', [CLASSIC]: 'admin:org' } },
  emits: { nodes: ['credential'], edges: ['IN_TENANT', 'CAN_ACCESS'] },
  list: (ctx) => githubPages<Secret>(ctx, ctx.client.octokit, 'GET /orgs/{org}/actions/secrets',
    { org: ctx.tenant.id, per_page: ctx.client.perPage }, envelope('secrets')),
  map(s, ctx) {
    const f = fields(s);
    const name = f.string('name');
    const visibility = f.optionalString('visibility');
    const id = secretId(ctx.tenant.id, name);
    const edges = [inTenant(id, ctx.tenant.id)];
    if (visibility !== 'selected') edges.push({ type: 'CAN_ACCESS', from: id, to: ids.org(ctx.tenant.id), props: { repositories: visibility } });
    return {
      nodes: [{ id, kind: 'credential', type: 'github.actions_secret', name, props: {
        credential_type: 'ci_secret', visibility, created_at: s.created_at ?? null, updated_at: s.updated_at ?? null,
        expires_at: null, last_used_at: null, static: true, enabled: true, custody: 'github_actions',
      } }],
      edges,
    };
  },
  ref: (s, ctx) => {
    const f = fields(s);
    return { nodeId: secretId(ctx.tenant.id, f.string('name')), name: f.string('name'), visibility: f.optionalString('visibility') ?? '' };
  },
});

const fields = (s: Secret) => fieldsOf(s, 'secrets[]', 'name');
