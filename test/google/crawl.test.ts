// Google provider end to end: the real googleapis clients crawl the simulator through the real engine.
// Every planted object of the demo is mapped with the normalised props the views and rules rely on;
// paging follows nextPageToken over more than one page; no key material or token reaches the graph or logs.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimCrawl, rows, props, type SimCrawl } from '../helpers/sim-crawl.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { ids } from '../../connectors/google/map-helpers.ts';
import { demoGoogle, fastQuotas, plantedGoogle, userByLogin } from './fixtures.ts';

const PRIVATE_KEY_DATA = 'ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIsICJwcml2YXRlX2tleSI6ICJQTEFOVEVELUtFWS1NQVRFUklBTCIgfQ==';
const PUBLIC_KEY_DATA = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tUExBTlRFRC1QVUJMSUMtQ0VSVA==';

describe('google: demo crawl', () => {
  let c: SimCrawl;
  let summary: CrawlSummary;
  const s = demoGoogle();
  beforeAll(async () => {
    // Small page caps so every paged listing takes more than one page.
    s.maxPageSize = { users: 7, projects: 2, serviceAccounts: 2, activities: 3 };
    // A response that leaks what keys.list never returns: the mapper must not copy it.
    const leaky = s.keys![plantedGoogle.ownerServiceAccount]![0]!;
    Object.assign(leaky, { privateKeyData: PRIVATE_KEY_DATA, privateKeyType: 'TYPE_GOOGLE_CREDENTIALS_FILE', publicKeyData: PUBLIC_KEY_DATA });
    // The crawl reads the audit log relative to the real clock; the scenario is dated at DEMO_NOW. Keep Rafal's
    // authorize event of the Gmail app 120 days before today, so the grant-date check does not age out.
    const rafal = userByLogin(s, 'rafal.kowalski');
    for (const a of s.tokenEvents ?? []) {
      if (a.actor.profileId === rafal.id && a.events.some((e) => e.name === 'authorize' && e.parameters?.some((p) => p.value === plantedGoogle.gmailApp.clientId))) {
        a.id.time = new Date(Date.now() - 120 * 86_400_000).toISOString();
      }
    }
    c = await startSimCrawl('google', s);
    summary = await c.crawl({ configPatch: { ...fastQuotas, pageSize: { users: 500, serviceAccounts: 100, projects: 500, activities: 1000 } } });
  });
  afterAll(async () => { await c?.close(); });

  test('the run completes with every resource', () => {
    expect(summary.status).toBe('complete');
    expect(summary.resources.map((r) => [r.resourceType, r.status])).toEqual(expect.arrayContaining([
      ['google.customer', 'complete'], ['google.users', 'complete'], ['google.oauth_tokens', 'complete'], ['google.projects', 'complete'],
      ['google.service_accounts', 'complete'], ['google.service_account_keys', 'complete'], ['google.project_iam', 'complete'],
    ]));
  });

  test('paging follows nextPageToken past the first page', () => {
    const users = c.sim.log.filter((e) => e.route === 'users' && !e.query.includes('showDeleted'));
    expect(users.length).toBe(Math.ceil(s.users.length / 7));
    expect(users.slice(1).every((e) => e.query.includes('pageToken='))).toBe(true);
    expect(c.sim.log.filter((e) => e.route === 'projects-search').length).toBe(3);
    expect(c.sim.log.filter((e) => e.route === 'service-accounts' && e.path.includes('halcyon-prod')).length).toBe(2);
    expect(rows(c.db, "SELECT id FROM nodes WHERE type = 'google.user' AND removed_run IS NULL").length).toBe(s.users.length + s.deletedUsers!.length);
    expect(rows(c.db, "SELECT id FROM nodes WHERE type = 'google.project' AND removed_run IS NULL").length).toBe(5);
    expect(rows(c.db, "SELECT id FROM nodes WHERE type = 'google.service_account' AND removed_run IS NULL").length)
      .toBe(Object.values(s.serviceAccounts!).flat().length);
  });

  test('the customer is the tenant; users are principals with normalised status, e-mails and admin flag', () => {
    expect(props(c.db, ids.customer('halcyon-logistics.com'))).toMatchObject({ customer_id: 'C03hlx9k2', domain: 'halcyon-logistics.com' });
    const admin = userByLogin(s, 'maya.chen');
    expect(props(c.db, ids.user(admin.id))).toMatchObject({ email: 'maya.chen@halcyon-logistics.com', status: 'active', is_admin: true });
    const departed = userByLogin(s, 'rafal.kowalski');
    expect(props(c.db, ids.user(departed.id))).toMatchObject({ status: 'disabled', suspended: true, is_admin: false });
    const withAlias = s.users.find((u) => u.aliases?.length)!;
    expect(props(c.db, ids.user(withAlias.id)).emails).toEqual(expect.arrayContaining([withAlias.primaryEmail, withAlias.aliases![0]]));
    const neverLoggedIn = s.users.find((u) => u.lastLoginTime?.startsWith('1970'))!;
    expect(props(c.db, ids.user(neverLoggedIn.id)).last_login_at).toBeNull();
    expect(props(c.db, ids.user(s.deletedUsers![0]!.id))).toMatchObject({ status: 'deleted' });
    expect(rows(c.db, "SELECT status FROM principals WHERE id = ?", ids.user(departed.id))).toEqual([{ status: 'disabled' }]);
  });

  test('the Gmail-reading app is one connector, granted by several users including a suspended one', () => {
    const app = ids.oauthClient(plantedGoogle.gmailApp.clientId);
    expect(props(c.db, app)).toMatchObject({ connector_type: 'google_oauth_client', app_id: plantedGoogle.gmailApp.clientId, native_app: false, anonymous: false, enabled: true });
    const grantors = rows<{ email: string; status: string }>(c.db, `
      SELECT json_extract(u.props, '$.email') AS email, json_extract(u.props, '$.status') AS status
        FROM edges hc JOIN edges ib ON ib.src = hc.dst AND ib.type = 'INSTALLED_BY' JOIN nodes u ON u.id = ib.dst
       WHERE hc.src = ? AND hc.type = 'HAS_CREDENTIAL' AND hc.removed_run IS NULL ORDER BY email`, app);
    expect(grantors.map((g) => g.email)).toEqual(['dieter.muller@halcyon-logistics.com', 'jide.okafor@halcyon-logistics.com',
      'rafal.kowalski@halcyon-logistics.com', 'tom.brooks@halcyon-logistics.com']);
    expect(grantors.find((g) => g.email.startsWith('rafal'))!.status).toBe('disabled');
    const rafal = userByLogin(s, 'rafal.kowalski');
    const grant = ids.grant(rafal.id, plantedGoogle.gmailApp.clientId);
    // the grant is dated by the latest authorize event the token audit log holds for that user and client
    const authorizedAt = (s.tokenEvents ?? []).filter((a) => a.actor.profileId === rafal.id
      && a.events.some((e) => e.name === 'authorize' && e.parameters?.some((p) => p.name === 'client_id' && p.value === plantedGoogle.gmailApp.clientId)))
      .map((a) => a.id.time!).sort().at(-1);
    expect(authorizedAt).toBeTruthy();
    expect(props(c.db, grant)).toMatchObject({ credential_type: 'oauth_user_grant', static: false, enabled: true, created_at: authorizedAt, expires_at: null });
    expect(rows(c.db, "SELECT scope FROM grants WHERE holder_id = ? ORDER BY scope", grant).map((r: any) => r.scope))
      .toEqual([...plantedGoogle.gmailApp.scopes].sort());
    // the user holds the grant too (who holds which credential is one join away)
    expect(rows(c.db, "SELECT holder_kind FROM credentials WHERE id = ? ORDER BY holder_kind", grant).map((r: any) => r.holder_kind))
      .toEqual(['connector', 'principal']);
  });

  test('native and anonymous clients keep their flags', () => {
    expect(props(c.db, ids.oauthClient('372615849302-drivefs.apps.googleusercontent.com'))).toMatchObject({ native_app: true });
    expect(props(c.db, ids.oauthClient('590817263549-sheetsaddon.apps.googleusercontent.com'))).toMatchObject({ anonymous: true });
  });

  test('the project-owner service account: its old key, its never-expiring key, and its reach', () => {
    const sa = ids.serviceAccount(plantedGoogle.ownerServiceAccount);
    expect(props(c.db, sa)).toMatchObject({ connector_type: 'gcp_service_account', enabled: true, created_at: null, project_id: 'halcyon-prod' });
    const old = props(c.db, ids.saKey(plantedGoogle.oldKeyId));
    expect(old).toMatchObject({ credential_type: 'gcp_sa_key_user_managed', key_type: 'USER_MANAGED', static: true, enabled: true, never_expires: false });
    expect(Date.parse('2026-11-20T00:00:00Z') - Date.parse(old.created_at as string)).toBeGreaterThan(90 * 86400_000);
    expect(props(c.db, ids.saKey(plantedGoogle.neverExpiringKeyId))).toMatchObject({ expires_at: null, never_expires: true, static: true });
    const sys = rows<{ props: string }>(c.db, "SELECT c.props FROM credentials c WHERE c.holder_id = ? AND c.credential_type = 'gcp_sa_key_system_managed'", sa);
    expect(sys.length).toBe(1);
    expect(JSON.parse(sys[0]!.props)).toMatchObject({ static: false });
    const reach = rows<{ resource_name: string; access_props: string }>(c.db, 'SELECT resource_name, access_props FROM reach WHERE holder_id = ?', sa);
    expect(reach.map((r) => r.resource_name)).toEqual(['halcyon-prod']);
    expect(JSON.parse(reach[0]!.access_props).roles).toEqual(['roles/owner']);
    // blast radius of the old key: key -> service account -> project, with roles
    const blast = rows<{ project: string; roles: string }>(c.db, `
      SELECT r.resource_name AS project, json_extract(r.access_props, '$.roles') AS roles
        FROM credentials k JOIN reach r ON r.holder_id = k.holder_id WHERE k.id = ?`, ids.saKey(plantedGoogle.oldKeyId));
    expect(blast).toEqual([{ project: 'halcyon-prod', roles: '["roles/owner"]' }]);
  });

  test('the unused service account has no key and no role', () => {
    const sa = ids.serviceAccount(plantedGoogle.unusedServiceAccount);
    expect(props(c.db, sa)).toMatchObject({ email: plantedGoogle.unusedServiceAccount, last_used_at: null });
    expect(rows(c.db, "SELECT 1 FROM edges WHERE src = ? AND type IN ('HAS_CREDENTIAL','CAN_ACCESS') AND removed_run IS NULL", sa)).toEqual([]);
  });

  test('the domain-wide-delegation service account carries its OAuth client id as app_id (the join key)', () => {
    expect(props(c.db, ids.serviceAccount(plantedGoogle.dwdServiceAccount))).toMatchObject({
      app_id: plantedGoogle.dwdClientId, oauth2_client_id: plantedGoogle.dwdClientId });
    expect(rows(c.db, "SELECT id FROM connectors WHERE app_id = ?", plantedGoogle.dwdClientId)).toEqual([{ id: ids.serviceAccount(plantedGoogle.dwdServiceAccount) }]);
  });

  test('external principals reach projects; people inside the domain are not mapped from IAM', () => {
    const ext = ids.member(plantedGoogle.externalMember);
    expect(props(c.db, ext)).toMatchObject({ external: true, email: 'consultant@bigconsult.example', status: 'unknown' });
    expect(rows(c.db, 'SELECT resource_name FROM reach WHERE holder_id = ?', ext)).toEqual([{ resource_name: 'halcyon-data' }]);
    // a Workload Identity principalSet's grant is its pool's (issue 19): the pool credential reaches the project, the member kept in the props
    const wif = rows<{ access_props: string }>(c.db, "SELECT access_props FROM reach WHERE holder_id = ? AND resource_name = 'halcyon-ci'",
      ids.wifPool('projects/400000000003/locations/global/workloadIdentityPools/github'));
    expect(wif.length).toBe(1);
    expect(JSON.parse(wif[0]!.access_props).member).toMatch(/^principalSet:\/\/.*\/attribute\.repository\/halcyon-logistics\/release-tools$/);
    expect(rows(c.db, "SELECT 1 FROM nodes WHERE type = 'google.iam_member' AND name LIKE '%halcyon-logistics.com'")).toEqual([]);
    const dbt = rows<{ access_props: string }>(c.db, "SELECT access_props FROM reach WHERE holder_name LIKE 'dbt-runner@%'")[0]!;
    expect(JSON.parse(dbt.access_props).conditional_roles).toEqual(['roles/bigquery.dataEditor']);
  });

  test('projects are resources and tenants', () => {
    expect(props(c.db, ids.project('halcyon-prod'))).toMatchObject({ project_id: 'halcyon-prod', project_number: '400000000000', state: 'ACTIVE' });
    expect(rows(c.db, "SELECT kind FROM nodes WHERE id = ?", ids.projectTenant('halcyon-prod'))).toEqual([{ kind: 'tenant' }]);
  });

  test('no key material, token or bearer reaches the database or the logs', () => {
    const files = [c.dbFile, `${c.dbFile}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1'));
    const logs = c.logs.join('\n');
    for (const secret of [PRIVATE_KEY_DATA, PUBLIC_KEY_DATA, 'PLANTED-KEY-MATERIAL', 'ya29.simulated-google-access-token', 'TYPE_GOOGLE_CREDENTIALS_FILE']) {
      for (const f of files) expect(f.includes(secret), secret).toBe(false);
      expect(logs.includes(secret), secret).toBe(false);
    }
    expect(c.sim.log.some((e) => e.route === 'service-account-keys')).toBe(true);
  });
});
