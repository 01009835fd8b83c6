// Contract test, Slack (issue 14, item 6): the simulator's answers against @slack/web-api's published response
// types, for the fields the adapters read. Two crawls — a standalone workspace (the demo's) and an Enterprise Grid
// org — cover every resource; test/helpers/contract.ts says what is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamIntegrationLogsResponse } from '@slack/web-api';
import { integrationLogs } from '../../connectors/slack/resources/integration-logs.ts';
import { appRequests } from '../../connectors/slack/resources/app-requests.ts';
import { approvedApps } from '../../connectors/slack/resources/approved-apps.ts';
import { bots } from '../../connectors/slack/resources/bots.ts';
import { channels } from '../../connectors/slack/resources/channels.ts';
import { restrictedApps } from '../../connectors/slack/resources/restricted-apps.ts';
import { users } from '../../connectors/slack/resources/users.ts';
import { workflows } from '../../connectors/slack/resources/workflows.ts';
import { workspaces } from '../../connectors/slack/resources/workspaces.ts';
import { replayIntegrationLog } from '../../connectors/slack/integration-state.ts';
import { slackRoutes, SIM_SLACK_TOKEN } from '../../connectors/slack/simulator/routes.ts';
import type { SlackScenario } from '../../connectors/slack/simulator/scenario.ts';
import { buildSlackScenario, TEAM_ID } from '../../scenarios/demo/slack.ts';
import { assertContracts, covered, fields, ReadRecorder, runContract, servedProblems, type Contract, type ContractRun, type ItemOf } from '../helpers/contract.ts';

type LogEntry = NonNullable<TeamIntegrationLogsResponse['logs']>[number];

/** Per resource type: the item fields its adapter reads, with the kinds @slack/web-api's types give them. */
const contracts: Record<string, Contract> = {
  'slack.workspaces': fields<ItemOf<typeof workspaces>>()({
    via: 'string', enterpriseId: 'string',
    'team.id': 'string', 'team.name': 'string', 'team.domain': 'string', 'team.email_domain': 'string', 'team.enterprise_id': 'string',
    'team.enterprise_name': 'string', 'team.is_verified': 'boolean', 'team.sso_provider.type': 'string',
    'team.team_url': 'string', 'team.discoverability': 'string', 'team.primary_owner.user_id': 'string',
  }),
  'slack.users': fields<ItemOf<typeof users>>()({
    id: 'string', name: 'string', real_name: 'string', team_id: 'string', deleted: 'boolean', updated: 'number',
    is_bot: 'boolean', is_workflow_bot: 'boolean', is_admin: 'boolean', is_owner: 'boolean', is_primary_owner: 'boolean',
    is_restricted: 'boolean', is_ultra_restricted: 'boolean', is_invited_user: 'boolean', has_2fa: 'boolean',
    'profile.email': 'string', 'profile.real_name': 'string', 'profile.title': 'string', 'profile.bot_id': 'string',
    'profile.api_app_id': 'string', 'profile.always_active': 'boolean', 'enterprise_user.enterprise_id': 'string',
  }),
  'slack.bots': fields<ItemOf<typeof bots>>()({ id: 'string', app_id: 'string', name: 'string', deleted: 'boolean' }),
  // Items are the log replayed (integration-state.ts); the entries it reads are checked below.
  'slack.integration_logs': { derived: 'team.integrationLogs entries replayed into the integrations installed now' },
  'slack.channels': fields<ItemOf<typeof channels>>()({ id: 'string', name: 'string', is_private: 'boolean', is_archived: 'boolean' }),
  'slack.approved_apps': fields<ItemOf<typeof approvedApps>>()({
    'app.id': 'string', 'app.name': 'string', 'app.is_internal': 'boolean', 'app.is_app_directory_approved': 'boolean',
    'app.is_granular_bot_app': 'boolean', 'app.app_directory_url': 'string', 'scopes[].name': 'string', 'scopes[].token_type': 'string',
    'scopes[].is_sensitive': 'boolean', date_updated: 'number', 'last_resolved_by.actor_id': 'string', 'last_resolved_by.actor_type': 'string',
  }),
  'slack.restricted_apps': fields<ItemOf<typeof restrictedApps>>()({
    'app.id': 'string', 'app.name': 'string', 'app.is_internal': 'boolean', 'app.is_app_directory_approved': 'boolean',
    'app.is_granular_bot_app': 'boolean', 'app.app_directory_url': 'string', 'scopes[].name': 'string', 'scopes[].token_type': 'string',
    'scopes[].is_sensitive': 'boolean', date_updated: 'number', 'last_resolved_by.actor_id': 'string', 'last_resolved_by.actor_type': 'string',
  }),
  'slack.app_requests': fields<ItemOf<typeof appRequests>>()({
    id: 'string', 'app.id': 'string', 'app.name': 'string', 'scopes[].name': 'string', 'user.id': 'string', 'user.email': 'string',
    'team.id': 'string', message: 'string', date_created: 'number', 'previous_resolution.status': 'string',
  }),
  'slack.workflows': fields<ItemOf<typeof workflows>>()({
    id: 'string', title: 'string', app_id: 'string', team_id: 'string', is_published: 'boolean', date_updated: 'number',
    last_updated_by: 'string', collaborators: 'array', 'collaborators[]': 'string', 'steps[].function_id': 'string', trigger_ids: 'array', source: 'string',
  }),
};

