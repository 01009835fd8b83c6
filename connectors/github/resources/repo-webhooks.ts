// Repository webhooks (connectors forwarding a repository's events out). GET /repos/{owner}/{repo}/hooks
// https://docs.github.com/rest/repos/webhooks#list-repository-webhooks
import type { components } from '@octokit/openapi-types';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { nodeId } from '../../../src/graph/model.ts';
import { P } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';
import { hookId, mapWebhook } from '../webhook-map.ts';
import { repositories } from './repositories.ts';

type Hook = components['schemas']['hook'];
type RepoRef = ParentRef & { owner: string; repo: string };

export const repoWebhooks = defineResource<GithubClient, Hook, RepoRef>({
  provider: P, type: 'github.repo_webhooks', description: 'Repository webhooks',
  docs: 'https://docs.github.com/rest/repos/webhooks#list-repository-webhooks',
  parent: repositories,
  permission: { grant: { [APP]: 'Repository › Webhooks (read)', [CLASSIC]: 'read:repo_hook' }, refusedAs404: true },
  emits: { nodes: ['connector', 'endpoint'], edges: ['IN_TENANT', 'FORWARDS_TO', 'CAN_ACCESS'] },
  list: (ctx) => githubPages<Hook>(ctx, ctx.client.octokit, 'GET /repos/{owner}/{repo}/hooks',
    { owner: ctx.parent.owner, repo: ctx.parent.repo, per_page: ctx.client.perPage }),
  map: (hook, ctx) => mapWebhook(hook, { id: nodeId(P, 'repo_webhook', hookId(hook)), type: 'github.repo_webhook', org: ctx.tenant.id,
    scopeName: `${ctx.parent.owner}/${ctx.parent.repo}`, repoNodeId: ctx.parent.nodeId }),
});
