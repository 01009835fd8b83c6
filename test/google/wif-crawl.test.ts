// Workload Identity Federation (issue 19): the simulator crawled through the real engine — pools and providers become
// credentials, IAM bindings of principalSet members become TRUSTS edges to trust endpoints with the contract's props
// (issuer, workload key, breadth), pools and providers page, each pool's providers are read once per crawl, a refused
// provider listing leaves the run partial with the trust kept (issuer unknown), and malformed members are skipped by name.
// The translation itself (mapping, conditions) is table-tested at the end on wif-trust.ts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { trustEndpointId } from '../../src/trust/registry.ts';
import { ids } from '../../connectors/google/map-helpers.ts';
import { describeForProvider, providerFacts, type ProviderFacts } from '../../connectors/google/wif-trust.ts';
import { parseWifMember } from '../../connectors/google/wif-member.ts';
import { props, rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { demoGoogle, fastQuotas, liveEdge, plantedGoogle } from './fixtures.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { findings, inventory, NOW } from '../reconcile/helpers.ts';

await loadConnectors(); // registers GitHub Actions as a trust issuer

const GH = 'https://token.actions.githubusercontent.com';
const POOLS = 'projects/400000000003/locations/global/workloadIdentityPools';
const GITHUB_POOL = `${POOLS}/github`;
const PROD_POOL = `${POOLS}/github-prod`;
const ORG = plantedGoogle.wifOrg;
const trusted = `${ORG}/${plantedGoogle.wifTrustedRepo}`;
const pinned = `${ORG}/${plantedGoogle.wifPinnedRepo}`;
const saId = ids.serviceAccount(plantedGoogle.wifServiceAccount);
const twinId = ids.serviceAccount(plantedGoogle.wifPinnedServiceAccount);

type Edge = { dst: string; props: string };
const trustsFrom = (c: SimCrawl, from: string) => rows<Edge>(c.db, "SELECT dst, props FROM edges WHERE src = ? AND type = 'TRUSTS' AND removed_run IS NULL ORDER BY dst", from)
  .map((e): Record<string, unknown> & { to: string } => ({ ...JSON.parse(e.props) as Record<string, unknown>, to: e.dst }));

describe('a demo crawl with Workload Identity pools on two pages', () => {
  let c: SimCrawl;
  let run: CrawlSummary;
  beforeAll(async () => {
    const s = demoGoogle();
    s.maxPageSize = { workloadIdentityPools: 1, workloadIdentityPoolProviders: 1 };
    // a second, disabled provider in pool `github`: an AWS account (Google's default mapping: google.subject = assertion.arn)
    s.workloadIdentityPoolProviders![GITHUB_POOL]!.push({ name: `${GITHUB_POOL}/providers/aws-legacy`, state: 'ACTIVE', disabled: true, aws: { accountId: '123456789012' } });
    c = await startSimCrawl('google', s);
    run = await c.crawl({ configPatch: fastQuotas });
  });
  afterAll(async () => { await c?.close(); });

  test('the run completes with the pools, providers and service-account policies listed', () => {
    expect(run.status).toBe('complete');
    expect(run.resources.filter((r) => /workload_identity|service_account_iam/.test(r.resourceType)).map((r) => [r.resourceType, r.status]).sort()).toEqual([
      ['google.service_account_iam', 'complete'], ['google.workload_identity_pools', 'complete'], ['google.workload_identity_providers', 'complete']]);
  });

  test('pools and providers page by nextPageToken, and each pool\'s providers are read once per crawl', () => {
    const pools = c.sim.log.filter((e) => e.route === 'wif-pools' && e.path.includes('/halcyon-ci/'));
    expect(pools.length).toBe(2);
    expect(pools[1]!.query).toContain('pageToken=');
    // pool `github`: needed by the project policy, github-actions@'s policy and the providers listing — two pages, once
    const github = c.sim.log.filter((e) => e.route === 'wif-providers' && e.path.endsWith('/workloadIdentityPools/github/providers'));
    expect(github.length).toBe(2);
    expect(github.every((e) => e.query.includes('showDeleted=false'))).toBe(true);
    expect(rows(c.db, "SELECT id FROM nodes WHERE type = 'google.workload_identity_provider' AND removed_run IS NULL").length).toBe(3);
  });

  test('a pool is a credential of its project; a provider carries its issuer, mapping, condition and state', () => {
    expect(props(c.db, ids.wifPool(GITHUB_POOL))).toMatchObject({ credential_type: 'gcp_workload_identity_pool', pool_id: 'github', project_id: 'halcyon-ci',
      project_number: '400000000003', state: 'ACTIVE', disabled: false, display_name: 'GitHub Actions' });
    expect(liveEdge(c.db, ids.wifPool(GITHUB_POOL), 'IN_TENANT', ids.projectTenant('halcyon-ci'))).toBe(true);
    expect(props(c.db, ids.wifProvider(`${GITHUB_POOL}/providers/github-actions`))).toMatchObject({
      issuer: GH, issuer_kind: 'github-actions', protocol: 'oidc', pool: GITHUB_POOL, disabled: false, enabled: true, state: 'ACTIVE',
      attribute_mapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository', 'attribute.repository_owner': 'assertion.repository_owner' },
      attribute_condition: `assertion.repository_owner == '${ORG}'`,
    });
    expect(props(c.db, ids.wifProvider(`${GITHUB_POOL}/providers/aws-legacy`))).toMatchObject({
      issuer: '123456789012', issuer_kind: 'aws', protocol: 'aws', disabled: true, enabled: false, attribute_mapping: { 'google.subject': 'assertion.arn' } });
  });

  test('the editor service account trusts any branch of the repository its principalSet names', () => {
    const endpoint = trustEndpointId(GH, `repository=${trusted} & repository_owner=${ORG}`);
    expect(props(c.db, endpoint)).toMatchObject({ issuer: GH, issuer_kind: 'github-actions', workload_key: `github:repo:${trusted}`,
      repository: trusted, environment: null, ref: null, breadth: 'any-ref' });
    const edges = trustsFrom(c, saId);
    expect(edges.find((e) => e.to === endpoint)).toMatchObject({ via: 'iam_binding', role: 'roles/iam.workloadIdentityUser', enabled: true,
      condition: `assertion.repository_owner == '${ORG}'`, binding_condition: null, providers: [`${GITHUB_POOL}/providers/github-actions`] });
    // whoever runs a workflow there acts as an editor of halcyon-ci
    const reach = rows<{ access_props: string }>(c.db, "SELECT access_props FROM reach WHERE holder_id = ? AND resource_name = 'halcyon-ci'", saId);
    expect(JSON.parse(reach[0]!.access_props).roles).toContain('roles/editor');
  });

  test('a disabled provider\'s trust is kept, marked not enabled; a selector its mapping cannot read is unrecognised', () => {
    const aws = trustsFrom(c, saId).find((e) => e.to.startsWith('trust:aws:account:123456789012#'))!;
    expect(aws).toMatchObject({ enabled: false, providers: [`${GITHUB_POOL}/providers/aws-legacy`] });
    expect(props(c.db, aws.to)).toMatchObject({ issuer_kind: 'unknown', breadth: 'unrecognised', workload_key: null });
  });

  test('the clean twin: a provider pinned to the production environment makes the trust pinned', () => {
    const [edge, ...more] = trustsFrom(c, twinId);
    expect(more).toEqual([]);
    expect(edge!.condition).toBe(`assertion.environment == 'production' && assertion.repository_owner == '${ORG}'`);
    expect(props(c.db, edge!.to)).toMatchObject({ workload_key: `github:repo:${pinned}`, repository: pinned, environment: 'production', breadth: 'pinned' });
  });

  test('a project binding to a principalSet: the pool reaches the project and trusts the repository', () => {
    const pool = ids.wifPool(GITHUB_POOL);
    const [access] = rows<{ props: string }>(c.db, "SELECT props FROM edges WHERE src = ? AND type = 'CAN_ACCESS' AND dst = ? AND removed_run IS NULL", pool, ids.project('halcyon-ci'));
    const endpoint = trustEndpointId(GH, `repository=${ORG}/release-tools & repository_owner=${ORG}`);
    // roles/iam.workloadIdentityUser on the project: the principal set may act as every service account of halcyon-ci
    // (this crawl's pool `github` also has a disabled AWS provider: its endpoint is named too, its TRUSTS edge not enabled)
    expect(JSON.parse(access!.props)).toMatchObject({ roles: ['roles/iam.workloadIdentityUser'], project_id: 'halcyon-ci',
      acts_as_connectors_for: [`trust:aws:account:123456789012#attribute.repository/${ORG}/release-tools`, endpoint] });
    expect(trustsFrom(c, pool).map((e) => e.to)).toContain(endpoint);
    expect(props(c.db, endpoint)).toMatchObject({ workload_key: `github:repo:${ORG}/release-tools`, breadth: 'any-ref' });
    // the member is the pool's now, not a principal of its own
    expect(rows(c.db, "SELECT 1 FROM nodes WHERE type = 'google.iam_member' AND name LIKE 'principalSet://%'")).toEqual([]);
  });

  test('the federation rules judge the pool\'s trust on the service accounts of the project it may act as; the pinned twin raises nothing', () => {
    reconcile(c.db, inventory([]), { now: NOW, rules: ['federation-broad-subject'] });
    const got = findings(c.db, 'federation-broad-subject').map((f) => [f.subject_id, JSON.parse(f.evidence).repositories === undefined ? null : JSON.parse(f.evidence).subject,
      JSON.parse(f.evidence).acts_through?.credential ?? null, f.severity]).sort();
    const releaseTools = `repository=${ORG}/release-tools & repository_owner=${ORG}`;
    expect(got).toEqual([
      [saId, `repository=${trusted} & repository_owner=${ORG}`, null, 'high'],
      [saId, releaseTools, GITHUB_POOL, 'high'],
      [ids.serviceAccount('svc-1-3@halcyon-ci.iam.gserviceaccount.com'), releaseTools, GITHUB_POOL, 'medium'],
      [ids.serviceAccount('svc-2-3@halcyon-ci.iam.gserviceaccount.com'), releaseTools, GITHUB_POOL, 'medium'],
    ]);
  });
});

describe('a disabled pool admits no token', () => {
  let c: SimCrawl;
  beforeAll(async () => {
    const s = demoGoogle();
    const github = s.workloadIdentityPools!['halcyon-ci']!.find((p) => p.name === GITHUB_POOL)!;
    github.disabled = true;
    github.state = 'ACTIVE';
    c = await startSimCrawl('google', s);
    await c.crawl({ configPatch: fastQuotas });
  });
  afterAll(async () => { await c?.close(); });

  test('every TRUSTS edge through the disabled pool carries enabled false; the other pool\'s stays enabled', () => {
    const pool = ids.wifPool(GITHUB_POOL);
    expect(props(c.db, pool)).toMatchObject({ disabled: true, enabled: false });
    const through = [...trustsFrom(c, saId), ...trustsFrom(c, pool)];
    expect(through.length).toBe(2);
    expect(through.map((e) => e.enabled)).toEqual([false, false]);
    expect(trustsFrom(c, twinId).map((e) => e.enabled)).toEqual([true]);
    expect(c.sim.log.filter((e) => e.route === 'wif-pool').length).toBe(2); // each pool read once per crawl
  });

  test('its trusts raise nothing', () => {
    reconcile(c.db, inventory([]), { now: NOW, rules: ['federation-broad-subject', 'federation-untrusted-issuer'] });
    expect(findings(c.db).filter((f) => f.rule.startsWith('federation-'))).toEqual([]);
  });
});

describe('a refused provider listing and malformed members', () => {
  let c: SimCrawl;
  let run: CrawlSummary;
  const huge = `principalSet://iam.googleapis.com/${GITHUB_POOL}/attribute.repository/${'a'.repeat(200_000)}`;
  beforeAll(async () => {
    const s = demoGoogle();
    s.serviceAccountIamPolicies![plantedGoogle.unusedServiceAccount] = { bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [
      `principalSet://iam.googleapis.com/projects/not-a-number/locations/global/workloadIdentityPools/github/attribute.repository/${trusted}`, huge,
      `principalSet://iam.googleapis.com/${GITHUB_POOL}/attribute.repository/${trusted}`,
    ] }] };
    s.iamPolicies!['halcyon-staging']!.bindings!.push({ role: 'roles/viewer', members: [huge] });
    c = await startSimCrawl('google', s, { faults: [{ route: 'wif-providers', path: '/github-prod/providers', kind: 'status', status: 403,
      body: { error: { code: 403, message: "Permission 'iam.workloadIdentityPoolProviders.list' denied", status: 'PERMISSION_DENIED',
        errors: [{ message: 'denied', domain: 'global', reason: 'forbidden' }] } } }] });
    run = await c.crawl({ configPatch: fastQuotas });
  });
  afterAll(async () => { await c?.close(); });

  test('the provider listing refused for one pool is not complete, and names the role to grant', () => {
    expect(run.status).toBe('partial');
    const res = run.resources.find((r) => r.resourceType === 'google.workload_identity_providers')!;
    expect(res.status).not.toBe('complete');
    const [ledger] = rows<{ status: string; error: string | null }>(c.db,
      "SELECT status, error FROM run_resources WHERE run_id = ? AND resource_type = 'google.workload_identity_providers'", run.runId);
    expect(ledger!.status).not.toBe('complete');
    expect(ledger!.error).toContain('roles/iam.workloadIdentityPoolViewer');
  });

  test('the twin\'s trust is kept with the issuer unknown, and the ledger says why', () => {
    const [edge, ...more] = trustsFrom(c, twinId);
    expect(more).toEqual([]);
    expect(edge!.to).toBe(trustEndpointId(`//iam.googleapis.com/${PROD_POOL}`, `attribute.repository/${pinned}`));
    expect(props(c.db, edge!.to)).toMatchObject({ issuer_kind: 'unknown', workload_key: null, breadth: 'unrecognised' });
    const notes = rows<{ notes: string | null }>(c.db, "SELECT notes FROM run_resources WHERE run_id = ? AND resource_type = 'google.service_account_iam'", run.runId);
    expect(notes[0]!.notes).toContain('github-prod');
  });

  test('malformed members are skipped, the listing partial and named by its account; the well-formed member is mapped', () => {
    const [sa] = rows<{ status: string; error: string | null }>(c.db,
      "SELECT status, error FROM run_resources WHERE run_id = ? AND resource_type = 'google.service_account_iam'", run.runId);
    expect(sa!.status).toBe('partial');
    expect(sa!.error).toContain(plantedGoogle.unusedServiceAccount);
    expect(sa!.error).toContain('not-a-number');
    const unused = trustsFrom(c, ids.serviceAccount(plantedGoogle.unusedServiceAccount));
    expect(unused.map((e) => props(c.db, e.to).workload_key)).toEqual([`github:repo:${trusted}`]);
    // in a project policy too: the listing is partial, named by its project, and the member is no principal of its own
    const [project] = rows<{ status: string; error: string | null }>(c.db,
      "SELECT status, error FROM run_resources WHERE run_id = ? AND resource_type = 'google.project_iam'", run.runId);
    expect(project).toMatchObject({ status: 'partial' });
    expect(project!.error).toContain('halcyon-staging');
    // nothing of the 200 000-character member reached the graph or the ledger
    const longest = rows<{ n: number }>(c.db, "SELECT max(length(name)) AS n FROM nodes")[0]!.n;
    expect(longest).toBeLessThan(5000);
    expect(rows(c.db, "SELECT 1 FROM run_resources WHERE length(coalesce(error, '')) > 20000")).toEqual([]);
  });
});

