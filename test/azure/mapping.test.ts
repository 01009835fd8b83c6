// The demo tenant crawled with the real @azure/identity credential and our Graph/ARM layer against the
// HTTPS simulator: every planted object is mapped, permission ids resolve to names, no secret is stored.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { props, rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { azurePlanted, buildAzureScenario } from '../../scenarios/demo/azure.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';

const sp = (id: string) => `azure:service_principal:${id}`;
let sc: SimCrawl;
let summary: CrawlSummary;
const appNode = (name: string) => rows<{ id: string; props: string }>(sc.db, `SELECT id, props FROM nodes WHERE type = 'azure.application' AND name = ?`, name)[0]!;
const credentialsOf = (holder: string) => rows<{ id: string; type: string; props: string }>(sc.db,
  `SELECT n.id, n.type, n.props FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.type = 'HAS_CREDENTIAL' AND e.src = ?`, holder)
  .map((r) => ({ ...r, props: JSON.parse(r.props) as Record<string, unknown> }));
const days = (iso: unknown) => Math.round((Date.parse(String(iso)) - Date.parse('2026-11-20T09:00:00Z')) / 86400_000);

beforeAll(async () => {
  sc = await startSimCrawl('azure', buildAzureScenario());
  summary = await sc.crawl();
});
afterAll(async () => { await sc?.close(); });

