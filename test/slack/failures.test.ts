// What goes wrong: a failing method, Slack's tier rate limits, tokens and plans that cannot list a
// resource, and secrets that must never reach the database or the logs.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSlackScenario, slackPlanted, TEAM_ID } from '../../scenarios/demo/slack.ts';
import { SIM_SLACK_TOKEN } from '../../connectors/slack/simulator/routes.ts';
import { rows, startSimCrawl } from '../helpers/sim-crawl.ts';

const status = (s: { resources: { resourceType: string; status: string }[] }) => Object.fromEntries(s.resources.map((r) => [r.resourceType, r.status]));

describe('slack failures', () => {
  it('a failing users.list leaves the run partial, removes nothing it owns, and the other resources complete', async () => {
    const c = await startSimCrawl('slack', buildSlackScenario());
    try {
      expect((await c.crawl()).status).toBe('complete');
      c.sim.setFaults([{ route: 'users.list', kind: 'status', status: 500 }]);
      const s = await c.crawl();
      expect(s.status).toBe('partial');
      const st = status(s);
      expect(st['slack.users']).toBe('failed');
      expect(st['slack.workspaces']).toBe('complete');
      expect(st['slack.integration_logs']).toBe('complete');
      expect(s.resources.find((r) => r.resourceType === 'slack.users')!.error).toMatch(/500/);
      // Retried by the engine (maxRetries 2 in tests), not by the SDK: three requests in this run.
      expect(c.sim.log.filter((e) => e.route === 'users.list' && e.status === 500)).toHaveLength(3);
      expect(rows(c.db, "SELECT entity_id FROM change_log WHERE run_id = ? AND change = 'removed'", s.runId)).toEqual([]);
      expect(rows<{ n: number }>(c.db, "SELECT count(*) n FROM nodes WHERE type IN ('slack.user', 'slack.bot') AND removed_run IS NOT NULL")[0]!.n).toBe(0);
    } finally { await c.close(); }
  });

  it('honours 429 + Retry-After per method: no request to that method before the wait, then the listing completes', async () => {
    const block = buildSlackScenario();
    block.tiers = { '2': { limit: 2, windowMs: 1000 } };
    const c = await startSimCrawl('slack', block);
    try {
      // Pace faster than the simulator allows, so it answers 429.
      const s = await c.crawl({ configPatch: { pageSize: 20, tiers: { '2': { calls: 1000, perMs: 1000 }, '3': { calls: 1000, perMs: 1000 } } }, retry: { maxRetries: 5 } });
      expect(s.status).toBe('complete');
      const log = c.sim.log.filter((e) => e.route === 'users.list');
      const limited = log.filter((e) => e.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      for (const hit of limited) {
        const next = log[log.indexOf(hit) + 1];
        expect(next, 'the call is retried').toBeDefined();
        // Retry-After is at least 1 s in the simulator: the retry waits for it.
        expect(next!.at - hit.at).toBeGreaterThanOrEqual(950);
      }
      const users = s.resources.find((r) => r.resourceType === 'slack.users')!;
      expect(users.retries).toBe(limited.length);
      const pages = Math.ceil(block.workspaces[0]!.users.length / 20);
      expect(log.filter((e) => e.status === 200)).toHaveLength(pages);
      expect(log.filter((e) => e.status === 200).length + limited.length).toBe(log.length);
    } finally { await c.close(); }
  });

  it('a token lacking a scope marks just that resource unsupported, naming Slack\'s error and the scope', async () => {
    const block = buildSlackScenario();
    block.token.scopes = block.token.scopes.filter((s) => s !== 'admin' && s !== 'users:read.email');
    const c = await startSimCrawl('slack', block);
    try {
      const s = await c.crawl();
      const logs = s.resources.find((r) => r.resourceType === 'slack.integration_logs')!;
      expect(logs.status).toBe('unsupported');
      expect(logs.error).toMatch(/team\.integrationLogs: Slack answered missing_scope \(needs admin/);
      expect(status(s)['slack.users']).toBe('complete');
      // Without users:read.email Slack leaves emails out: principals are still written, with email null.
      expect(rows(c.db, "SELECT count(*) n FROM principals WHERE email IS NOT NULL")).toEqual([{ n: 0 }]);
      // Apps are still known through their bot users, without installer or scopes.
      expect(rows(c.db, "SELECT json_extract(props, '$.seen_via') via, scope_count FROM connectors WHERE app_id = ?", slackPlanted.departedBotApp.id))
        .toEqual([{ via: 'users.list', scope_count: 0 }]);
      expect(s.status).toBe('complete');
    } finally { await c.close(); }
  });

  it('names paid_only on a free plan and not_allowed_token_type for a bot token', async () => {
    const free = buildSlackScenario();
    free.plan = 'free';
    const c1 = await startSimCrawl('slack', free);
    try {
      const s = await c1.crawl();
      expect(s.resources.find((r) => r.resourceType === 'slack.integration_logs')!.error).toMatch(/Slack answered paid_only/);
    } finally { await c1.close(); }
    const bot = buildSlackScenario();
    bot.token.type = 'bot';
    const c2 = await startSimCrawl('slack', bot);
    try {
      const s = await c2.crawl();
      expect(s.resources.find((r) => r.resourceType === 'slack.integration_logs')!.error).toMatch(/Slack answered not_allowed_token_type/);
      expect(status(s)['slack.users']).toBe('complete');
    } finally { await c2.close(); }
  });

  it('an invalid token is a failure, not an unsupported resource', async () => {
    const c = await startSimCrawl('slack', buildSlackScenario());
    try {
      const s = await c.crawl({ env: { NHI_SIM_SLACK_TOKEN: 'xoxp-0000000000-wrong-token-value' } });
      expect(s.status).toBe('failed');
      // the Grid-only listings do not exist on a standalone workspace (config teamId): not_applicable, whatever the token
      const gridOnly = ['slack.approved_apps', 'slack.restricted_apps', 'slack.workflows'];
      expect(s.resources.filter((r) => !gridOnly.includes(r.resourceType)).every((r) => r.status === 'failed')).toBe(true);
      expect(status(s)['slack.workspaces']).toBe('failed');
      expect(status(s)['slack.users']).toBe('failed');
      expect(s.resources.find((r) => r.resourceType === 'slack.workspaces')!.error).toMatch(/invalid_auth/);
      for (const t of gridOnly) expect(status(s)[t], t).toBe('not_applicable');
      expect(rows(c.db, 'SELECT id FROM nodes')).toEqual([]);
    } finally { await c.close(); }
  });

  it('keeps the token and the incoming webhook URL out of the database file and the logs', async () => {
    const c = await startSimCrawl('slack', buildSlackScenario());
    try {
      // A retried failure too, so error paths log as well.
      c.sim.setFaults([{ route: 'team.integrationLogs', kind: 'status', status: 502, times: 1 }]);
      expect((await c.crawl()).status).toBe('complete');
      c.db.pragma('wal_checkpoint(FULL)');
      const secretPath = new URL(slackPlanted.webhookUrl).pathname;
      const bytes = [c.dbFile, `${c.dbFile}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1')).join('');
      const logs = c.logs.join('\n');
      expect(logs).toMatch(/retrying API call/);
      for (const secret of [SIM_SLACK_TOKEN, secretPath, secretPath.split('/').pop()!]) {
        expect(bytes.includes(secret), `db holds ${secret}`).toBe(false);
        expect(logs.includes(secret), `logs hold ${secret}`).toBe(false);
      }
      // The webhook is still there: its channel and workspace, not its URL.
      expect(rows(c.db, 'SELECT channel FROM (SELECT json_extract(props, \'$.channel\') channel FROM nodes WHERE id = ?)', `slack:service:${TEAM_ID}:${slackPlanted.orphanWebhook.serviceId}`))
        .toEqual([{ channel: slackPlanted.orphanWebhook.channel }]);
    } finally { await c.close(); }
  });
});
