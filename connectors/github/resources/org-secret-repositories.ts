// Repositories that can read an org Actions secret with visibility=selected (CAN_ACCESS).
// GET /orgs/{org}/actions/secrets/{secret_name}/repositories
// https://docs.github.com/rest/actions/secrets#list-selected-repositories-for-an-organization-secret
import type { components } from '@octokit/openapi-types';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { envelope, githubPages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';
import { orgActionsSecrets } from './org-actions-secrets.ts';

type Repo = components['schemas']['minimal-repository'];
type SecretRef = ParentRef & { name: string; visibility: string };

export const orgSecretRepositories = defineResource<GithubClient, Repo, SecretRef>({
  provider: P, type: 'github.org_secret_repositories', description: 'Selected repositories of org Actions secrets',
  parent: orgActionsSecrets,
  permission: { grant: { [APP]: 'Organization › Secrets (read)', [CLASSIC]: 'admin:org' } },
  emits: { nodes: [], edges: ['CAN_ACCESS'] },
  async *list(ctx) {
    if (ctx.parent.visibility !== 'selected') return;
    yield* githubPages<Repo>(ctx, ctx.client.octokit, 'GET /orgs/{org}/actions/secrets/{secret_name}/repositories',
      { org: ctx.tenant.id, secret_name: ctx.parent.name, per_page: ctx.client.perPage }, envelope('repositories'));
  },
  map: (repo, ctx) => ({ nodes: [], edges: [{ type: 'CAN_ACCESS', from: ctx.parent.nodeId, to: ids.repo(fieldsOf(repo, 'repositories[]', ['id', 'full_name']).key('id')), props: { repository: repo.full_name ?? null } }] }),
});