describe('azure: the demo tenant', () => {
  it('completes every listing, through HTTPS and the real client-secret credential', () => {
    expect(summary.status).toBe('complete');
    expect(summary.resources.filter((r) => r.status !== 'complete')).toEqual([]);
    expect(sc.sim.url.startsWith('https://')).toBe(true);
    expect(sc.sim.log.some((e) => e.route === 'token' && e.status === 200)).toBe(true);
    expect(sc.sim.log.filter((e) => e.status === 401)).toEqual([]);
  });

  it('maps users: departed people disabled, the recycle bin as deleted, admins flagged', () => {
    const users = rows<{ name: string; status: string; is_admin: number; email: string }>(sc.db,
      `SELECT name, status, is_admin, email FROM principals WHERE provider = 'azure' AND removed = 0`);
    expect(users).toHaveLength(61);
    expect(users.filter((u) => u.status === 'disabled')).toHaveLength(3);
    expect(users.find((u) => u.name.startsWith('rafal.kowalski'))!.status).toBe('disabled');
    expect(users.filter((u) => u.status === 'deleted').map((u) => u.email)).toEqual(['intern@halcyon-logistics.com']);
    expect(users.find((u) => u.name.startsWith('maya.chen'))!.is_admin).toBe(1);
  });

  it('maps the third-party app with Mail.Read (application) whose only owner has left', () => {
    const m = azurePlanted.mailApp;
    const p = props(sc.db, sp(m.spId));
    expect(p).toMatchObject({ app_id: m.appId, ownership: 'third_party', connector_type: 'service_principal', enabled: true,
      last_used_source: 'beta:reports/servicePrincipalSignInActivities' });
    expect(days(p.last_used_at)).toBe(-2);
    const vendor = rows<{ vendor: string }>(sc.db, 'SELECT vendor FROM connectors WHERE id = ?', sp(m.spId))[0]!;
    expect(vendor.vendor).toBe(m.vendorTenant);
    const grants = rows<{ scope: string; grant_props: string }>(sc.db, 'SELECT scope, grant_props FROM grants WHERE holder_id = ?', sp(m.spId));
    expect(grants.map((g) => g.scope)).toEqual(['Mail.Read']);
    expect(JSON.parse(grants[0]!.grant_props)).toMatchObject({ type: 'Application', consent_type: 'AllPrincipals', resource: 'Microsoft Graph' });
    const owners = rows<{ principal_status: string; principal_name: string }>(sc.db, 'SELECT principal_status, principal_name FROM owners WHERE connector_id = ?', sp(m.spId));
    expect(owners).toEqual([{ principal_status: 'disabled', principal_name: expect.stringMatching(/^rafal\.kowalski@/) }]);
  });

  it('maps secrets with their dates: one expiring in 7 days, one valid for 10 years', () => {
    const expiring = credentialsOf(appNode(azurePlanted.expiringSecretApp).id);
    expect(expiring).toHaveLength(1);
    expect(expiring[0]!.props).toMatchObject({ credential_type: 'client_secret', static: true, display_name: 'sync-2025' });
    expect(days(expiring[0]!.props.expires_at)).toBe(7);
    const legacy = appNode(azurePlanted.tenYearSecretApp);
    expect(days(JSON.parse(legacy.props).last_used_at)).toBe(-210); // dormant: last signed in 210 days ago (beta report)
    const forever = credentialsOf(legacy.id);
    expect(days(forever[0]!.props.expires_at) - days(forever[0]!.props.created_at)).toBeGreaterThanOrEqual(3650);
    const cert = credentialsOf(appNode('saml-portal').id);
    expect(cert[0]!.props).toMatchObject({ credential_type: 'certificate', key_type: 'AsymmetricX509Cert' });
  });

  it('flags the CI client secret where federation would do, and maps a federated credential', () => {
    const gha = credentialsOf(appNode(azurePlanted.federationCandidateApp).id);
    expect(gha.map((c) => c.props)).toEqual([expect.objectContaining({ credential_type: 'client_secret', federation_available: true, holder_has_federated_credential: false })]);
    const tf = credentialsOf(appNode('terraform-ci').id).sort((a, b) => a.id.localeCompare(b.id));
    expect(tf.map((c) => c.props)).toEqual([
      expect.objectContaining({ credential_type: 'federated', static: false,
        issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:halcyon-logistics/infra-terraform:ref:refs/heads/main' }),
      expect.objectContaining({ credential_type: 'federated', subject: azurePlanted.broadTrustSubject })]);
    expect(credentialsOf(appNode('halcyon-billing-api').id).find((c) => c.type === 'azure.client_secret')!.props.federation_available).toBe(false);
  });

  it('each federated credential TRUSTS the workload it names: a shared trust.workload endpoint with the parsed subject (issue 19)', () => {
    const trusts = rows<{ src: string; dst: string; props: string; kind: string; type: string; node_props: string; source: string }>(sc.db,
      `SELECT e.src, e.dst, e.props, n.kind, n.type, n.props AS node_props, n.source FROM edges e JOIN nodes n ON n.id = e.dst
        WHERE e.type = 'TRUSTS' AND e.removed_run IS NULL ORDER BY e.dst`);
    expect(trusts.map((t) => t.dst)).toEqual([
      'trust:https://token.actions.githubusercontent.com#repo:halcyon-logistics/billing-api:environment:production',
      'trust:https://token.actions.githubusercontent.com#repo:halcyon-logistics/infra-terraform:pull_request',
      'trust:https://token.actions.githubusercontent.com#repo:halcyon-logistics/infra-terraform:ref:refs/heads/main',
    ]);
    for (const t of trusts) {
      expect([t.kind, t.type, t.source]).toEqual(['endpoint', 'trust.workload', '(shared)']);
      expect(JSON.parse(t.props)).toEqual({ via: 'federated_credential', audiences: ['api://AzureADTokenExchange'] });
    }
    const main = JSON.parse(trusts[2]!.node_props) as Record<string, unknown>;
    expect(main).toEqual({ issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:halcyon-logistics/infra-terraform:ref:refs/heads/main',
      issuer_kind: 'github-actions', workload_key: 'github:repo:halcyon-logistics/infra-terraform', repository: 'halcyon-logistics/infra-terraform',
      environment: null, ref: 'refs/heads/main', breadth: 'pinned', breadth_reason: expect.any(String) });
    expect(JSON.parse(trusts[1]!.node_props)).toMatchObject({ breadth: 'pull-request', workload_key: 'github:repo:halcyon-logistics/infra-terraform' });
    expect(JSON.parse(trusts[0]!.node_props)).toMatchObject({ breadth: 'pinned', environment: 'production', workload_key: 'github:repo:halcyon-logistics/billing-api' });
    // without the GitHub crawl nothing resolves: the trusts view keeps each trust with null repository columns, held by terraform-ci's app
    const view = rows<{ holder_name: string; subject: string; repository_id: string | null; via: string }>(sc.db,
      'SELECT holder_name, subject, repository_id, via FROM trusts ORDER BY subject');
    expect(view.map((v) => [v.holder_name, v.subject, v.repository_id, v.via])).toEqual([
      ['halcyon-billing-api', azurePlanted.pinnedTrustSubject, null, 'federated_credential'],
      ['terraform-ci', azurePlanted.broadTrustSubject, null, 'federated_credential'],
      ['terraform-ci', 'repo:halcyon-logistics/infra-terraform:ref:refs/heads/main', null, 'federated_credential'],
    ]);
  });

  it('maps the managed identity with Owner on the production subscription', () => {
    const mi = azurePlanted.managedIdentity;
    expect(props(sc.db, sp(mi.spId))).toMatchObject({ connector_type: 'managed_identity', ownership: 'managed_identity' });
    const reach = rows<{ resource_name: string; access_props: string }>(sc.db, 'SELECT resource_name, access_props FROM reach WHERE holder_id = ?', sp(mi.spId));
    expect(reach).toHaveLength(1);
    expect(reach[0]!.resource_name).toBe('halcyon-prod');
    expect(JSON.parse(reach[0]!.access_props).roles).toEqual(['Owner']);
    // A user's role assignment is not an NHI's reach.
    expect(rows(sc.db, `SELECT * FROM reach WHERE holder_id LIKE 'azure:user:%'`)).toEqual([]);
  });

  it('maps the admin-consented Directory.ReadWrite.All delegated grant and per-user consents', () => {
    const d = azurePlanted.directoryGrantApp;
    const grants = rows<{ scope: string; grant_props: string }>(sc.db, 'SELECT scope, grant_props FROM grants WHERE holder_id = ? ORDER BY scope COLLATE NOCASE', sp(d.spId));
    expect(grants.map((g) => g.scope)).toEqual(['Directory.ReadWrite.All', 'offline_access', 'User.Read']);
    expect(JSON.parse(grants[0]!.grant_props)).toMatchObject({ type: 'Delegated', consent_type: 'AllPrincipals', admin_consent: true });
    const signflow = rows<{ principal_name: string; relation: string }>(sc.db,
      `SELECT o.principal_name, o.relation FROM owners o JOIN nodes c ON c.id = o.connector_id WHERE c.name = 'SignFlow e-Signature'`);
    expect(signflow).toEqual([{ principal_name: expect.stringMatching(/^priya\.kumar@/), relation: 'INSTALLED_BY' }]);
  });

  it('resolves permission ids to names (granted and requested)', () => {
    const scopes = rows<{ name: string; props: string }>(sc.db, `SELECT name, props FROM nodes WHERE provider = 'azure' AND kind = 'scope'`);
    expect(scopes.length).toBeGreaterThan(5);
    for (const s of scopes) expect(s.name).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(scopes.map((s) => s.name)).toEqual(expect.arrayContaining(['Mail.Read', 'Files.ReadWrite.All', 'Sites.Read.All', 'User.Read.All']));
    expect(JSON.parse(appNode('halcyon-billing-api').props).requested_permissions).toEqual(['Microsoft Graph: User.Read.All (Application)']);
    // The Mail.Read application permission and a Mail.Read delegated one would be different scope nodes.
    expect(JSON.parse(scopes.find((s) => s.name === 'Mail.Read')!.props)).toMatchObject({ type: 'Application', resource: 'Microsoft Graph' });
  });

  it('tells internal, Microsoft and third-party apps apart', () => {
    const by = Object.fromEntries(rows<{ name: string; o: string }>(sc.db,
      `SELECT name, json_extract(props, '$.ownership') o FROM connectors WHERE type = 'azure.service_principal'`).map((r) => [r.name, r.o]));
    expect(by).toMatchObject({ 'halcyon-billing-api': 'internal', 'Microsoft Graph': 'microsoft', 'Contoso HR Sync': 'third_party', 'func-invoice-renderer': 'managed_identity' });
  });

  it('uses $select, $batch and delta listings', () => {
    const listing = sc.sim.log.filter((e) => /^\/v1\.0\/(applications|servicePrincipals|users)(\/delta)?$/.test(e.path));
    expect(listing.length).toBeGreaterThan(0);
    for (const e of listing) expect(e.path.endsWith('/delta') && e.query.includes('%24select=') || e.query.includes('$select=')).toBe(true);
    expect(sc.sim.log.filter((e) => e.route === 'batch').length).toBeGreaterThan(0);
    // Per-object reads only ever travel inside $batch.
    expect(sc.sim.log.filter((e) => ['app-owners', 'sp-owners', 'app-fic', 'sp-app-role-assignments', 'sp-grants'].includes(e.route))).toEqual([]);
  });

  it('stores no secret text or key blob, in the database or the logs', () => {
    sc.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat([fs.readFileSync(sc.dbFile), ...[`${sc.dbFile}-wal`].filter(fs.existsSync).map((f) => fs.readFileSync(f))]).toString('latin1');
    const logs = sc.logs.join('\n');
    for (const secret of [...azurePlanted.secretTexts, azurePlanted.certificateKeyBlob, 'sim-crawler-client-secret-not-a-real-one']) {
      expect(bytes.includes(secret), secret).toBe(false);
      expect(logs.includes(secret), secret).toBe(false);
    }
  });
});
