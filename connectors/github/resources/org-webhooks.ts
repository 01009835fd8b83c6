// Organisation webhooks (connectors forwarding events out). GET /orgs/{org}/hooks
// https://docs.github.com/rest/orgs/webhooks#list-organization-webhooks
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { nodeId } from '../../../src/graph/model.ts';
import { P } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';
import { hookId, mapWebhook } from '../webhook-map.ts';

type Hook = components['schemas']['org-hook'];

export const orgWebhooks = defineResource<GithubClient, Hook>({
  provider: P, type: 'github.org_webhooks', description: 'Organisation webhooks',
  docs: 'https://docs.github.com/rest/orgs/webhooks#list-organization-webhooks',
  permission: { grant: { [APP]: 'Organization › Webhooks (read)', [CLASSIC]: 'admin:org_hook' }, refusedAs404: true },
  emits: { nodes: ['connector', 'endpoint'], edges: ['IN_TENANT', 'FORWARDS_TO', 'CAN_ACCESS'] },
  list: (ctx) => githubPages<Hook>(ctx, ctx.client.octokit, 'GET /orgs/{org}/hooks', { org: ctx.tenant.id, per_page: ctx.client.perPage }),
  map: (hook, ctx) => mapWebhook(hook, { id: nodeId(P, 'org_webhook', hookId(hook)), type: 'github.org_webhook', org: ctx.tenant.id, scopeName: `org ${ctx.tenant.id}` }),
});
