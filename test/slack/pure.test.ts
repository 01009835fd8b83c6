// Pure parts of the Slack provider: the integration-log replay, the error classification, the config.
import { describe, expect, it } from 'vitest';
import pkg from '@slack/web-api';
import { foldIntegrationLog, type LogEntry } from '../../connectors/slack/integration-state.ts';
import { slackHttpPolicy } from '../../connectors/slack/client.ts';
import { unsupportedBecause } from '../../connectors/slack/slack-errors.ts';
import { slackConfigSchema } from '../../connectors/slack/config.ts';

const e = (o: Partial<LogEntry> & { date: string; change_type: string }): LogEntry => o;

describe('foldIntegrationLog', () => {
  it('keeps the first installer, unions later scopes, and records who changed them', () => {
    const [app] = foldIntegrationLog('T1', [
      e({ app_id: 'A1', app_type: 'Tool', user_id: 'U2', user_name: 'bo', date: '200', change_type: 'updated', scope: 'files:read' }),
      e({ app_id: 'A1', app_type: 'Tool', user_id: 'U1', user_name: 'al', date: '100', change_type: 'added', scope: 'chat:write,users:read' }),
    ]);
    expect(app).toMatchObject({ kind: 'app', appId: 'A1', installedBy: { id: 'U1' }, updatedBy: { id: 'U2' }, scopes: ['chat:write', 'files:read', 'users:read'],
      installedAt: new Date(100_000).toISOString(), enabled: true });
  });

  it('drops removed apps (and their webhooks), keeps disabled ones disabled, and starts over on reinstall', () => {
    const out = foldIntegrationLog('T1', [
      e({ app_id: 'A1', date: '100', change_type: 'added', scope: 'incoming-webhook', channel: 'ops', user_id: 'U1' }),
      e({ app_id: 'A1', date: '200', change_type: 'removed' }),
      e({ service_id: 7, service_type: 'Slash Commands', date: '100', change_type: 'added', user_id: 'U1' }),
      e({ service_id: 7, service_type: 'Slash Commands', date: '300', change_type: 'disabled' }),
      e({ app_id: 'A2', date: '100', change_type: 'added', scope: 'chat:write', user_id: 'U1' }),
      e({ app_id: 'A2', date: '200', change_type: 'removed' }),
      e({ app_id: 'A2', date: '300', change_type: 'added', scope: 'users:read', user_id: 'U3' }),
    ]);
    expect(out.map((i) => [i.kind, i.appId ?? i.serviceId, i.enabled]).sort()).toEqual([['app', 'A2', true], ['service', '7', false]]);
    expect(out.find((i) => i.appId === 'A2')).toMatchObject({ installedBy: { id: 'U3' }, scopes: ['users:read'] });
  });

  it('redacts webhook URLs in free text', () => {
    const [svc] = foldIntegrationLog('T1', [e({ service_id: 9, service_type: 'Incoming WebHooks', date: '1', change_type: 'added', reason: 'see https://hooks.slack.com/services/T1/B2/abcSECRET' })]);
    expect(svc!.reason).toBe('see [REDACTED]');
  });
});

describe('slackHttpPolicy and unsupported', () => {
  it('pauses on a rate-limited error for Retry-After, retries 5xx and transient platform errors, not others', () => {
    expect(slackHttpPolicy.classify(new pkg.WebAPIRateLimitedError(7))).toEqual({ retry: true, waitMs: 7000, rateLimited: true });
    expect(slackHttpPolicy.classify(new pkg.WebAPIHTTPError(503, 'x', {}, '')).retry).toBe(true);
    expect(slackHttpPolicy.classify(new pkg.WebAPIHTTPError(404, 'x', {}, '')).retry).toBe(false);
    expect(slackHttpPolicy.classify(new pkg.WebAPIPlatformError({ ok: false, error: 'internal_error' })).retry).toBe(true);
    expect(slackHttpPolicy.classify(new pkg.WebAPIPlatformError({ ok: false, error: '{"ok":tr' })).retry).toBe(true);
    expect(slackHttpPolicy.classify(new pkg.WebAPIPlatformError({ ok: false, error: 'missing_scope' })).retry).toBe(false);
  });

  it('names the method and Slack\'s code for plan/token limits only', () => {
    const why = unsupportedBecause('team.integrationLogs');
    expect(why(new pkg.WebAPIPlatformError({ ok: false, error: 'missing_scope', needed: 'admin', provided: 'users:read' } as never)))
      .toBe('team.integrationLogs: Slack answered missing_scope (needs admin; token has users:read)');
    expect(why(new pkg.WebAPIPlatformError({ ok: false, error: 'paid_only' }))).toBe('team.integrationLogs: Slack answered paid_only');
    expect(why(new pkg.WebAPIPlatformError({ ok: false, error: 'invalid_auth' }))).toBeNull();
  });

  it('config needs exactly one of teamId or enterpriseId', () => {
    expect(slackConfigSchema.safeParse({ teamId: 'T1' }).success).toBe(true);
    expect(slackConfigSchema.safeParse({ enterpriseId: 'E1' }).success).toBe(true);
    expect(slackConfigSchema.safeParse({}).success).toBe(false);
    expect(slackConfigSchema.safeParse({ teamId: 'T1', enterpriseId: 'E1' }).success).toBe(false);
  });
});

describe('incremental replay', () => {
  it('replays on top of saved state, skipping entries at the watermark already seen', async () => {
    const { replayIntegrationLog, newerThan } = await import('../../connectors/slack/integration-state.ts');
    const first = [e({ app_id: 'A1', date: '100', change_type: 'added', scope: 'chat:write', user_id: 'U1' })];
    const { saved } = replayIntegrationLog('T1', first);
    expect(saved.watermark).toBe(100);
    const later = [e({ app_id: 'A1', date: '200', change_type: 'updated', scope: 'files:read', user_id: 'U2' }), ...first];
    const todo = newerThan(saved, later);
    expect(todo).toHaveLength(1);
    const { live } = replayIntegrationLog('T1', todo, JSON.parse(JSON.stringify(saved)));
    expect(live).toEqual(foldIntegrationLog('T1', later));
  });
});

describe('per-workspace rate buckets', () => {
  it('paces <method>@<team> at the method\'s declared tier, each workspace on its own budget', async () => {
    const { RateBudget } = await import('../../src/crawl/rate-budget.ts');
    const { bucketOf, declareSlackRates } = await import('../../connectors/slack/rates.ts');
    const budget = new RateBudget();
    declareSlackRates(budget, slackConfigSchema.parse({ enterpriseId: 'E1', tiers: { '2': { calls: 1, perMs: 30 } } }));
    expect(bucketOf('users.list', 'T1')).toBe('users.list@T1');
    expect(bucketOf('users.list')).toBe('users.list');
    // The first call on each workspace's bucket goes at once; a second on the same workspace waits for its slot.
    await budget.acquire('users.list@T1');
    await budget.acquire('users.list@T2');
    expect(budget.waitedMs).toBe(0);
    await budget.acquire('users.list@T1');
    expect(budget.waitedMs).toBeGreaterThan(0);
  });
});
