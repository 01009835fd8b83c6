// Slack in the vendor's own forms (issue 14, item 5): an enterprise id (E…) is its own tenant node with the
// workspaces as members — also when a workflow names it as its team_id; integration-log channels are channel
// ids (C…), kept as ids and named through conversations.info when the token can read the channel (an unreadable
// one is recorded as such, never failing the log); the forwards view keeps chat channels out of `host`.
import { afterAll, describe, expect, it } from 'vitest';
import type { SimLog, SlackScenario } from '../../connectors/slack/simulator/scenario.ts';
import { loadSnapshot } from '../../src/graph/reconcile-snapshot.ts';
import { props, rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

const open: SimCrawl[] = [];
afterAll(async () => { for (const c of open) await c.close(); });
async function crawl(s: SlackScenario, configPatch?: Record<string, unknown>) {
  const c = await startSimCrawl('slack', s);
  open.push(c);
  const summary = await c.crawl({ configPatch });
  return { c, summary, status: Object.fromEntries(summary.resources.map((r) => [r.resourceType, r.status])),
    error: Object.fromEntries(summary.resources.map((r) => [r.resourceType, r.error])) };
}
const edges = (c: SimCrawl, type: string, from: string) =>
  rows<{ dst: string }>(c.db, 'SELECT dst FROM edges WHERE type = ? AND src = ? AND removed_run IS NULL ORDER BY 1', type, from).map((r) => r.dst);

const ENT = 'EORG00001';
function grid(scopes: string[]): SlackScenario {
  return {
    plan: 'enterprise', enterprise: { id: ENT, name: 'Org' },
    token: { type: 'user', orgLevel: true, scopes },
    workspaces: [{ team: { id: 'TORG00001', name: 'One', domain: 'one' }, users: [{ id: 'W1', name: 'ana', team_id: 'TORG00001' }], integrationLogs: [] }],
    // Slack's recorded admin.workflows.search answers name the org (E…) as a workflow's team_id.
    workflows: [{ id: 'Wf01', title: 'Org-wide triage', team_id: ENT, collaborators: ['W1'], steps: [{ id: 's1', function_id: 'A0JIRA#/functions/create_issue' }] }],
  };
}

describe('slack enterprise ids', () => {
  it('links a workflow whose team_id is the enterprise id to the enterprise tenant node, holding its workspaces', async () => {
    const { c, status } = await crawl(grid(['admin', 'team:read', 'users:read', 'admin.teams:read', 'admin.workflows:read']));
    expect(status['slack.workflows']).toBe('complete');
    expect(edges(c, 'IN_TENANT', 'slack:workflow:Wf01')).toEqual([`slack:enterprise:${ENT}`]);
    expect(rows(c.db, 'SELECT kind, type FROM nodes WHERE id = ?', `slack:enterprise:${ENT}`)).toEqual([{ kind: 'tenant', type: 'slack.enterprise' }]);
    expect(rows(c.db, "SELECT id FROM nodes WHERE id LIKE 'slack:team:E%'")).toEqual([]);
    expect(edges(c, 'IN_TENANT', 'slack:team:TORG00001')).toEqual([`slack:enterprise:${ENT}`]);
  });

  it('creates the enterprise tenant node from the workflow alone when the workspace list is not readable', async () => {
    const { c, status } = await crawl(grid(['admin', 'team:read', 'users:read', 'admin.workflows:read']));
    expect(status['slack.workspaces']).toBe('unsupported');
    expect(edges(c, 'IN_TENANT', 'slack:workflow:Wf01')).toEqual([`slack:enterprise:${ENT}`]);
    expect(rows(c.db, 'SELECT kind, type FROM nodes WHERE id = ?', `slack:enterprise:${ENT}`)).toEqual([{ kind: 'tenant', type: 'slack.enterprise' }]);
  });

  it('makes a Grid workspace crawled with its own token a member of its enterprise (team.info enterprise_id)', async () => {
    const s = grid(['admin', 'team:read', 'users:read']);
    s.token.orgLevel = false;
    const { c, status } = await crawl(s, { enterpriseId: undefined, teamId: 'TORG00001' });
    expect(status['slack.workspaces']).toBe('complete');
    expect(rows(c.db, 'SELECT kind, type, name FROM nodes WHERE id = ?', `slack:enterprise:${ENT}`)).toEqual([{ kind: 'tenant', type: 'slack.enterprise', name: 'Org' }]);
    expect(edges(c, 'IN_TENANT', 'slack:team:TORG00001')).toEqual([`slack:enterprise:${ENT}`]);
  });
});

const TEAM = 'TCHAN0001';
const hookLogs: SimLog[] = [
  // Slack's spec and samples: `channel` is the channel id.
  { service_id: 5000777, service_type: 'Incoming WebHooks', channel: 'C0ALERTS01', date: '1700000300', change_type: 'added', scope: 'incoming-webhook' },
  { app_id: 'A0GRAFANA1', app_type: 'Grafana', user_id: 'U1', user_name: 'ana', channel: 'C0OPS00001', date: '1700000200', change_type: 'added', scope: 'incoming-webhook' },
  { app_id: 'A0SECRET01', app_type: 'Audit Relay', user_id: 'U1', user_name: 'ana', channel: 'G0PRIVATE1', date: '1700000100', change_type: 'added', scope: 'incoming-webhook' },
];
function workspace(scopes: string[]): SlackScenario {
  return {
    plan: 'business_plus', token: { type: 'user', scopes },
    workspaces: [{ team: { id: TEAM, name: 'Chan', domain: 'chan' }, users: [{ id: 'U1', name: 'ana', team_id: TEAM }], integrationLogs: hookLogs,
      channels: [
        { id: 'C0ALERTS01', name: 'alerts-prod', is_channel: true, is_private: false },
        { id: 'C0OPS00001', name: 'ops-alerts', is_channel: true, is_private: false },
        // a private channel the token's user is not in: conversations.info answers channel_not_found
        { id: 'G0PRIVATE1', name: 'audit-private', is_private: true, is_member: false },
      ] }],
  };
}
const BASE = ['admin', 'team:read', 'users:read'];

describe('slack integration-log channels', () => {
  it('keeps channel ids, names the channels it can read, and records the one it cannot without failing the log', async () => {
    const { c, status, error } = await crawl(workspace([...BASE, 'channels:read', 'groups:read']));
    expect(status['slack.integration_logs']).toBe('complete');
    // one of three channels not readable: the worst of its listings (never complete, never a failure)
    expect(status['slack.channels']).toMatch(/^(unsupported|partial)$/);
    expect(error['slack.channels']).toMatch(/channel_not_found/);
    const legacy = `slack:service:${TEAM}:5000777`;
    expect(props(c.db, legacy)).toMatchObject({ connector_type: 'incoming_webhook', channel: 'C0ALERTS01' });
    expect(edges(c, 'FORWARDS_TO', legacy)).toEqual([`slack:endpoint:${TEAM}:C0ALERTS01`]);
    expect(rows(c.db, 'SELECT kind, type, name FROM nodes WHERE id = ?', `slack:endpoint:${TEAM}:C0ALERTS01`))
      .toEqual([{ kind: 'endpoint', type: 'slack.channel', name: '#alerts-prod' }]);
    expect(props(c.db, `slack:endpoint:${TEAM}:C0ALERTS01`)).toMatchObject({ endpoint_type: 'channel', channel_id: 'C0ALERTS01', channel_name: 'alerts-prod' });
    expect(props(c.db, `slack:incoming_webhook:${TEAM}:A0GRAFANA1:C0OPS00001`)).toMatchObject({ channel: 'C0OPS00001', app_id: 'A0GRAFANA1' });
    // unreadable: kept as its id
    expect(rows(c.db, 'SELECT name FROM nodes WHERE id = ?', `slack:endpoint:${TEAM}:G0PRIVATE1`)).toEqual([{ name: 'G0PRIVATE1' }]);
    expect(rows(c.db, "SELECT host, channel, channel_id FROM forwards WHERE provider = 'slack' ORDER BY channel_id")).toEqual([
      { host: null, channel: '#alerts-prod', channel_id: 'C0ALERTS01' },
      { host: null, channel: '#ops-alerts', channel_id: 'C0OPS00001' },
      { host: null, channel: 'G0PRIVATE1', channel_id: 'G0PRIVATE1' },
    ]);
  });

  it('records the channel names unsupported (naming the scope) when the token cannot list channels, and the log complete', async () => {
    const { c, status, error } = await crawl(workspace(BASE));
    expect(status['slack.integration_logs']).toBe('complete');
    expect(status['slack.channels']).toBe('unsupported');
    expect(error['slack.channels']).toMatch(/missing_scope.*channels:read/);
    expect(rows(c.db, 'SELECT name FROM nodes WHERE id = ?', `slack:endpoint:${TEAM}:C0ALERTS01`)).toEqual([{ name: 'C0ALERTS01' }]);
    expect(rows(c.db, "SELECT count(*) n FROM forwards WHERE provider = 'slack' AND host IS NOT NULL")).toEqual([{ n: 0 }]);
    expect(rows(c.db, "SELECT channel FROM forwards WHERE provider = 'slack' ORDER BY 1").map((r) => (r as { channel: string }).channel))
      .toEqual(['C0ALERTS01', 'C0OPS00001', 'G0PRIVATE1']);
  });

  it('keeps chat channels out of the network destinations rules and matching read', async () => {
    const { c } = await crawl(workspace([...BASE, 'channels:read']));
    const snap = loadSnapshot(c.db);
    const legacy = `slack:service:${TEAM}:5000777`;
    expect(snap.forwardsOf.get(legacy)).toBeUndefined();
    expect(snap.channelsOf.get(legacy)).toEqual([expect.objectContaining({ channel: '#alerts-prod', channelId: 'C0ALERTS01' })]);
  });
});
