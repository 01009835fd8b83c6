// The demo workspace crawled with the real WebClient against the simulator: every planted object lands
// in the graph with the right kinds, normalised props and edges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSlackScenario, slackPlanted, TEAM_ID, userId } from '../../scenarios/demo/slack.ts';
import { company } from '../../scenarios/demo/company.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { props, rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

let c: SimCrawl;
let summary: CrawlSummary;
const app = (id: string) => `slack:app:${TEAM_ID}:${id}`;
const edge = (from: string, type: string, to: string) =>
  rows(c.db, 'SELECT props FROM edges WHERE src = ? AND type = ? AND dst = ? AND removed_run IS NULL', from, type, to);

beforeAll(async () => {
  c = await startSimCrawl('slack', buildSlackScenario());
  summary = await c.crawl();
});
afterAll(async () => { await c.close(); });

describe('slack demo workspace', () => {
  it('completes the workspace resources and marks the Grid-only ones not_applicable (a standalone workspace), asking Slack nothing', () => {
    const by = Object.fromEntries(summary.resources.map((r) => [r.resourceType, r]));
    for (const t of ['slack.workspaces', 'slack.users', 'slack.bots', 'slack.integration_logs', 'slack.channels']) expect(by[t]?.status, t).toBe('complete');
    for (const t of ['slack.approved_apps', 'slack.restricted_apps', 'slack.app_requests', 'slack.workflows']) {
      expect(by[t]?.status, t).toBe('not_applicable');
      expect(by[t]?.error).toMatch(/Enterprise Grid only/);
    }
    expect(summary.status).toBe('complete');
  });

  it('maps the workspace as the tenant', () => {
    expect(rows(c.db, "SELECT id, name FROM nodes WHERE kind = 'tenant'")).toEqual([{ id: `slack:team:${TEAM_ID}`, name: company.name }]);
    expect(props(c.db, `slack:team:${TEAM_ID}`)).toMatchObject({ team_id: TEAM_ID, domain: 'halcyon-logistics' });
  });

  it('maps people as principals with email and status; departed people are deleted; Slackbot is skipped', () => {
    const humans = rows<{ n: number }>(c.db, "SELECT count(*) n FROM nodes WHERE kind = 'principal' AND removed_run IS NULL")[0]!.n;
    expect(humans).toBe(company.everyone.length);
    expect(rows(c.db, "SELECT id FROM nodes WHERE id LIKE '%USLACKBOT%'")).toEqual([]);
    const departed = company.everyone.findIndex((p) => p.github === 'rkowalski');
    expect(props(c.db, `slack:user:${userId(departed)}`)).toMatchObject({ status: 'deleted', email: company.everyone[departed]!.email, emails: [company.everyone[departed]!.email] });
    expect(props(c.db, `slack:user:${userId(0)}`)).toMatchObject({ status: 'active', is_admin: true, is_owner: true });
    expect(props(c.db, `slack:user:${userId(5)}`)).toMatchObject({ status: 'active', is_admin: false });
    expect(edge(`slack:user:${userId(0)}`, 'IN_TENANT', `slack:team:${TEAM_ID}`)).toHaveLength(1);
  });

  it('maps the app with admin scopes, its installer and every scope', () => {
    const a = slackPlanted.adminApp;
    expect(props(c.db, app(a.id))).toMatchObject({ connector_type: 'slack_app', app_id: a.id, enabled: true, installed_by: userId(0) });
    const scopes = rows<{ name: string }>(c.db, "SELECT s.name FROM edges e JOIN nodes s ON s.id = e.dst WHERE e.src = ? AND e.type = 'HAS_SCOPE' ORDER BY 1", app(a.id)).map((r) => r.name);
    expect(scopes).toEqual(expect.arrayContaining(a.scopes));
    expect(rows(c.db, "SELECT kind, name FROM nodes WHERE id = 'slack:scope:admin'")).toEqual([{ kind: 'scope', name: 'admin' }]);
    expect(edge(app(a.id), 'INSTALLED_BY', `slack:user:${userId(0)}`)).toHaveLength(1);
    expect(rows(c.db, 'SELECT name FROM connectors WHERE id = ?', app(a.id))).toEqual([{ name: a.name }]);
  });

  it('links the bot installed by a departed employee to its app and the app to the deleted installer', () => {
    const b = slackPlanted.departedBotApp;
    const departed = company.everyone.findIndex((p) => p.github === b.installer);
    // The bot user is the app's identity: one connector, owned (and described) by the integration log.
    expect(rows(c.db, 'SELECT id FROM connectors WHERE app_id = ?', b.id)).toEqual([{ id: app(b.id) }]);
    expect(rows(c.db, 'SELECT id FROM nodes WHERE id = ?', `slack:bot:${b.botId}`)).toEqual([]);
    expect(props(c.db, app(b.id))).toMatchObject({ connector_type: 'slack_app', installed_by: userId(departed), scopes: expect.arrayContaining(['bot', 'chat:write']) });
    expect(edge(app(b.id), 'INSTALLED_BY', `slack:user:${userId(departed)}`)).toHaveLength(1);
    const owner = rows(c.db, 'SELECT principal_status FROM owners WHERE connector_id = ?', app(b.id));
    expect(owner).toEqual([{ principal_status: 'deleted' }]);
    // The legacy custom bot, also set up by someone who has left.
    const legacy = `slack:service:${TEAM_ID}:${slackPlanted.departedLegacyBot.serviceId}`;
    expect(props(c.db, legacy)).toMatchObject({ connector_type: 'legacy_bot', service_type: 'Bots' });
    expect(rows(c.db, 'SELECT principal_status FROM owners WHERE connector_id = ?', legacy)).toEqual([{ principal_status: 'deleted' }]);
  });

  it('maps incoming webhooks as connectors forwarding to their channel, keeping channel and app, never the URL', () => {
    const orphan = `slack:service:${TEAM_ID}:${slackPlanted.orphanWebhook.serviceId}`;
    expect(props(c.db, orphan)).toMatchObject({ connector_type: 'incoming_webhook', channel: slackPlanted.orphanWebhook.channel, installed_by: null });
    expect(rows(c.db, 'SELECT * FROM owners WHERE connector_id = ?', orphan)).toEqual([]);
    // the log names the channel by id; conversations.info names it; the forwards view lists it as a channel, not a host
    expect(rows(c.db, 'SELECT host, channel, channel_id FROM forwards WHERE connector_id = ?', orphan))
      .toEqual([{ host: null, channel: '#alerts-prod', channel_id: slackPlanted.orphanWebhook.channel }]);
    expect(props(c.db, `slack:endpoint:${TEAM_ID}:${slackPlanted.orphanWebhook.channel}`)).toEqual({ endpoint_type: 'channel', channel: slackPlanted.orphanWebhook.channel,
      channel_id: slackPlanted.orphanWebhook.channel, channel_name: 'alerts-prod', team_id: TEAM_ID, via: 'hooks.slack.com', is_private: false, is_archived: false });
    expect(String(props(c.db, orphan).reason)).toContain('[REDACTED]');
    const hook = `slack:incoming_webhook:${TEAM_ID}:${slackPlanted.appWebhook.appId}:${slackPlanted.appWebhook.channel}`;
    expect(props(c.db, hook)).toMatchObject({ connector_type: 'incoming_webhook', app_id: slackPlanted.appWebhook.appId, channel: slackPlanted.appWebhook.channel });
    expect(JSON.parse(String(edge(hook, 'FORWARDS_TO', `slack:endpoint:${TEAM_ID}:${slackPlanted.appWebhook.channel}`)[0]!.props)))
      .toMatchObject({ channel: slackPlanted.appWebhook.channel, app_id: slackPlanted.appWebhook.appId });
    expect(rows(c.db, 'SELECT channel FROM forwards WHERE connector_id = ?', hook)).toEqual([{ channel: '#ops-alerts' }]);
  });

  it('keeps a removed app (and its deleted bot user) out of the graph', () => {
    expect(rows(c.db, 'SELECT id FROM nodes WHERE id = ? OR id = ?', app(slackPlanted.removedApp.id), 'slack:bot:B0OLDPOLL1')).toEqual([]);
  });

  it('has one connector per app, plus one per incoming webhook', () => {
    expect(rows(c.db, "SELECT app_id, count(*) n FROM connectors WHERE app_id IS NOT NULL AND connector_type != 'incoming_webhook' GROUP BY 1 HAVING n > 1")).toEqual([]);
  });

  it('asks bots.info only for the bot whose profile does not name its app', () => {
    expect(c.sim.log.filter((e) => e.route === 'bots.info').length).toBe(1);
    expect(props(c.db, 'slack:bot:B0LEGACYB1')).toMatchObject({ app_id: null, connector_type: 'bot' });
  });
});
