// An Enterprise Grid org crawled with small pages: every listing (cursor and page/count style) is read
// over more than one page, every workspace is fanned out with team_id, and the Grid-only governance
// lists (approved, restricted, requested apps, workflows) are mapped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimLog, SimMember, SlackScenario, SlackWorkspace } from '../../connectors/slack/simulator/scenario.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { props, rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

const TEAMS = ['TGRID0001', 'TGRID0002', 'TGRID0003'];
const PER = 5;

function workspace(team: string, t: number): SlackWorkspace {
  const users: SimMember[] = Array.from({ length: PER }, (_, i) => ({ id: `W${t}0000${i}`, name: `user${t}${i}`, team_id: team, deleted: i === 4,
    profile: { email: `user${t}${i}@grid.example` } }));
  users.push({ id: `U${t}BOT01`, name: 'ci-bot', is_bot: true, team_id: team, profile: { bot_id: `B${t}BOT01`, api_app_id: `A${t}APP0` } });
  const logs: SimLog[] = Array.from({ length: PER }, (_, i) => ({ app_id: `A${t}APP${i}`, app_type: `App ${t}.${i}`, user_id: `W${t}00000`, user_name: `user${t}0`,
    date: String(1_760_000_000 + i * 1000), change_type: 'added', scope: i === 0 ? 'chat:write,admin.usergroups:read' : 'chat:write' }));
  return { team: { id: team, name: `Grid ${t}`, domain: `grid-${t}` }, users, integrationLogs: logs.reverse(),
    appRequests: [1, 2, 3].map((r) => ({ id: `R${t}${r}`, app: { id: `A${t}REQ${r}`, name: `Requested ${r}` }, user: { id: `W${t}00001`, name: `user${t}1`, email: `user${t}1@grid.example` },
      team: { id: team, domain: `grid-${t}` }, scopes: [{ name: 'channels:history' }], message: 'please', date_created: 1_763_000_000 })) };
}

const scenario: SlackScenario = {
  plan: 'enterprise',
  enterprise: { id: 'EGRID0001', name: 'Grid Org' },
  token: { type: 'user', orgLevel: true, scopes: ['admin', 'team:read', 'users:read', 'users:read.email', 'admin.teams:read', 'admin.apps:read', 'admin.workflows:read'] },
  workspaces: TEAMS.map((t, i) => workspace(t, i + 1)),
  approvedApps: [1, 2, 3].map((i) => ({ app: { id: `AAPPR${i}`, name: `Approved ${i}`, is_internal: i === 1 }, date_updated: 1_762_000_000,
    scopes: [{ name: 'chat:write', token_type: 'bot', is_sensitive: false }, { name: 'files:read', token_type: 'user', is_sensitive: true }], last_resolved_by: { actor_id: 'W100000', actor_type: 'user' } })),
  restrictedApps: [1, 2, 3].map((i) => ({ app: { id: `ARSTR${i}`, name: `Restricted ${i}` }, scopes: [{ name: 'admin', token_type: 'user' }] })),
  workflows: [1, 2, 3].map((i) => ({ id: `Wf0${i}`, title: `Workflow ${i}`, team_id: TEAMS[0], is_published: true, collaborators: ['W100000', 'W100001'],
    app_id: `AWF${i}`, steps: [{ id: 's1', function_id: 'slack#/functions/send_message' }, { id: 's2', function_id: 'A0JIRA#/functions/create_issue' }], trigger_ids: ['Ft1'] })),
};

let c: SimCrawl;
let s: CrawlSummary;
const calls = (route: string, team?: string) => c.sim.log.filter((e) => e.route === route && (!team || e.bucket?.endsWith(`@${team}`)) && e.status === 200).length;

beforeAll(async () => {
  c = await startSimCrawl('slack', scenario);
  s = await c.crawl({ configPatch: { pageSize: 2, logPageSize: 2 } });
});
afterAll(async () => { await c.close(); });

