// Slack Web API methods served from a SlackScenario: POST with form or JSON bodies (GET query too),
// cursor paging (limit + response_metadata.next_cursor), page/count paging for team.integrationLogs,
// and Slack's ok:false answers — invalid_auth, missing_scope (with needed/provided), paid_only,
// not_an_enterprise, not_allowed_token_type — on HTTP 200.
import type { Route, SimRequest, SimResponse } from '../../../src/simulator/server.ts';
import { decodeCursor, encodeCursor, pageSize, slice } from '../../../src/simulator/paging.ts';
import type { SimGridTeam, SimTeam, SlackScenario, SlackWorkspace } from './scenario.ts';

export const SIM_SLACK_TOKEN = 'xoxp-2026000001-2026000002-simulatedadmintoken';

/** The scope each method needs, and what else it demands of the plan and token. */
const NEEDS: Record<string, { scope: string; grid?: boolean; paid?: boolean; userToken?: boolean }> = {
  'team.info': { scope: 'team:read' },
  'users.list': { scope: 'users:read' },
  'bots.info': { scope: 'users:read' },
  // public channels; a private one needs groups:read instead (checked in the route)
  'conversations.info': { scope: 'channels:read' },
  'team.integrationLogs': { scope: 'admin', paid: true, userToken: true },
  'admin.teams.list': { scope: 'admin.teams:read', grid: true },
  'admin.apps.approved.list': { scope: 'admin.apps:read', grid: true },
  'admin.apps.restricted.list': { scope: 'admin.apps:read', grid: true },
  'admin.apps.requests.list': { scope: 'admin.apps:read', grid: true },
  'admin.workflows.search': { scope: 'admin.workflows:read', grid: true },
};

const fail = (error: string, extra: Record<string, unknown> = {}): SimResponse => ({ body: { ok: false, error, ...extra } });

function arg(req: SimRequest, name: string): string | null {
  const v = req.body[name] ?? req.query.get(name);
  return v === undefined || v === null || v === '' ? null : String(v);
}

function cursorPage<T>(req: SimRequest, all: T[], key: string, def = 100): SimResponse {
  const offset = decodeCursor(arg(req, 'cursor'));
  if (offset === null) return fail('invalid_cursor');
  const limit = pageSize(arg(req, 'limit'), def, 1000);
  const s = slice(all, offset, limit);
  return { body: { ok: true, [key]: s.items, response_metadata: { next_cursor: s.nextOffset === null ? '' : encodeCursor(s.nextOffset) } } };
}

export function slackRoutes(s: SlackScenario): Route[] {
  const workspaceFor = (req: SimRequest): SlackWorkspace | undefined => {
    const team = arg(req, 'team_id');
    return team ? s.workspaces.find((w) => w.team.id === team) : s.workspaces[0];
  };
  const guard = (method: string, handler: (req: SimRequest) => SimResponse): Route => ({ method: '*', path: `/${method}`, name: method, handler: (req) => {
    const auth = String(req.headers.authorization ?? '');
    const token = auth.replace(/^Bearer\s+/i, '') || arg(req, 'token');
    if (token !== SIM_SLACK_TOKEN) return fail('invalid_auth');
    const n = NEEDS[method]!;
    const provided = s.token.scopes.join(',');
    if (n.grid && !s.enterprise) return fail('not_an_enterprise');
    if (n.grid && !s.token.orgLevel) return fail('not_allowed_token_type');
    if (n.userToken && s.token.type !== 'user') return fail('not_allowed_token_type');
    if (!s.token.scopes.includes(scopeFor(method, req))) return fail('missing_scope', { needed: scopeFor(method, req), provided });
    if (n.paid && s.plan === 'free') return fail('paid_only');
    // An org-level token must name the workspace on per-workspace methods.
    if (s.token.orgLevel && ['users.list', 'bots.info', 'conversations.info', 'team.integrationLogs', 'admin.apps.requests.list'].includes(method) && !arg(req, 'team_id')) return fail('missing_argument', { needed: 'team_id' });
    return handler(req);
  } });
  const emailsVisible = () => s.token.scopes.includes('users:read.email');
  const channelOf = (req: SimRequest) => workspaceFor(req)?.channels?.find((c) => c.id === arg(req, 'channel'));
  /** The scope a call needs: conversations.info asks groups:read for a private channel. */
  const scopeFor = (method: string, req: SimRequest) => (method === 'conversations.info' && channelOf(req)?.is_private ? 'groups:read' : NEEDS[method]!.scope);

  return [
    guard('team.info', (req) => {
      const w = workspaceFor(req);
      if (!w) return fail('team_not_found');
      const team: SimTeam = { ...w.team, ...(s.enterprise ? { enterprise_id: s.enterprise.id, enterprise_name: s.enterprise.name } : {}) };
      return { body: { ok: true, team } };
    }),
    guard('admin.teams.list', (req) => cursorPage(req, s.workspaces.map((w): SimGridTeam => {
      const owner = w.users.find((u) => u.is_primary_owner);
      return { id: w.team.id, name: w.team.name, team_url: `https://${w.team.domain}.slack.com/`, discoverability: 'hidden',
        ...(owner ? { primary_owner: { user_id: owner.id, ...(owner.profile?.email ? { email: owner.profile.email } : {}) } } : {}) };
    }), 'teams')),
    guard('users.list', (req) => {
      const w = workspaceFor(req);
      if (!w) return fail('invalid_auth');
      const members = emailsVisible() ? w.users : w.users.map((u) => (u.profile?.email ? { ...u, profile: { ...u.profile, email: undefined } } : u));
      return cursorPage(req, members, 'members');
    }),
    guard('bots.info', (req) => {
      const w = workspaceFor(req);
      const bot = w?.bots?.find((b) => b.id === arg(req, 'bot'));
      return bot ? { body: { ok: true, bot } } : fail('bot_not_found');
    }),
    guard('conversations.info', (req) => {
      const ch = channelOf(req);
      // Slack answers channel_not_found for a private channel the token's user is not in.
      return ch && (!ch.is_private || ch.is_member) ? { body: { ok: true, channel: ch } } : fail('channel_not_found');
    }),
    guard('team.integrationLogs', (req) => {
      const w = workspaceFor(req);
      if (!w) return fail('invalid_auth');
      const count = pageSize(arg(req, 'count'), 100, 1000);
      const page = Math.max(1, Number(arg(req, 'page') ?? 1) || 1);
      const total = w.integrationLogs.length;
      return { body: { ok: true, logs: w.integrationLogs.slice((page - 1) * count, page * count),
        paging: { count, total, page, pages: Math.max(1, Math.ceil(total / count)) } } };
    }),
    guard('admin.apps.approved.list', (req) => cursorPage(req, s.approvedApps ?? [], 'approved_apps')),
    guard('admin.apps.restricted.list', (req) => cursorPage(req, s.restrictedApps ?? [], 'restricted_apps')),
    guard('admin.apps.requests.list', (req) => cursorPage(req, workspaceFor(req)?.appRequests ?? [], 'app_requests')),
    guard('admin.workflows.search', (req) => cursorPage(req, s.workflows ?? [], 'workflows')),
  ];
}
