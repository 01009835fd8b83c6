// Apps approved for the Grid org (admin.apps.approved.list; Enterprise Grid, org-level token with
// admin.apps:read). On a standalone workspace it is not_applicable (Slack is not asked); a token that is not
// org-level gets not_allowed_token_type: unsupported.
// https://docs.slack.dev/reference/methods/admin.apps.approved.list
import { defineResource } from '../../../src/crawl/resource.ts';
import type { SlackClient } from '../client.ts';
import { mapApproval, type ApprovalEntry } from '../app-approval-map.ts';
import { cursorPages } from '../paginate.ts';
import { P, tenantNode } from '../map-helpers.ts';
import { GRID } from '../permission-hints.ts';
import { gridOnly, notAnEnterprise, unsupportedBecause } from '../slack-errors.ts';

export const approvedApps = defineResource<SlackClient, ApprovalEntry>({
  provider: P, type: 'slack.approved_apps', description: 'Apps approved for the Grid org, with their scopes',
  docs: 'https://docs.slack.dev/reference/methods/admin.apps.approved.list',
  permission: { grant: { [GRID]: 'admin.apps:read' } },
  emits: { nodes: ['connector', 'scope'], edges: ['IN_TENANT', 'HAS_SCOPE'] },
  matchKeys: ['app_id'],
  list: gridOnly('admin.apps.approved.list', (ctx) => cursorPages<ApprovalEntry>(ctx.client, 'admin.apps.approved.list',
    ctx.client.enterpriseId ? { enterprise_id: ctx.client.enterpriseId } : {}, 'approved_apps')),
  map: (a, ctx) => mapApproval(a, 'approved', ctx.tenant.id, tenantNode(ctx.tenant)),
  unsupported: unsupportedBecause('admin.apps.approved.list'),
  notApplicable: notAnEnterprise('admin.apps.approved.list'),
});
