// Issue 13 item 17: what retrying cannot fix fails the provider at once. An unresolvable host, an untrusted
// TLS certificate, a rejected credential (401) and a key file that is not a key end every listing of the
// provider after at most one attempt — no retries, nothing more sent — with a message naming the host (and
// the errno or certificate error) or the file, and the likely fix. Retry settings are small, so the old
// behaviour (retrying each of them) shows as retries > 0, not as a long wait.
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { buildGoogleScenario } from '../../scenarios/demo/google.ts';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { errorMessage } from '../../src/crawl/errors.ts';
import { annotateHost, findNetworkFault, permanentNetworkFailure } from '../../src/crawl/permanent-errors.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

let run: SimCrawl | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await run?.close(); run = undefined;
  for (const c of cleanups.splice(0)) await c();
});

const UNRESOLVABLE = 'nonexistent.invalid'; // RFC 6761: never resolves
const RETRY = { maxRetries: 3, baseDelayMs: 5 };

/**
 * Per provider: the config fields that point it at a host (the simulator supplies the rest), and how many
 * attempts first contact takes — GitHub App auth mints an installation token (a request of its own, through
 * the same policy) inside the first call, so its first call counts two.
 */
const PROVIDERS: Record<string, { scenario: () => unknown; at(origin: string): Record<string, unknown>; firstContact: number }> = {
  github: { scenario: () => buildGithubScenario(), at: (o) => ({ baseUrl: o }), firstContact: 2 },
  slack: { scenario: () => buildSlackScenario(), at: (o) => ({ slackApiUrl: `${o}/api/` }), firstContact: 1 },
  google: { scenario: () => buildGoogleScenario(), at: (o) => ({ rootUrl: `${o}/` }), firstContact: 1 },
  // the Entra authority stays the simulator's: only Graph and ARM move
  azure: { scenario: () => buildAzureScenario(), at: (o) => ({ graphBaseUrl: o, armBaseUrl: o }), firstContact: 1 },
};

/** Requests that reached the simulator's API (not its Entra authority, which the Azure tests keep). */
const apiHits = (r: SimCrawl) => r.sim.log.filter((e) => !/openid-configuration|\/oauth2\//.test(e.path));

/**
 * Every ledger row of the run failed (but those the plan does not have, e.g. Slack's Grid-only listings on a
 * workspace: not_applicable, asked nothing); the errors recorded say `expected`; retries and attempts stay within bounds.
 */
function expectFailedFast(summary: CrawlSummary, opts: { maxAttempts: number; mentions: Array<string | RegExp> }) {
  expect(summary.totals.retries).toBe(0);
  expect(summary.totals.apiCalls).toBeLessThanOrEqual(opts.maxAttempts);
  expect(summary.status).toBe('failed');
  expect(summary.resources.filter((r) => r.status !== 'not_applicable').every((r) => r.status === 'failed')).toBe(true);
  const errors = rows<{ error: string | null }>(run!.db, "SELECT error FROM run_resources WHERE run_id = ? AND status <> 'not_applicable'", summary.runId)
    .map((r) => r.error).filter((e): e is string => e !== null);
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) for (const m of opts.mentions) expect(e).toMatch(m);
}

