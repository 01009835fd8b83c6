// Issue 14 item 4: when a provider refuses a listing because the credential lacks a permission — GitHub's
// 403 "Resource not accessible by integration", GitHub's 404 on webhooks (what it answers without the
// Webhooks permission), Graph's 403 Authorization_RequestDenied, ARM's 403 AuthorizationFailed, Slack's
// not_an_admin, Google's non-quota 403 — the listing is `unsupported` and the ledger error names the permission to grant, from the
// resources' declared `permission` (the table the provider docs share). The report's coverage notice shows it,
// and its method appendix lists the permissions the configuration uses.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { writeReport } from '../../reports/write-report.ts';
import { configuredPermissionLines } from '../../src/crawl/permissions.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { configFromObject } from '../../src/config/config.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { fatalPermissionHint } from '../../src/crawl/permissions.ts';
import { ProviderFailure } from '../../src/crawl/permanent-errors.ts';
import { DWD } from '../../connectors/google/permission-hints.ts';
import { demoGoogle, fastQuotas } from '../google/fixtures.ts';

let sc: SimCrawl | undefined;
afterEach(async () => { await sc?.close(); sc = undefined; });

const row = (run: CrawlSummary, type: string) => run.resources.find((r) => r.resourceType === type)!;
const ledger = (type: string) => rows<{ status: string; error: string | null }>(sc!.db,
  'SELECT status, error FROM run_resources WHERE resource_type = ? ORDER BY run_id DESC LIMIT 1', type)[0]!;

const NOT_ACCESSIBLE = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/orgs/webhooks#list-organization-webhooks', status: '403' };
const GRAPH_DENIED = { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } };
const ARM_DENIED = { error: { code: 'AuthorizationFailed', message: "The client 'c0ffee00-0000-4000-8000-000000000001' with object id 'c0ffee00-0000-4000-8000-000000000001' does not have authorization to perform action 'Microsoft.Resources/subscriptions/read' over scope '/subscriptions' or the scope is invalid. If access was recently granted, please refresh your credentials." } };

