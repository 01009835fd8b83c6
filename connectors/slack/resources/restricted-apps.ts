// Apps restricted on the Grid org (admin.apps.restricted.list; Enterprise Grid, org-level token with
// admin.apps:read). https://docs.slack.dev/reference/methods/admin.apps.restricted.list
import type { AdminAppsRestrictedListResponse } from '@slack/web-api';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { SlackClient } from '../client.ts';
import { mapApproval } from '../app-approval-map.ts';
import { cursorPages } from '../paginate.ts';
import { P, tenantNode } from '../map-helpers.ts';
import { GRID } from '../permission-hints.ts';
import { gridOnly, notAnEnterprise, unsupportedBecause } from '../slack-errors.ts';

type Restricted = NonNullable<AdminAppsRestrictedListResponse['restricted_apps']>[number];

export const restrictedApps = defineResource<SlackClient, Restricted>({
  provider: P, type: 'slack.restricted_apps', description: 'Apps restricted on the Grid org',
  docs: 'https://docs.slack.dev/reference/methods/admin.apps.restricted.list',
  permission: { grant: { [GRID]: 'admin.apps:read' } },
  emits: { nodes: ['connector', 'scope'], edges: ['IN_TENANT', 'HAS_SCOPE'] },
  matchKeys: ['app_id'],
  list: gridOnly('admin.apps.restricted.list', (ctx) => cursorPages<Restricted>(ctx.client, 'admin.apps.restricted.list',
    ctx.client.enterpriseId ? { enterprise_id: ctx.client.enterpriseId } : {}, 'restricted_apps')),
  map: (a, ctx) => mapApproval(a, 'restricted', ctx.tenant.id, tenantNode(ctx.tenant)),
  unsupported: unsupportedBecause('admin.apps.restricted.list'),
  notApplicable: notAnEnterprise('admin.apps.restricted.list'),
});