describe('slack Grid org, small pages', () => {
  it('completes every resource', () => {
    expect(Object.fromEntries(s.resources.map((r) => [r.resourceType, r.status]))).toEqual({
      'slack.workspaces': 'complete', 'slack.users': 'complete', 'slack.bots': 'complete', 'slack.integration_logs': 'complete', 'slack.channels': 'complete',
      'slack.approved_apps': 'complete', 'slack.restricted_apps': 'complete', 'slack.app_requests': 'complete', 'slack.workflows': 'complete',
    });
    expect(s.status).toBe('complete');
  });

  it('reads every listing over more than one page and gets every item', () => {
    expect(calls('admin.teams.list')).toBe(2);
    for (const t of TEAMS) {
      expect(calls('users.list', t), `users.list ${t}`).toBe(Math.ceil((PER + 1) / 2));
      expect(calls('team.integrationLogs', t), `integrationLogs ${t}`).toBe(Math.ceil(PER / 2));
      expect(calls('admin.apps.requests.list', t), `requests ${t}`).toBe(2);
    }
    for (const m of ['admin.apps.approved.list', 'admin.apps.restricted.list', 'admin.workflows.search']) expect(calls(m), m).toBe(2);
    const count = (type: string) => rows<{ n: number }>(c.db, 'SELECT count(*) n FROM nodes WHERE type = ? AND removed_run IS NULL', type)[0]!.n;
    expect(count('slack.workspace')).toBe(3);
    expect(count('slack.user')).toBe(3 * PER);
    expect(count('slack.bot')).toBe(0); // bot users are their apps
    expect(count('slack.app')).toBe(3 * PER);
    expect(count('slack.approved_app')).toBe(3);
    expect(count('slack.restricted_app')).toBe(3);
    expect(count('slack.app_request')).toBe(9);
    expect(count('slack.workflow')).toBe(3);
  });

  it('maps the org as a tenant holding its workspaces, and per-workspace objects into their workspace', () => {
    expect(rows(c.db, "SELECT src FROM edges WHERE type = 'IN_TENANT' AND dst = 'slack:enterprise:EGRID0001' ORDER BY 1").map((r) => (r as { src: string }).src))
      .toEqual(expect.arrayContaining(TEAMS.map((t) => `slack:team:${t}`)));
    expect(rows(c.db, "SELECT dst FROM edges WHERE type = 'IN_TENANT' AND src = 'slack:app:TGRID0002:A2APP1'")).toEqual([{ dst: 'slack:team:TGRID0002' }]);
    expect(props(c.db, 'slack:user:W200004')).toMatchObject({ status: 'deleted', email: 'user24@grid.example' });
  });

  it('maps app governance and workflows', () => {
    expect(props(c.db, 'slack:approved_app:EGRID0001:AAPPR1')).toMatchObject({ connector_type: 'approved_app', app_id: 'AAPPR1', approval: 'approved', is_internal: true, scopes: ['chat:write', 'files:read'] });
    const g = rows<{ props: string }>(c.db, "SELECT props FROM edges WHERE src = 'slack:approved_app:EGRID0001:AAPPR1' AND dst = 'slack:scope:files:read'");
    expect(JSON.parse(g[0]!.props)).toMatchObject({ via: 'approved', token_type: 'user', is_sensitive: true });
    expect(props(c.db, 'slack:restricted_app:EGRID0001:ARSTR2')).toMatchObject({ approval: 'restricted', enabled: false });
    expect(props(c.db, 'slack:app_request:R21')).toMatchObject({ connector_type: 'app_request', app_id: 'A2REQ1', requested_by: 'W200001', scopes: ['channels:history'] });
    expect(props(c.db, 'slack:workflow:Wf02')).toMatchObject({ connector_type: 'workflow', app_id: 'AWF2', connector_apps: ['A0JIRA'], is_published: true });
    expect(rows(c.db, "SELECT src FROM edges WHERE type = 'OWNS' AND dst = 'slack:workflow:Wf02' ORDER BY 1")).toEqual([{ src: 'slack:user:W100000' }, { src: 'slack:user:W100001' }]);
  });
});