describe('github', () => {
  it('403 "Resource not accessible by integration" on org webhooks: unsupported, naming the App permission to grant', async () => {
    sc = await startSimCrawl('github', buildGithubScenario(), { faults: [{ route: 'org-hooks', kind: 'status', status: 403, body: NOT_ACCESSIBLE }] });
    const run = await sc.crawl();
    const r = row(run, 'github.org_webhooks');
    expect(r.status).toBe('unsupported');
    expect(r.error).toContain('Resource not accessible by integration');
    expect(r.error).toContain('GitHub App permission: Organization › Webhooks (read)');
    expect(ledger('github.org_webhooks')).toEqual({ status: 'unsupported', error: r.error });
    // a refusal is final: asked once, not retried
    expect(sc.sim.log.filter((e) => e.route === 'org-hooks')).toHaveLength(1);
  });

  it('404 on /orgs/{org}/hooks and /repos/{o}/{r}/hooks (GitHub hides them without the Webhooks permission): unsupported with the permission', async () => {
    const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/orgs/webhooks#list-organization-webhooks', status: '404' };
    sc = await startSimCrawl('github', buildGithubScenario(), { faults: [
      { route: 'org-hooks', kind: 'status', status: 404, body: notFound },
      { route: 'repo-hooks', kind: 'status', status: 404, body: notFound },
    ] });
    const run = await sc.crawl();
    expect(row(run, 'github.org_webhooks').status).toBe('unsupported');
    expect(row(run, 'github.org_webhooks').error).toMatch(/404 Not Found.*GitHub App permission: Organization › Webhooks \(read\)/);
    expect(row(run, 'github.repo_webhooks').status).toBe('unsupported');
    expect(row(run, 'github.repo_webhooks').error).toContain('GitHub App permission: Repository › Webhooks (read)');
  });

  it('with token auth the hint names the classic PAT scope (and the fine-grained permission)', async () => {
    sc = await startSimCrawl('github', buildGithubScenario(), { faults: [{ route: 'org-hooks', kind: 'status', status: 403,
      body: { message: 'Must have admin rights to Repository.', documentation_url: 'https://docs.github.com/rest' } }] });
    const run = await sc.crawl({ configPatch: { app: undefined } });
    const r = row(run, 'github.org_webhooks');
    expect(r.status).toBe('unsupported');
    expect(r.error).toContain('classic PAT scope: admin:org_hook');
  });

  it('a 404 where GitHub does not hide refusals (members) stays a failure, and a rate-limit 403 is no permission problem', async () => {
    sc = await startSimCrawl('github', buildGithubScenario(), { faults: [
      { route: 'members', kind: 'status', status: 404, body: { message: 'Not Found' } },
      { route: 'outside-collaborators', kind: 'status', status: 403, headers: { 'retry-after': '1' },
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } },
    ] });
    const run = await sc.crawl({ retry: { maxRetries: 0 } });
    expect(row(run, 'github.members').status).toBe('failed');
    expect(row(run, 'github.members').error).not.toMatch(/grant/);
    expect(row(run, 'github.outside_collaborators').status).toBe('failed');
    expect(row(run, 'github.outside_collaborators').error).not.toMatch(/grant/);
  });

  it('the report shows the permission to grant in its coverage notice, and its method appendix lists the configured permissions', async () => {
    sc = await startSimCrawl('github', buildGithubScenario(), { faults: [{ route: 'org-hooks', kind: 'status', status: 403, body: NOT_ACCESSIBLE }] });
    await sc.crawl();
    const specs = await loadConnectors();
    const github = specs.find((s) => s.name === 'github')!;
    const config = configFromObject({ providers: { github: { orgs: ['halcyon-logistics'], app: { appId: 1, installationId: 2, privateKeyFile: '/k.pem' } } } }, specs, '(test)');
    const permissions = { github: configuredPermissionLines(github, config.providers.get('github')!.config) };
    const out = path.resolve('test/.tmp', `permission-report-${process.pid}`);
    fs.rmSync(out, { recursive: true, force: true });
    const rep = writeReport(sc.db, out, { month: new Date().toISOString().slice(0, 7), organisation: 'Acme', permissions });
    // Markdown escapes (`github.org\_webhooks`) removed, to read the text
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8').replace(/\\([_*`|[\]\\])/g, '$1');
    const notice = md.slice(md.indexOf('Read this first'), md.indexOf('\n\n', md.indexOf('Read this first')));
    expect(notice).toContain('github.org_webhooks');
    expect(notice).toContain('Organization › Webhooks (read)');
    const method = md.slice(md.indexOf('## Appendix B'));
    expect(method).toContain('GitHub App permission: ');
    expect(method).toMatch(/Organization › Members \(read\) \(github\.members, github\.outside_collaborators\)/);
    expect(method).not.toContain('admin:org_hook'); // app auth: no PAT scopes are configured
    expect(rep.model.crawls[0]!.access.join('\n')).toContain('Organization › Personal access tokens (read)');
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('Organization › Webhooks (read)');
  });

  it('without the configuration the method appendix says the permissions are not known (no fixed text)', async () => {
    sc = await startSimCrawl('github', buildGithubScenario());
    await sc.crawl();
    const out = path.resolve('test/.tmp', `permission-report-none-${process.pid}`);
    fs.rmSync(out, { recursive: true, force: true });
    const rep = writeReport(sc.db, out, { month: new Date().toISOString().slice(0, 7), organisation: 'Acme' });
    expect(rep.model.crawls[0]!.access.join(' ')).toMatch(/not known/);
    expect(rep.model.crawls[0]!.access.join(' ')).not.toContain('Organization › Administration');
  });
});

describe('azure', () => {
  it('Graph 403 Authorization_RequestDenied: unsupported, naming the Graph application permission', async () => {
    sc = await startSimCrawl('azure', buildAzureScenario(), { faults: [{ route: 'sp-grants', kind: 'status', status: 403, body: GRAPH_DENIED }] });
    const run = await sc.crawl();
    const r = row(run, 'azure.delegated_grants');
    expect(r.status).toBe('unsupported');
    expect(r.error).toContain('Authorization_RequestDenied');
    expect(r.error).toContain('Graph application permission: DelegatedPermissionGrant.Read.All');
    expect(rows(sc.db, `SELECT count(*) n FROM change_log WHERE run_id = ? AND change = 'removed'`, run.runId)).toEqual([{ n: 0 }]);
  });

  it('ARM 403 AuthorizationFailed on subscriptions: unsupported, naming the Azure role', async () => {
    sc = await startSimCrawl('azure', buildAzureScenario(), { faults: [{ route: 'arm-subscriptions', kind: 'status', status: 403, body: ARM_DENIED }] });
    const run = await sc.crawl();
    const r = row(run, 'azure.subscriptions');
    expect(r.status).toBe('unsupported');
    expect(r.error).toContain('AuthorizationFailed');
    expect(r.error).toContain('Azure role: Reader');
  });

  it('the configured permissions follow the config: no Azure role when subscriptions are off, no AuditLog.Read.All when both audit reads are off', async () => {
    const specs = await loadConnectors();
    const azure = specs.find((s) => s.name === 'azure')!;
    const cfg = (patch: Record<string, unknown>) => configFromObject({ providers: { azure: { tenantId: 't', clientId: 'c', ...patch } } }, specs, '(test)').providers.get('azure')!.config;
    const all = configuredPermissionLines(azure, cfg({})).join('\n');
    expect(all).toContain('Application.Read.All');
    expect(all).toContain('AuditLog.Read.All');
    expect(all).toMatch(/Azure role: Reader/);
    const fewer = configuredPermissionLines(azure, cfg({ subscriptions: false, consentAudit: false, signInActivity: false })).join('\n');
    expect(fewer).not.toContain('Reader');
    expect(fewer).not.toContain('AuditLog.Read.All');
    expect(fewer).toContain('DelegatedPermissionGrant.Read.All');
  });
});

