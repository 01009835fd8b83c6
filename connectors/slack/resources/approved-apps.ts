// Apps approved for the Grid org (admin.apps.approved.list; Enterprise Grid, org-level token with
// admin.apps:read). Elsewhere Slack answers not_an_enterprise / not_allowed_token_type: unsupported.
// https://docs.slack.dev/reference/methods/admin.apps.approved.list
import { defineResource } from '../../../src/crawl/resource.ts';
import type { SlackClient } from '../client.ts';
import { mapApproval, type ApprovalEntry } from '../app-approval-map.ts';
import { cursorPages } from '../paginate.ts';
import { P, tenantNode } from '../map-helpers.ts';
import { unsupportedBecause } from '../slack-errors.ts';

export const approvedApps = defineResource<SlackClient, ApprovalEntry>({
  provider: P, type: 'slack.approved_apps', description: 'Apps approved for the Grid org, with their scopes',
  docs: 'https://docs.slack.dev/reference/methods/admin.apps.approved.list',
  emits: { nodes: ['connector', 'scope'], edges: ['IN_TENANT', 'HAS_SCOPE'] },
  list: (ctx) => cursorPages<ApprovalEntry>(ctx.client, 'admin.apps.approved.list',
    ctx.client.enterpriseId ? { enterprise_id: ctx.client.enterpriseId } : {}, 'approved_apps'),
  map: (a, ctx) => mapApproval(a, 'approved', ctx.tenant.id, tenantNode(ctx.tenant)),
  unsupported: unsupportedBecause('admin.apps.approved.list'),
});
