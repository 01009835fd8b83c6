// Pending app requests per workspace (admin.apps.requests.list; Enterprise Grid, org-level token with
// admin.apps:read, team_id required): who asked for which app with which scopes, and why.
// https://docs.slack.dev/reference/methods/admin.apps.requests.list
import type { AdminAppsRequestsListResponse } from '@slack/web-api';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { Emitted } from '../../../src/graph/model.ts';
import type { SlackClient } from '../client.ts';
import { cursorPages } from '../paginate.ts';
import { ids, inTenant, isoFromEpoch, need, P, scopeGrants, teamNode } from '../map-helpers.ts';
import { redactSecrets } from '../../../src/util/redact.ts';
import { SLACK_SECRET_PATTERNS } from '../secret-patterns.ts';
import { unsupportedBecause } from '../slack-errors.ts';
import { workspaces, type WorkspaceRef } from './workspaces.ts';

type AppRequest = NonNullable<AdminAppsRequestsListResponse['app_requests']>[number];

export const appRequests = defineResource<SlackClient, AppRequest, WorkspaceRef>({
  provider: P, type: 'slack.app_requests', description: 'Pending app install requests (Grid)',
  docs: 'https://docs.slack.dev/reference/methods/admin.apps.requests.list',
  parent: workspaces,
  emits: { nodes: ['connector', 'scope'], edges: ['IN_TENANT', 'HAS_SCOPE'] },
  list: (ctx) => cursorPages<AppRequest>(ctx.client, 'admin.apps.requests.list', { team_id: ctx.parent.teamId }, 'app_requests'),
  map(r, ctx): Emitted {
    const rid = need(r.id, 'app_requests[].id');
    const id = ids.appRequest(rid);
    const scopes = (r.scopes ?? []).map((s: { name?: string } | string) => (typeof s === 'string' ? s : s?.name ?? '')).filter(Boolean);
    const g = scopeGrants(id, scopes, () => ({ via: 'request', requested: true }));
    return {
      nodes: [{ id, kind: 'connector', type: 'slack.app_request', name: r.app?.name ?? r.app?.id ?? rid, props: {
        connector_type: 'app_request', app_id: r.app?.id ?? null, request_id: rid, team_id: r.team?.id ?? ctx.parent.teamId, enabled: false,
        requested_by: r.user?.id ?? null, requested_by_email: r.user?.email?.toLowerCase() ?? null,
        message: r.message ? redactSecrets(r.message, SLACK_SECRET_PATTERNS) : null, created_at: isoFromEpoch(r.date_created), last_used_at: null,
        previous_resolution: r.previous_resolution?.status ?? null, scopes: [...new Set(scopes)].sort(),
      } }, ...g.nodes],
      edges: [inTenant(id, teamNode(ctx.parent.teamId)), ...g.edges],
    };
  },
  unsupported: unsupportedBecause('admin.apps.requests.list'),
});
