// Repositories an installation with repository_selection=selected can reach (CAN_ACCESS).
// GET /user/installations/{installation_id}/repositories — GitHub serves it only to a user token
// (an org owner's), so without one the resource is unsupported, never "no repositories".
// https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-user-access-token
import type { components } from '@octokit/openapi-types';
import { UnsupportedResource } from '../../../src/crawl/errors.ts';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { envelope, githubPages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';
import { CLASSIC } from '../permission-hints.ts';
import { appInstallations } from './app-installations.ts';

type Repo = components['schemas']['repository'];
type InstallationRef = ParentRef & { installationId: number; selection: string | null };

export const installationRepositories = defineResource<GithubClient, Repo, InstallationRef>({
  provider: P, type: 'github.installation_repositories', description: 'Selected repositories of each installation',
  parent: appInstallations,
  permission: { grant: { [CLASSIC]: 'read:org and repo, in an org owner\'s token (tokenEnv beside the app)' } },
  emits: { nodes: [], edges: ['CAN_ACCESS'] },
  async *list(ctx) {
    if (ctx.parent.selection !== 'selected') return;
    const user = ctx.client.userOctokit;
    if (!user) throw new UnsupportedResource('selected repositories of an installation are served only to a user token of an org owner; set tokenEnv beside app auth');
    yield* githubPages<Repo>(ctx, user, 'GET /user/installations/{installation_id}/repositories',
      { installation_id: ctx.parent.installationId, per_page: ctx.client.perPage }, envelope('repositories'));
  },
  map(repo, ctx) {
    return { nodes: [], edges: [{ type: 'CAN_ACCESS', from: ctx.parent.nodeId, to: ids.repo(fieldsOf(repo, 'repositories[]', ['id', 'full_name']).key('id')), props: { repository: repo.full_name ?? null } }] };
  },
});