describe('providers refused after a clean crawl', () => {
  let c: SimCrawl;
  afterAll(async () => { await c?.close(); });

  test('the trust known last time is kept beside the unknown one, and goes back to the known one alone when readable again', async () => {
    c = await startSimCrawl('google', demoGoogle());
    await c.crawl({ configPatch: fastQuotas });
    const [known] = trustsFrom(c, twinId);
    expect(props(c.db, known!.to)).toMatchObject({ breadth: 'pinned' });
    c.sim.setFaults([{ route: 'wif-providers', path: '/github-prod/providers', kind: 'status', status: 500,
      body: { error: { code: 500, message: 'Backend Error', status: 'INTERNAL' } } }]);
    const refused = await c.crawl({ configPatch: fastQuotas, retry: { maxRetries: 1, baseDelayMs: 1 } });
    expect(refused.status).toBe('partial');
    expect(refused.totals.removed).toBe(0);
    const unknown = trustEndpointId(`//iam.googleapis.com/${PROD_POOL}`, `attribute.repository/${pinned}`);
    expect(trustsFrom(c, twinId).map((e) => e.to).sort()).toEqual([known!.to, unknown].sort());
    c.sim.setFaults([]);
    await c.crawl({ configPatch: fastQuotas });
    expect(trustsFrom(c, twinId).map((e) => e.to)).toEqual([known!.to]);
  }, 60_000);
});

