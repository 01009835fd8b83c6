// The tenant: a standalone workspace (team.info), or every workspace of an Enterprise Grid org
// (admin.teams.list, org-level token with admin.teams:read) under the org's own tenant node.
// https://docs.slack.dev/reference/methods/team.info  https://docs.slack.dev/reference/methods/admin.teams.list
import type { AdminTeamsListResponse, TeamInfoResponse } from '@slack/web-api';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { Emitted } from '../../../src/graph/model.ts';
import type { SlackClient } from '../client.ts';
import { cursorPages } from '../paginate.ts';
import { enterpriseNode, ids, inTenant, need, P } from '../map-helpers.ts';
import { WORKSPACE, GRID } from '../permission-hints.ts';
import { unsupportedBecause } from '../slack-errors.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';

type Team = NonNullable<TeamInfoResponse['team']>;
type GridTeam = NonNullable<AdminTeamsListResponse['teams']>[number];
export type WorkspaceItem = { via: 'team.info'; team: Team } | { via: 'admin.teams.list'; team: GridTeam; enterpriseId: string };
export type WorkspaceRef = ParentRef & { teamId: string };

export const workspaces = defineResource<SlackClient, WorkspaceItem>({
  provider: P, type: 'slack.workspaces', description: 'The workspace, or every workspace of a Grid org (tenants)',
  docs: 'https://docs.slack.dev/reference/methods/admin.teams.list',
  permission: { grant: { [WORKSPACE]: 'team:read', [GRID]: 'admin.teams:read' } },
  emits: { nodes: ['tenant'], edges: ['IN_TENANT'] },
  async *list(ctx) {
    const { client } = ctx;
    if (!client.grid) {
      const res = (await client.web.team.info({})) as TeamInfoResponse;
      yield { items: [{ via: 'team.info', team: need(res.team, 'team.info.team') }] };
      return;
    }
    const only = client.teams ? new Set(client.teams) : null;
    for await (const page of cursorPages<GridTeam>(client, 'admin.teams.list', {}, 'teams')) {
      yield { items: page.items.filter((t) => !only || only.has(t.id ?? '')).map((team) => ({ via: 'admin.teams.list' as const, team, enterpriseId: ctx.tenant.id })) };
    }
  },
  map(item): Emitted {
    if (item.via === 'team.info') {
      const t = item.team;
      const id = fieldsOf(t, 'team', ['id', 'name']).string('id');
      const workspace = { id: ids.team(id), kind: 'tenant' as const, type: 'slack.workspace', name: t.name ?? id, props: {
        team_id: id, domain: t.domain ?? null, email_domain: t.email_domain ?? null, enterprise_id: t.enterprise_id ?? null,
        enterprise_name: t.enterprise_name ?? null, is_verified: t.is_verified ?? null, sso_provider: t.sso_provider?.type ?? null,
      } };
      // A workspace of a Grid org crawled with its own token: the org is a tenant too, holding the workspace.
      if (!t.enterprise_id) return { nodes: [workspace], edges: [] };
      return { nodes: [workspace, enterpriseNode(t.enterprise_id, t.enterprise_name, false)], edges: [inTenant(workspace.id, ids.enterprise(t.enterprise_id))] };
    }
    const t = item.team;
    const id = fieldsOf(t, 'teams[]', ['id', 'name']).string('id');
    const org = ids.enterprise(item.enterpriseId);
    return {
      // the workspace first: it is what this item is (src/crawl/duplicate-items.ts); every workspace repeats the org
      nodes: [
        { id: ids.team(id), kind: 'tenant', type: 'slack.workspace', name: t.name ?? id, props: {
          team_id: id, team_url: t.team_url ?? null, discoverability: t.discoverability ?? null, enterprise_id: item.enterpriseId,
          primary_owner: t.primary_owner?.user_id ?? null,
        } },
        enterpriseNode(item.enterpriseId, null, false),
      ],
      edges: [inTenant(ids.team(id), org)],
    };
  },
  ref: (item) => ({ nodeId: ids.team(item.team.id!), teamId: item.team.id! }),
  unsupported: unsupportedBecause('team.info / admin.teams.list'),
});