/** An HTTPS listener whose certificate nobody trusts (self-signed, generated now). */
async function untrustedTls(): Promise<{ origin: string; hits: () => number }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec', curve: 'P-256', notAfterDate: new Date(Date.now() + 86400_000),
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  let hits = 0;
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (_req, res) => { hits++; res.end('{}'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

function tmpFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-fail-fast-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

describe.each(Object.keys(PROVIDERS))('%s fails fast', (provider) => {
  const p = PROVIDERS[provider]!;

  it('on an unresolvable host: one attempt, no retry, the host and ENOTFOUND named', async () => {
    run = await startSimCrawl(provider, p.scenario());
    const summary = await run.crawl({ configPatch: p.at(`https://${UNRESOLVABLE}`), retry: RETRY });
    expectFailedFast(summary, { maxAttempts: p.firstContact, mentions: [UNRESOLVABLE, /ENOTFOUND/, /base URL|DNS/i] });
    expect(apiHits(run)).toHaveLength(0);
  });

  it('on a TLS certificate it does not trust: one attempt, no retry, the host and the certificate error named', async () => {
    const tls = await untrustedTls();
    run = await startSimCrawl(provider, p.scenario());
    const host = new URL(tls.origin).host;
    const summary = await run.crawl({ configPatch: p.at(tls.origin), retry: RETRY });
    expectFailedFast(summary, { maxAttempts: p.firstContact, mentions: [host, /certificate/i, /SELF_SIGNED|UNABLE_TO_VERIFY|CERT_/] });
    expect(tls.hits()).toBe(0);
  });

  it('on a 401: one call in all, not retried, the credential named as rejected', async () => {
    run = await startSimCrawl(provider, p.scenario(), { faults: [{ route: '*', kind: 'status', status: 401 }] });
    const summary = await run.crawl({ retry: RETRY });
    expectFailedFast(summary, { maxAttempts: p.firstContact, mentions: [/credential was rejected/i, /401/] });
    expect(run.sim.log).toHaveLength(1);
  });
});

describe('keys and certificates that are not keys fail at once, naming the file', () => {
  it('GitHub App private key file that is not a PEM', async () => {
    const file = tmpFile('github-app.pem', 'this is not a private key\n');
    run = await startSimCrawl('github', buildGithubScenario());
    const summary = await run.crawl({ configPatch: { app: { appId: '1', installationId: '1', privateKeyFile: file } }, retry: RETRY });
    expectFailedFast(summary, { maxAttempts: 0, mentions: [file, /PEM/] });
    expect(run.sim.log).toHaveLength(0);
  });

  it('Google service-account key file whose private_key is not a key', async () => {
    const file = tmpFile('sa.json', JSON.stringify({ type: 'service_account', client_email: 'crawler@p.iam.gserviceaccount.com', private_key: 'not a key', private_key_id: 'k1' }));
    const s = buildGoogleScenario();
    run = await startSimCrawl('google', s);
    const summary = await run.crawl({ configPatch: { auth: { keyFile: file, subject: `admin@${s.customer.customerDomain}` } }, retry: RETRY });
    expectFailedFast(summary, { maxAttempts: 0, mentions: [file, /private key/i] });
    expect(run.sim.log).toHaveLength(0);
  });

  it('Azure certificate file that holds no certificate and key', async () => {
    const file = tmpFile('crawler.pem', 'not a certificate\n');
    run = await startSimCrawl('azure', buildAzureScenario());
    const summary = await run.crawl({ configPatch: { auth: 'certificate', certificatePath: file }, retry: RETRY });
    expectFailedFast(summary, { maxAttempts: 0, mentions: [file, /PEM/] });
    expect(run.sim.log).toHaveLength(0);
  });
});

describe('Azure token requests (@azure/identity) fail fast and say why', () => {
  it('an unresolvable authority host is named with its errno, not just "network_error: See https://aka.ms/…"', async () => {
    run = await startSimCrawl('azure', buildAzureScenario());
    const summary = await run.crawl({ configPatch: { authorityHost: `https://${UNRESOLVABLE}` }, retry: RETRY });
    expectFailedFast(summary, { maxAttempts: 1, mentions: [UNRESOLVABLE, /ENOTFOUND/] });
  });

  it('an authority whose certificate is not trusted is named', async () => {
    run = await startSimCrawl('azure', buildAzureScenario());
    const summary = await run.crawl({ configPatch: { caPem: undefined }, retry: RETRY });
    expectFailedFast(summary, { maxAttempts: 1, mentions: [new URL(run.sim.url).host, /certificate/i] });
    expect(run.sim.log).toHaveLength(0);
  });

  it('a rejected client secret (invalid_client) is not retried', async () => {
    run = await startSimCrawl('azure', buildAzureScenario(), { faults: [{ route: 'token', kind: 'status', status: 401,
      body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } }] });
    const summary = await run.crawl({ retry: RETRY });
    expectFailedFast(summary, { maxAttempts: 1, mentions: [/credential was rejected/i, /invalid_client/] });
    expect(run.sim.log.filter((e) => e.fault)).toHaveLength(1);
  });
});

describe('which Node network errors are permanent (however deep the SDK buries them)', () => {
  const wrapped = (code: string, message = code) => {
    const node = Object.assign(new Error(message), { code });
    return new TypeError('fetch failed', { cause: new AggregateError([node], 'connect failed') });
  };
  it.each(['ENOTFOUND', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID',
    'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_SSL_WRONG_VERSION_NUMBER'])('%s is permanent', (code) => {
    expect(permanentNetworkFailure(wrapped(code))).toContain(code);
  });
  it.each(['EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'EPIPE'])('%s is transient', (code) => {
    expect(findNetworkFault(wrapped(code))?.code).toBe(code);
    expect(permanentNetworkFailure(wrapped(code))).toBeNull();
  });
  it('a message without the errno gets it, and the host, appended', () => {
    const err = wrapped('ECONNRESET', 'other side closed');
    annotateHost(err, 'api.example.com');
    expect(errorMessage(err)).toBe('fetch failed (ECONNRESET from api.example.com)');
  });
});

describe('transient trouble is still retried', () => {
  it('a connection reset is retried and the listing completes', async () => {
    run = await startSimCrawl('github', buildGithubScenario(), { faults: [{ route: 'members', kind: 'reset', times: 1 }] });
    const summary = await run.crawl({ retry: RETRY });
    expect(summary.status).toBe('complete');
    expect(summary.totals.retries).toBe(1);
  });

  it('GitHub App: a failing installation-token request is retried once per call, not again inside every retry of the call', async () => {
    run = await startSimCrawl('github', buildGithubScenario(), { faults: [{ route: 'installation-token', kind: 'status', status: 502 }] });
    const summary = await run.crawl({ retry: RETRY });
    const attempted = summary.resources.filter((r) => r.apiCalls > 0).reduce((n, r) => n + r.listings, 0);
    expect(attempted).toBeGreaterThan(0);
    const mints = run.sim.log.filter((e) => e.route === 'installation-token').length;
    // each listing's call was attempted once: its token request's retries were the only ones (concurrent
    // listings may share one token request, so mints is at most, not exactly, one retried request per listing)
    expect(summary.totals.apiCalls - mints).toBe(attempted);
    expect(mints).toBeLessThanOrEqual(attempted * (RETRY.maxRetries + 1));
  });

  it('a network error that outlasts its retries names the host and the errno', async () => {
    run = await startSimCrawl('slack', buildSlackScenario(), { faults: [{ route: '*', kind: 'reset' }] });
    const summary = await run.crawl({ retry: { maxRetries: 1, baseDelayMs: 5 } });
    expect(summary.totals.retries).toBeGreaterThan(0);
    // (the Grid-only listings of a workspace asked nothing: not_applicable, their error names the plan)
    const errors = summary.resources.filter((r) => r.status !== 'not_applicable').map((r) => r.error).filter((e): e is string => e !== null);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).toContain(new URL(run.sim.url).host);
      expect(e).toMatch(/ECONNRESET|UND_ERR_SOCKET|EPIPE/);
    }
  });
});