describe('what a provider admits for a selector (wif-trust.ts)', () => {
  const facts = (over: Partial<ProviderFacts> = {}): ProviderFacts => ({
    ...providerFacts({ name: 'p', oidc: { issuerUri: GH }, attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' } }, 'p'),
    ...over });
  const sel = (member: string) => parseWifMember(`principalSet://iam.googleapis.com/${GITHUB_POOL}/${member}`)!.selector;
  const subj = (s: string) => parseWifMember(`principal://iam.googleapis.com/${GITHUB_POOL}/subject/${s}`)!.selector;

  test.each([
    ['attribute.repository', sel('attribute.repository/acme/app'), facts(), 'repository=acme/app', 'any-ref', 'github:repo:acme/app'],
    ['subject = sub claim, environment form', subj('repo:acme/app:environment:prod'), facts(), 'repo:acme/app:environment:prod', 'pinned', 'github:repo:acme/app'],
    ['an expression mapping is not interpreted', sel('attribute.repository/acme/app'),
      facts({ mapping: { 'attribute.repository': "assertion.repository.split('/')[1]" } }), 'attribute.repository/acme/app', 'unrecognised', null],
    ['an unmapped attribute', sel('attribute.team/ops'), facts(), 'attribute.team/ops', 'unrecognised', null],
    ['a ref pin narrows one repository to pinned', sel('attribute.repository/acme/app'), facts({ condition: "assertion.ref == 'refs/heads/main'" }),
      'repository=acme/app & ref=refs/heads/main', 'pinned', 'github:repo:acme/app'],
    ['the whole pool, narrowed by an owner pin, is organisation-wide', sel('*'), facts({ condition: "assertion.repository_owner == 'acme'" }),
      'repository_owner=acme', 'organisation', 'github:owner:acme'],
    ['the whole pool with no condition: every token the issuer mints', sel('*'), facts(), '*', 'unrecognised', null],
    ['a condition that is not simple equality is kept, not interpreted', sel('attribute.repository/acme/app'),
      facts({ condition: "assertion.ref.startsWith('refs/heads/')" }), 'repository=acme/app [conditional]', 'any-ref', 'github:repo:acme/app'],
  ])('%s', (_name, selector, f, subject, breadth, key) => {
    const d = describeForProvider(selector, f);
    expect(d.issuer).toBe(GH);
    expect(d.subject).toBe(subject);
    expect(d.described.breadth).toBe(breadth);
    expect(d.described.workload_key).toBe(key);
  });
});
