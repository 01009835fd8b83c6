// Users of a workspace (users.list, users:read; emails need users:read.email): people as principals with
// their status (deleted, restricted, admin/owner); bot users as their app (a reference the integration log
// owns), or — legacy and workflow bots, which name no app — as bot connectors.
// Deactivated users stay in the list with deleted: true. https://docs.slack.dev/reference/methods/users.list
import type { UsersListResponse } from '@slack/web-api';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { Emitted } from '../../../src/graph/model.ts';
import { teamArg, type SlackClient } from '../client.ts';
import { cursorPages } from '../paginate.ts';
import { ids, isEnterpriseId, isoFromEpoch, need, P, tenantLink } from '../map-helpers.ts';
import { WORKSPACE, GRID } from '../permission-hints.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { unsupportedBecause } from '../slack-errors.ts';
import { workspaces, type WorkspaceRef } from './workspaces.ts';

export type Member = NonNullable<UsersListResponse['members']>[number];
export type BotUserRef = WorkspaceRef & { botId: string };

export const users = defineResource<SlackClient, Member, WorkspaceRef>({
  provider: P, type: 'slack.users', description: 'Workspace users (people) and bot users (connectors)',
  docs: 'https://docs.slack.dev/reference/methods/users.list',
  parent: workspaces,
  permission: { grant: { [WORKSPACE]: 'users:read (users:read.email for e-mail addresses)', [GRID]: 'users:read (users:read.email for e-mail addresses)' } },
  emits: { nodes: ['principal', 'connector', 'tenant'], edges: ['IN_TENANT'] },
  matchKeys: ['app_id', 'bot_id'],
  list: (ctx) => cursorPages<Member>(ctx.client, 'users.list', teamArg(ctx.client, ctx.parent.teamId), 'members'),
  map: (u, ctx) => mapMember(u, ctx.parent.teamId),
  // bots.info only for bot users whose profile does not name their app (legacy bots, workflow bots).
  ref: (u, ctx) => (u.is_bot && u.profile?.bot_id && !u.profile.api_app_id && !u.deleted
    ? { nodeId: ids.bot(u.profile.bot_id), teamId: ctx.parent.teamId, botId: u.profile.bot_id } satisfies BotUserRef : null),
  unsupported: unsupportedBecause('users.list'),
});

export function mapMember(u: Member, teamId: string): Emitted {
  const id = checkMember(u);
  // Slackbot is Slack itself (is_bot is false for it): not an identity anyone governs.
  if (id === 'USLACKBOT') return { nodes: [], edges: [] };
  // A member's team_id is its workspace, or (org-level users of a Grid org) the org's E… id.
  const tenant = (node: string) => tenantLink(node, u.team_id || teamId);
  if ((u.is_bot || u.is_workflow_bot) && u.profile?.api_app_id) {
    // A bot user is its app's identity in the workspace, not a second connector (that would double every
    // finding about the app). The integration log owns the app node; this reference makes the app known
    // when the log is not readable (no admin scope, free plan). A deleted bot user: the app was removed.
    if (u.deleted) return { nodes: [], edges: [] };
    const appId = u.profile.api_app_id;
    // Installations are per workspace (the integration log's ids): never namespaced by an org id.
    const workspace = u.team_id && !isEnterpriseId(u.team_id) ? u.team_id : teamId;
    return { nodes: [{ id: ids.app(workspace, appId), kind: 'connector', type: 'slack.app', ref: true, name: u.real_name || u.profile.real_name || u.name || appId,
      props: { connector_type: 'slack_app', app_id: appId, team_id: workspace, enabled: true, created_at: null, last_used_at: null,
        bot_id: u.profile.bot_id ?? null, bot_user_id: id, seen_via: 'users.list' } }], edges: [] };
  }
  if (u.is_bot || u.is_workflow_bot) {
    // Bots that name no app: legacy custom bots and workflow bots.
    const botId = u.profile?.bot_id ?? id;
    const node = ids.bot(botId);
    const t = tenant(node);
    return {
      nodes: [{ id: node, kind: 'connector', type: 'slack.bot', name: u.real_name || u.profile?.real_name || u.name || botId, props: {
        connector_type: u.is_workflow_bot ? 'workflow_bot' : 'bot', app_id: u.profile?.api_app_id ?? null, bot_id: botId,
        bot_user_id: id, username: u.name ?? null, team_id: u.team_id ?? teamId, enabled: !u.deleted, deleted: u.deleted === true,
        created_at: null, updated_at: isoFromEpoch(u.updated), last_used_at: null, always_active: u.profile?.always_active ?? null,
      } }, ...t.nodes],
      edges: t.edges,
    };
  }
  const node = ids.user(id);
  const t = tenant(node);
  const email = u.profile?.email?.toLowerCase() ?? null;
  return {
    nodes: [{ id: node, kind: 'principal', type: 'slack.user', name: u.real_name || u.profile?.real_name || u.name || id, props: {
      user_id: id, username: u.name ?? null, team_id: u.team_id ?? teamId, email, emails: email ? [email] : [],
      status: u.deleted ? 'deleted' : 'active', is_admin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
      is_owner: u.is_owner ?? false, is_primary_owner: u.is_primary_owner ?? false, is_restricted: u.is_restricted ?? false,
      is_ultra_restricted: u.is_ultra_restricted ?? false, is_invited_user: u.is_invited_user ?? false,
      has_2fa: u.has_2fa ?? null, title: u.profile?.title ?? null, updated_at: isoFromEpoch(u.updated),
      // Slack records no deactivation time: a deleted user's last update is its deactivation (shown as the departure date)
      deleted_at: u.deleted ? isoFromEpoch(u.updated) : null,
      enterprise_id: u.enterprise_user?.enterprise_id ?? null,
    } }, ...t.nodes],
    edges: t.edges,
  };
}

/**
 * The member's id, once the fields this file reads are checked: a member not shaped as users.list documents it
 * is skipped alone and named (`members[].id: expected a string, got undefined`; src/crawl/malformed-item.ts).
 */
function checkMember(u: Member): string {
  const f = fieldsOf(u, 'members[]', ['id', 'name']);
  const id = f.string('id');
  for (const field of ['team_id', 'profile.api_app_id', 'profile.bot_id', 'profile.email']) f.optionalString(field);
  f.optionalObject('profile');
  return id;
}