/** The integration log entries' fields replayIntegrationLog reads. */
const logEntry = fields<LogEntry>()({
  date: 'string', app_id: 'string', app_type: 'string', service_id: 'number', service_type: 'string', user_id: 'string', user_name: 'string',
  change_type: 'string', scope: 'string', channel: 'string', reason: 'string',
});

/** The demo workspace with the team.info fields it lacks. */
function standalone(): SlackScenario {
  const s = buildSlackScenario();
  Object.assign(s.workspaces[0]!.team, { is_verified: true, sso_provider: { type: 'saml', name: 'Okta', label: 'Okta' } });
  return s;
}

/** An Enterprise Grid org with every admin.* listing populated, in Slack's forms (org-wide workflows name the org as team_id). */
function grid(): SlackScenario {
  const team = 'TCONTRACT1';
  return {
    plan: 'enterprise', enterprise: { id: 'ECONTRACT1', name: 'Contract Org' },
    token: { type: 'user', orgLevel: true, scopes: ['admin', 'team:read', 'users:read', 'users:read.email', 'admin.teams:read', 'admin.apps:read', 'admin.workflows:read', 'channels:read'] },
    workspaces: [{
      team: { id: team, name: 'Contract', domain: 'contract' },
      users: [
        { id: 'W0ANA0001', name: 'ana', real_name: 'Ana', team_id: team, deleted: false, is_admin: true, is_owner: true, is_primary_owner: true, is_restricted: false,
          is_ultra_restricted: false, is_invited_user: false, has_2fa: true, updated: 1_760_000_000, enterprise_user: { enterprise_id: 'ECONTRACT1', id: 'W0ANA0001' },
          profile: { email: 'ana@contract.example', real_name: 'Ana', title: 'Admin' } },
        { id: 'U0WFBOT01', name: 'workflow-bot', team_id: team, is_bot: true, is_workflow_bot: true, deleted: false, updated: 1_760_000_000,
          profile: { bot_id: 'B0WFBOT01', real_name: 'Workflow bot', always_active: true } },
      ],
      bots: [{ id: 'B0WFBOT01', name: 'Workflow bot', app_id: 'A0WFAPP01', deleted: false }],
      integrationLogs: [{ app_id: 'A0HOOK0001', app_type: 'Hooks', user_id: 'W0ANA0001', user_name: 'ana', channel: 'C0CONTRACT', date: '1760000000',
        change_type: 'added', scope: 'incoming-webhook', reason: 'alerts' }],
      channels: [{ id: 'C0CONTRACT', name: 'contract-alerts', is_private: false, is_archived: false }],
      appRequests: [{ id: 'Rq1', app: { id: 'A0REQ0001', name: 'Requested' }, user: { id: 'W0ANA0001', name: 'ana', email: 'ana@contract.example' },
        team: { id: team, domain: 'contract' }, scopes: [{ name: 'channels:history' }], message: 'please', date_created: 1_763_000_000,
        previous_resolution: { status: 'denied', scopes: [] } }],
    }],
    approvedApps: [{ app: { id: 'A0APPR0001', name: 'Approved', is_internal: false, is_app_directory_approved: true, is_granular_bot_app: true,
      app_directory_url: 'https://contract.slack.com/apps/A0APPR0001' }, date_updated: 1_762_000_000,
      scopes: [{ name: 'chat:write', token_type: 'bot', is_sensitive: false }], last_resolved_by: { actor_id: 'W0ANA0001', actor_type: 'user' } }],
    restrictedApps: [{ app: { id: 'A0RSTR0001', name: 'Restricted', is_internal: false, is_app_directory_approved: false, is_granular_bot_app: false,
      app_directory_url: 'https://contract.slack.com/apps/A0RSTR0001' }, date_updated: 1_762_000_000,
      scopes: [{ name: 'admin', token_type: 'user', is_sensitive: true }], last_resolved_by: { actor_id: 'W0ANA0001', actor_type: 'user' } }],
    workflows: [{ id: 'Wf0CONTR1', title: 'Org triage', app_id: 'A0WFAPP01', team_id: 'ECONTRACT1', is_published: true, date_updated: 1_762_000_000,
      last_updated_by: 'W0ANA0001', collaborators: ['W0ANA0001'], steps: [{ id: 's1', function_id: 'A0JIRA#/functions/create_issue' }], trigger_ids: ['Ft1'], source: 'app' }],
  };
}

