// Google's quota answers are honoured by the engine's one retry policy (the SDK's retry is off): the Admin
// SDK's 403 rateLimitExceeded and Cloud's 429 RESOURCE_EXHAUSTED, each with Retry-After, pause the API's
// bucket and the same request is sent again only after the wait — the simulator's request log shows it.
import { afterEach, expect, test } from 'vitest';
import { startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { demoGoogle, fastQuotas } from './fixtures.ts';

let c: SimCrawl | undefined;
afterEach(async () => { await c?.close(); c = undefined; });

test('403 rateLimitExceeded and 429 with Retry-After: no retry before the wait, and the run completes', async () => {
  const s = demoGoogle();
  s.users = s.users.slice(0, 14);
  s.quotas = { directory: { limit: 6, windowMs: 1000, answer: 403 }, resourceManager: { limit: 3, windowMs: 1000, answer: 429 } };
  c = await startSimCrawl('google', s);
  // declared pacing far above the simulator's quota, so the quota is hit and answered
  const run = await c.crawl({ configPatch: fastQuotas, retry: { maxRetries: 10 } });
  expect(run.status).toBe('complete');

  const limited = c.sim.log.filter((e) => e.status === 429 || e.status === 403);
  expect(limited.some((e) => e.status === 403 && e.bucket === 'directory')).toBe(true);
  expect(limited.some((e) => e.status === 429 && e.bucket === 'resourceManager')).toBe(true);
  expect(run.totals.retries).toBeGreaterThanOrEqual(limited.length);
  for (const e of limited) {
    const again = c.sim.log.find((x) => x.at >= e.at && x !== e && x.method === e.method && x.path === e.path && x.query === e.query
      && c!.sim.log.indexOf(x) > c!.sim.log.indexOf(e));
    expect(again, `${e.method} ${e.path} was retried`).toBeDefined();
    // the simulator said Retry-After: 1 (s)
    expect(again!.at - e.at, `${e.method} ${e.path}${e.query}`).toBeGreaterThanOrEqual(999);
  }
  const retryLogs = c.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'retrying API call');
  expect(retryLogs.length).toBeGreaterThan(0);
  expect(retryLogs.every((l) => l.wait_ms >= 1000)).toBe(true);
  // every user's grants were listed despite the quota
  expect(run.resources.find((r) => r.resourceType === 'google.oauth_tokens')).toMatchObject({ status: 'complete', listings: 14 + s.deletedUsers!.length });
});

test('a 403 that is not a quota signal is not retried: the listing is unsupported, naming what it needs', async () => {
  const s = demoGoogle();
  s.users = s.users.slice(0, 3);
  s.deletedUsers = [];
  c = await startSimCrawl('google', s, { faults: [{ route: 'tokens', kind: 'status', status: 403,
    body: { error: { code: 403, message: 'Request had insufficient authentication scopes.', errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }] } } }] });
  const run = await c.crawl({ configPatch: fastQuotas });
  const tok = run.resources.find((r) => r.resourceType === 'google.oauth_tokens')!;
  expect(tok.status).toBe('unsupported');
  expect(tok.error).toContain('admin.directory.user.security');
  expect(c.sim.log.filter((e) => e.route === 'tokens').length).toBe(3); // once per user, never again
});