describe('google', () => {
  it('403 insufficientPermissions on tokens.list (every user) and PERMISSION_DENIED on getIamPolicy: unsupported, naming the scope and the role', async () => {
    const s = demoGoogle();
    s.users = s.users.slice(0, 3);
    sc = await startSimCrawl('google', s, { faults: [
      { route: 'tokens', kind: 'status', status: 403, body: { error: { code: 403, message: 'Request had insufficient authentication scopes.',
        errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }] } } },
      { route: 'project-iam-policy', kind: 'status', status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED',
        message: "The caller does not have permission", errors: [{ message: 'The caller does not have permission', domain: 'global', reason: 'forbidden' }] } } },
    ] });
    const run = await sc.crawl({ configPatch: fastQuotas });
    const tokens = row(run, 'google.oauth_tokens');
    expect(tokens.status).toBe('unsupported');
    expect(tokens.error).toContain('grant domain-wide delegation scope: admin.directory.user.security');
    const iam = row(run, 'google.project_iam');
    expect(iam.status).toBe('unsupported');
    expect(iam.error).toContain('grant IAM role: roles/iam.securityReviewer');
  });

  it('a token endpoint refusing the delegated scopes (unauthorized_client) fails the provider, and each Workspace listing names its scope after the rejection', async () => {
    const specs = await loadConnectors();
    const google = specs.find((s) => s.name === 'google')!;
    const cfg = configFromObject({ providers: { google: { domain: 'example.com', auth: { accessTokenEnv: 'T' } } } }, specs, '(test)').providers.get('google')!.config;
    const tokenError = Object.assign(new Error('unauthorized_client'), { response: { status: 401, data: { error: 'unauthorized_client',
      error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' } } });
    const fatal = new ProviderFailure('the service-account credential was rejected minting a token (unauthorized_client): check …', { cause: tokenError });
    const tokens = google.resources.find((r) => r.type === 'google.oauth_tokens')!;
    const projects = google.resources.find((r) => r.type === 'google.projects')!;
    expect(fatalPermissionHint(google, cfg, tokens, fatal)).toBe(` — grant domain-wide delegation scope: ${tokens.permission!.grant[DWD]}`);
    expect(fatalPermissionHint(google, cfg, projects, fatal)).toBe(''); // a Cloud role cannot fix a delegation refusal
    // a rejected credential that is not a refusal of scopes gets no hint
    expect(fatalPermissionHint(google, cfg, tokens, new ProviderFailure('rejected', { cause: Object.assign(new Error('x'), { response: { status: 401, data: {} } }) }))).toBe('');
    // nor a GitHub App whose installation token cannot be minted (a 404 there is not a hidden webhook)
    const github = specs.find((s) => s.name === 'github')!;
    const hooks = github.resources.find((r) => r.type === 'github.org_webhooks')!;
    const mint = new ProviderFailure('the GitHub App credential was rejected minting an installation token (HTTP 404)', { cause: Object.assign(new Error('Not Found'), { status: 404 }) });
    expect(fatalPermissionHint(github, undefined, hooks, mint)).toBe('');
  });
});

describe('slack', () => {
  it('not_an_admin on team.integrationLogs: unsupported, naming the scope and token to grant', async () => {
    sc = await startSimCrawl('slack', buildSlackScenario(), { faults: [{ route: 'team.integrationLogs', kind: 'status', status: 200, body: { ok: false, error: 'not_an_admin' } }] });
    const run = await sc.crawl();
    const r = row(run, 'slack.integration_logs');
    expect(r.status).toBe('unsupported');
    expect(r.error).toContain('not_an_admin');
    expect(r.error).toMatch(/grant Slack scope[^:]*: admin/);
  });
});
