// Pending app requests per workspace (admin.apps.requests.list; Enterprise Grid, org-level token with
// admin.apps:read, team_id required): who asked for which app with which scopes, and why.
// https://docs.slack.dev/reference/methods/admin.apps.requests.list
import type { AdminAppsRequestsListResponse } from '@slack/web-api';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { Emitted } from '../../../src/graph/model.ts';
import type { SlackClient } from '../client.ts';
import { cursorPages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, isoFromEpoch, P, scopeGrants, teamNode } from '../map-helpers.ts';
import { GRID } from '../permission-hints.ts';
import { redactSecrets } from '../../../src/util/redact.ts';
import { SLACK_SECRET_PATTERNS } from '../secret-patterns.ts';
import { gridOnly, notAnEnterprise, unsupportedBecause } from '../slack-errors.ts';
import { workspaces, type WorkspaceRef } from './workspaces.ts';

type AppRequest = NonNullable<AdminAppsRequestsListResponse['app_requests']>[number];

export const appRequests = defineResource<SlackClient, AppRequest, WorkspaceRef>({
  provider: P, type: 'slack.app_requests', description: 'Pending app install requests (Grid)',
  docs: 'https://docs.slack.dev/reference/methods/admin.apps.requests.list',
  parent: workspaces,
  permission: { grant: { [GRID]: 'admin.apps:read' } },
  emits: { nodes: ['connector', 'scope'], edges: ['IN_TENANT', 'HAS_SCOPE'] },
  matchKeys: ['app_id'],
  list: gridOnly('admin.apps.requests.list', (ctx) => cursorPages<AppRequest>(ctx.client, 'admin.apps.requests.list', { team_id: ctx.parent.teamId }, 'app_requests')),
  map(r, ctx): Emitted {
    const f = fieldsOf(r, 'app_requests[]', ['id', 'app.id']);
    const rid = f.string('id');
    const id = ids.appRequest(rid);
    const scopes = f.list('scopes').map((s) => (typeof s === 'string' ? s : typeof (s as { name?: unknown })?.name === 'string' ? (s as { name: string }).name : ''))
      .filter(Boolean);
    const email = f.optionalString('user.email');
    const g = scopeGrants(id, scopes, () => ({ via: 'request', requested: true }));
    return {
      nodes: [{ id, kind: 'connector', type: 'slack.app_request', name: f.label('app.name') ?? f.optionalString('app.id') ?? rid, props: {
        connector_type: 'app_request', app_id: f.optionalString('app.id'), request_id: rid, team_id: f.optionalString('team.id') ?? ctx.parent.teamId, enabled: false,
        requested_by: f.optionalString('user.id'), requested_by_email: email?.toLowerCase() ?? null,
        message: f.label('message') ? redactSecrets(f.label('message')!, SLACK_SECRET_PATTERNS) : null, created_at: isoFromEpoch(r.date_created), last_used_at: null,
        previous_resolution: r.previous_resolution?.status ?? null, scopes: [...new Set(scopes)].sort(),
      } }, ...g.nodes],
      edges: [inTenant(id, teamNode(ctx.parent.teamId)), ...g.edges],
    };
  },
  unsupported: unsupportedBecause('admin.apps.requests.list'),
  notApplicable: notAnEnterprise('admin.apps.requests.list'),
});