const runs: ContractRun[] = [];
beforeAll(async () => {
  runs.push(await runContract('slack', standalone()));
  runs.push(await runContract('slack', grid()));
  // a workspace of the org crawled with its own (workspace) token: team.info names the enterprise
  const member = grid();
  member.token.orgLevel = false;
  runs.push(await runContract('slack', member, { enterpriseId: undefined, teamId: 'TCONTRACT1' }));
});
afterAll(async () => { for (const r of runs) await r.close(); });

describe('slack contract', () => {
  it('every resource reads only fields @slack/web-api types, and the simulator serves them with those types', () => {
    assertContracts(runs, contracts);
  });

  it('team.integrationLogs entries: what the replay reads is typed by the vendor and served so', async () => {
    const s = standalone();
    const route = slackRoutes(s).find((r) => r.name === 'team.integrationLogs')!;
    const url = new URL('http://sim/api/team.integrationLogs?count=1000');
    const out = await route.handler({ method: 'POST', path: '/team.integrationLogs', url, query: url.searchParams, params: {},
      headers: { authorization: `Bearer ${SIM_SLACK_TOKEN}` }, body: {}, route: 'team.integrationLogs' });
    const entries = (JSON.parse(JSON.stringify(out.body)) as TeamIntegrationLogsResponse).logs!;
    expect(entries.length).toBeGreaterThan(0);
    const rec = new ReadRecorder();
    replayIntegrationLog(TEAM_ID, rec.wrap(entries));
    const cover = covered(logEntry);
    expect([...rec.fields()].map((f) => f.replace(/^\[\]\.?/, '')).filter((f) => f && !cover.has(f))).toEqual([]);
    expect(servedProblems('team.integrationLogs', entries, logEntry)).toEqual([]);
    // the integration log's own listing completed in the crawl, from those entries
    expect(runs[0]!.summary.resources.find((r) => r.resourceType === integrationLogs.type)?.status).toBe('complete');
  });
});
