// The Google client without a crawl: error classification (Google's quota 403s and 429s are rate limits
// with Retry-After; other 403s are not retried), and the real auth path — a service-account JWT with a
// subject (domain-wide delegation) — exercised against the simulator with the token endpoint intercepted,
// so no network is used and the signed assertion can be read.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAuth, createGoogleClient, googleHttpPolicy, GoogleHttpError, WORKSPACE_SCOPES, CLOUD_SCOPES } from '../../connectors/google/client.ts';
import { googleConfigSchema } from '../../connectors/google/config.ts';
import { googleTime } from '../../connectors/google/map-helpers.ts';
import { startGoogleSimulator } from '../../connectors/google/simulator/index.ts';
import { HttpRuntime } from '../../src/crawl/http-call.ts';
import { RateBudget } from '../../src/crawl/rate-budget.ts';
import type { SimulatorHandle } from '../../src/simulator/server.ts';
import { createLogger } from '../../src/util/log.ts';
import { demoGoogle } from './fixtures.ts';

const err = (status: number, reason?: string, headers: Record<string, string> = {}) => new GoogleHttpError({ status, headers: new Headers(headers),
  data: { error: { code: status, message: 'x', ...(reason ? { errors: [{ reason, domain: 'usageLimits', message: 'x' }] } : {}) } } });

describe('google http policy', () => {
  test.each(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded'])('403 %s is a rate limit honouring Retry-After', (reason) => {
    expect(googleHttpPolicy.classify(err(403, reason, { 'retry-after': '7' }))).toEqual({ retry: true, rateLimited: true, waitMs: 7000 });
  });
  test('429 is a rate limit; without Retry-After the engine backs off', () => {
    expect(googleHttpPolicy.classify(err(429, undefined, { 'retry-after': '2' }))).toEqual({ retry: true, rateLimited: true, waitMs: 2000 });
    expect(googleHttpPolicy.classify(err(429))).toEqual({ retry: true, rateLimited: true, waitMs: undefined });
  });
  test('other 403s and 4xx are final; 5xx and network errors are retried', () => {
    expect(googleHttpPolicy.classify(err(403, 'insufficientPermissions'))).toEqual({ retry: false });
    expect(googleHttpPolicy.classify(err(404, 'notFound'))).toEqual({ retry: false });
    expect(googleHttpPolicy.classify(err(400, 'invalid'))).toEqual({ retry: false });
    expect(googleHttpPolicy.classify(err(503))).toEqual({ retry: true });
    expect(googleHttpPolicy.classify(new TypeError('fetch failed'))).toEqual({ retry: true });
    // a GaxiosError-shaped error (plain headers) reads the same
    expect(googleHttpPolicy.classify({ status: 403, response: { status: 403, headers: { 'retry-after': '3' },
      data: { error: { errors: [{ reason: 'userRateLimitExceeded' }] } } } })).toEqual({ retry: true, rateLimited: true, waitMs: 3000 });
  });
  test('"never" times are null', () => {
    expect(googleTime('9999-12-31T23:59:59Z')).toBeNull();
    expect(googleTime('1970-01-01T00:00:00.000Z')).toBeNull();
    expect(googleTime('2026-01-02T03:04:05Z')).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('google auth', () => {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyJson = JSON.stringify({ type: 'service_account', client_email: 'nhi-census@sec-tools.iam.gserviceaccount.com', private_key: pem, private_key_id: 'k1' });
  const env = { GOOGLE_SERVICE_ACCOUNT_KEY: keyJson };
  let sim: SimulatorHandle;
  beforeAll(async () => { sim = await startGoogleSimulator(demoGoogle()); });
  afterAll(async () => { await sim?.close(); });

  test('Workspace uses a delegated JWT (subject = the admin) with the Admin SDK scopes; Cloud the account itself, read-only', () => {
    const cfg = googleConfigSchema.parse({ domain: 'Halcyon-Logistics.com', auth: { subject: 'crawler-admin@halcyon-logistics.com' } });
    const auth = createAuth(cfg, env);
    expect(auth.workspace).toMatchObject({ subject: 'crawler-admin@halcyon-logistics.com', email: 'nhi-census@sec-tools.iam.gserviceaccount.com', scopes: [...WORKSPACE_SCOPES] });
    expect((auth.cloud as { subject?: string }).subject).toBeUndefined();
    expect((auth.cloud as { scopes?: string[] }).scopes).toEqual([...CLOUD_SCOPES]);
    expect(cfg.domain).toBe('halcyon-logistics.com');
  });

  test('Workspace without a subject, or no credentials at all, is a configuration error', () => {
    expect(() => createAuth(googleConfigSchema.parse({ domain: 'x.com' }), env)).toThrow(/subject/);
    expect(() => createAuth(googleConfigSchema.parse({ domain: 'x.com', auth: { subject: 'a@x.com' } }), {})).toThrow(/GOOGLE_SERVICE_ACCOUNT_KEY/);
    expect(() => createAuth(googleConfigSchema.parse({ domain: 'x.com', workspace: false }), env)).not.toThrow();
  });

  test('the delegated JWT signs sub = admin and is used as the bearer against the API (token endpoint intercepted)', async () => {
    const cfg = googleConfigSchema.parse({ domain: 'halcyon-logistics.com', rootUrl: sim.url, auth: { subject: 'crawler-admin@halcyon-logistics.com' } });
    const logs: string[] = [];
    const http = new HttpRuntime(googleHttpPolicy, new RateBudget(), createLogger({ format: 'json', level: 'debug', write: (l) => logs.push(l) }));
    const client = createGoogleClient(cfg, http, env);
    const assertions: string[] = [];
    const transporter = client.auth.workspace.transporter;
    const real = transporter.request.bind(transporter);
    transporter.request = (async (opts: { url?: unknown; data?: unknown; body?: unknown }) => {
      if (String(opts.url).startsWith('https://oauth2.googleapis.com/token')) {
        assertions.push(String(new URLSearchParams(String(opts.data ?? opts.body ?? '')).get('assertion') ?? ''));
        return { status: 200, data: { access_token: 'ya29.delegated-test-token-0000', expires_in: 3600, token_type: 'Bearer' }, headers: new Headers() };
      }
      return real(opts as never);
    }) as typeof transporter.request;
    const res = await client.directory.users.list({ customer: 'my_customer', maxResults: 5 });
    expect(res.data.users?.length).toBe(5);
    expect(assertions.length).toBe(1);
    const claims = JSON.parse(Buffer.from(assertions[0]!.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'nhi-census@sec-tools.iam.gserviceaccount.com', sub: 'crawler-admin@halcyon-logistics.com',
      scope: WORKSPACE_SCOPES.join(' '), aud: 'https://oauth2.googleapis.com/token' });
    expect(sim.log.at(-1)).toMatchObject({ route: 'users', status: 200 });
    expect(logs.join('\n')).not.toContain('ya29.delegated');
  });
});
