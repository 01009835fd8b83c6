// Item-level tolerance (issue 14, item 3): one item missing a field the vendor's schema marks nullable, or
// carrying a field of the wrong type, is skipped on its own and named in the ledger (native id and field);
// its listing is partial (nothing removed on its strength), the rest of the page and every child listing go
// on. A nullable field the mapper can live without (an application's appId, two /organization items) does
// not drop the item. Each case crawls the simulator clean, breaks one item, and crawls again.
import { afterEach, describe, expect, it } from 'vitest';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { azurePlanted, buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { buildSlackScenario, slackPlanted, TEAM_ID } from '../../scenarios/demo/slack.ts';
import { demoGoogle, fastQuotas } from '../google/fixtures.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import type { Db } from '../../src/graph/db.ts';

let sc: SimCrawl | undefined;
afterEach(async () => { await sc?.close(); sc = undefined; });

const ledger = (run: CrawlSummary, type: string) => {
  const r = run.resources.find((x) => x.resourceType === type);
  if (!r) throw new Error(`no ledger row for ${type}`);
  return r;
};
const removedIn = (db: Db, runId: number) => rows<{ entity_id: string }>(db, `SELECT entity_id FROM change_log WHERE run_id = ? AND change = 'removed'`, runId);
const live = (db: Db, type: string) => rows<{ id: string; last_seen_run: number }>(db, 'SELECT id, last_seen_run FROM nodes WHERE type = ? AND removed_run IS NULL ORDER BY id', type);
const liveIds = (db: Db, type: string) => live(db, type).map((n) => n.id);
const seenIn = (db: Db, id: string) => rows<{ last_seen_run: number }>(db, 'SELECT last_seen_run FROM nodes WHERE id = ?', id)[0]?.last_seen_run;

/** Crawls clean, lets `breakIt` damage the scenario (or the simulator's answers), crawls again. */
async function crawlTwice(provider: string, scenario: unknown, breakIt: (sc: SimCrawl) => void, configPatch?: Record<string, unknown>) {
  sc = await startSimCrawl(provider, scenario);
  const first = await sc.crawl({ configPatch });
  expect(first.status).toBe('complete');
  breakIt(sc);
  const second = await sc.crawl({ configPatch });
  return { first, second, db: sc.db };
}

describe('azure: one malformed item', () => {
  const appNamed = (s: ReturnType<typeof buildAzureScenario>, name: string) => s.applications.find((a) => a.displayName === name)!;

  it('an application without appId is mapped with what is there (appId is nullable): the listing completes', async () => {
    const s = buildAzureScenario();
    const app = appNamed(s, 'halcyon-billing-api');
    const { second, db } = await crawlTwice('azure', s, () => { delete (app as { appId?: string }).appId; });
    expect(ledger(second, 'azure.applications').status).toBe('complete');
    expect(JSON.parse(rows<{ props: string }>(db, 'SELECT props FROM nodes WHERE id = ?', `azure:application:${app.id}`)[0]!.props).app_id).toBeNull();
    expect(ledger(second, 'azure.application_credentials').status).toBe('complete');
    expect(ledger(second, 'azure.application_owners').status).toBe('complete');
    expect(removedIn(db, second.runId)).toEqual([]);
  });

  it('a password credential without keyId is skipped alone: the app and its other credentials stay, nothing removed', async () => {
    const s = buildAzureScenario();
    const app = appNamed(s, 'route-planner-api');
    let before: string[] = [];
    const { second, db } = await crawlTwice('azure', s, (c) => {
      before = liveIds(c.db, 'azure.client_secret');
      delete (app.passwordCredentials![0] as { keyId?: string }).keyId;
    });
    expect(ledger(second, 'azure.applications').status).toBe('complete');
    const creds = ledger(second, 'azure.application_credentials');
    expect(creds.status).toBe('partial');
    expect(creds.error).toContain(app.id);
    expect(creds.error).toContain('passwordCredentials[].keyId');
    // the app's certificate and every other app's secrets were listed this run
    expect(live(sc!.db, 'azure.certificate').every((n) => n.last_seen_run === second.runId)).toBe(true);
    expect(liveIds(db, 'azure.client_secret')).toEqual(before);
    expect(removedIn(db, second.runId)).toEqual([]);
    expect(ledger(second, 'azure.application_owners').status).toBe('complete');
    expect(ledger(second, 'azure.service_principals').status).toBe('complete');
  });

  it('a certificate without keyId is skipped alone', async () => {
    const s = buildAzureScenario();
    const app = appNamed(s, 'saml-portal');
    const { second, db } = await crawlTwice('azure', s, () => { delete (app.keyCredentials![0] as { keyId?: string }).keyId; });
    const creds = ledger(second, 'azure.application_credentials');
    expect(creds.status).toBe('partial');
    expect(creds.error).toContain(app.id);
    expect(creds.error).toContain('keyCredentials[].keyId');
    expect(ledger(second, 'azure.applications').status).toBe('complete');
    expect(live(db, 'azure.client_secret').every((n) => n.last_seen_run === second.runId)).toBe(true);
    expect(removedIn(db, second.runId)).toEqual([]);
  });

  it('an app role assignment without resourceId is skipped alone: the other assignments and listings stay', async () => {
    const s = buildAzureScenario();
    const broken = s.appRoleAssignments!.find((a) => a.principalId === azurePlanted.mailApp.spId)!;
    const { second, db } = await crawlTwice('azure', s, () => { delete (broken as { resourceId?: string }).resourceId; });
    const ara = ledger(second, 'azure.app_role_assignments');
    expect(ara.status).toBe('partial');
    expect(ara.error).toContain(broken.id);
    expect(ara.error).toContain('appRoleAssignments[].resourceId');
    expect(ledger(second, 'azure.service_principals').status).toBe('complete');
    expect(ledger(second, 'azure.delegated_grants').status).toBe('complete');
    // the other service principals' application permissions were listed this run; the broken one's edge is kept
    const edges = rows<{ src: string; last_seen_run: number }>(db, `SELECT src, last_seen_run FROM edges WHERE type = 'HAS_SCOPE' AND removed_run IS NULL AND props LIKE '%"type":"Application"%'`);
    expect(edges.filter((e) => e.src !== `azure:service_principal:${azurePlanted.mailApp.spId}`).every((e) => e.last_seen_run === second.runId)).toBe(true);
    expect(edges.some((e) => e.src === `azure:service_principal:${azurePlanted.mailApp.spId}`)).toBe(true);
    expect(removedIn(db, second.runId)).toEqual([]);
  });

  it('a delegated grant whose scope is not a string is skipped alone (no raw TypeError)', async () => {
    const s = buildAzureScenario();
    const broken = s.oauth2PermissionGrants!.find((g) => g.id === 'grant-opsgenie-all')!;
    const { second, db } = await crawlTwice('azure', s, () => { (broken as { scope: unknown }).scope = 42; });
    const grants = ledger(second, 'azure.delegated_grants');
    expect(grants.status).toBe('partial');
    expect(grants.error).toContain('grant-opsgenie-all');
    expect(grants.error).toContain('oauth2PermissionGrants[].scope: expected a string or null, got a number');
    expect(grants.error).not.toMatch(/is not a function/);
    expect(removedIn(db, second.runId)).toEqual([]);
  });

  it('two /organization items: the configured tenant is the one used, and nothing fails', async () => {
    const s = buildAzureScenario();
    const other = { ...s.organization, id: '0f0f0f0f-1111-4222-8333-444455556666', displayName: 'Someone Else', verifiedDomains: [] };
    const { second, db } = await crawlTwice('azure', s, (c) => c.sim.setFaults([{ route: 'organization', kind: 'status', status: 200,
      body: { '@odata.context': 'x', value: [other, s.organization] } }]));
    expect(ledger(second, 'azure.tenant').status).toBe('complete');
    expect(ledger(second, 'azure.service_principals').status).toBe('complete');
    expect(rows(db, `SELECT name FROM nodes WHERE type = 'azure.tenant'`)).toEqual([{ name: s.organization.displayName }]);
    // our own apps are still ours (ownership compares with the tenant's GUID)
    const own = rows<{ props: string }>(db, `SELECT props FROM nodes WHERE type = 'azure.service_principal' AND name = 'halcyon-billing-api'`)[0]!;
    expect(JSON.parse(own.props).ownership).toBe('internal');
    expect(removedIn(db, second.runId)).toEqual([]);
  });

  it('an application without id is skipped and named; its children are not listed and keep what they had', async () => {
    const s = buildAzureScenario();
    const app = appNamed(s, 'saml-portal');
    const appId = app.appId;
    const objectId = app.id;
    const { second, db } = await crawlTwice('azure', s, () => { delete (app as { id?: string }).id; });
    const apps = ledger(second, 'azure.applications');
    expect(apps.status).toBe('partial');
    expect(apps.error).toContain(`appId=${appId}`);
    expect(apps.error).toContain('applications[].id');
    expect(ledger(second, 'azure.application_credentials').status).not.toBe('complete');
    expect(ledger(second, 'azure.application_owners').status).not.toBe('complete');
    expect(seenIn(db, `azure:application:${objectId}`)).toBeLessThan(second.runId);
    expect(live(db, 'azure.application').filter((n) => n.id !== `azure:application:${objectId}`).every((n) => n.last_seen_run === second.runId)).toBe(true);
    expect(removedIn(db, second.runId)).toEqual([]);
  });
});

describe('github: one malformed item', () => {
  it('an installation without id is skipped and named; the other installations and their apps are listed', async () => {
    const s = buildGithubScenario();
    const broken = s.installations![0]!;
    const id = broken.id;
    const { second, db } = await crawlTwice('github', s, () => { delete (broken as { id?: number }).id; });
    const inst = ledger(second, 'github.app_installations');
    expect(inst.status).toBe('partial');
    expect(inst.error).toContain(`app_slug=${broken.app_slug}`);
    expect(inst.error).toContain('installations[].id: expected an id');
    expect(seenIn(db, `github:app_installation:${id}`)).toBeLessThan(second.runId);
    const others = live(db, 'github.app_installation').filter((n) => n.id !== `github:app_installation:${id}`);
    expect(others.length).toBe(s.installations!.length - 1);
    expect(others.every((n) => n.last_seen_run === second.runId)).toBe(true);
    // the apps behind the other installations were read this run
    const published = rows<{ n: number }>(db, `SELECT count(*) n FROM edges WHERE type = 'PUBLISHED_BY' AND removed_run IS NULL AND last_seen_run = ?`, second.runId)[0]!.n;
    expect(published).toBeGreaterThan(0);
    expect(removedIn(db, second.runId)).toEqual([]);
  });

  it('a member whose login is not a string is skipped and named (no raw TypeError)', async () => {
    const s = buildGithubScenario();
    const members = s.members.map((m, i) => (i === 2 ? { ...m, login: 12345 } : m));
    const { second, db } = await crawlTwice('github', s, (c) => c.sim.setFaults([{ route: 'members', kind: 'status', status: 200, body: members }]));
    const m = ledger(second, 'github.members');
    expect(m.status).toBe('partial');
    expect(m.error).toContain(String(s.members[2]!.id));
    expect(m.error).toContain('members[].login: expected a string, got a number');
    expect(m.error).not.toMatch(/is not a function/);
    expect(live(db, 'github.user').filter((n) => n.last_seen_run === second.runId).length).toBeGreaterThanOrEqual(s.members.length - 1);
    expect(removedIn(db, second.runId)).toEqual([]);
  });
});

describe('slack: one malformed item', () => {
  it('an integration-log entry whose scope is not a string is skipped and named (no raw TypeError)', async () => {
    const s = buildSlackScenario();
    const logs = s.workspaces[0]!.integrationLogs;
    const broken = logs.find((e) => e.app_id === slackPlanted.adminApp.id)!;
    const { second, db } = await crawlTwice('slack', s, () => { (broken as { scope: unknown }).scope = 7; });
    const il = ledger(second, 'slack.integration_logs');
    expect(il.status).toBe('partial');
    expect(il.error).toContain(slackPlanted.adminApp.id);
    expect(il.error).toContain('logs[].scope: expected a string or null, got a number');
    expect(il.error).not.toMatch(/is not a function/);
    expect(live(db, 'slack.app').filter((n) => n.last_seen_run === second.runId).length).toBeGreaterThan(5);
    expect(removedIn(db, second.runId)).toEqual([]);
  });

  it('a user whose name is not text is skipped alone, not the page it came on', async () => {
    const s = buildSlackScenario();
    const users = s.workspaces[0]!.users;
    const broken = users[5]!;
    const { second, db } = await crawlTwice('slack', s, () => { (broken as { real_name: unknown }).real_name = 42; });
    const u = ledger(second, 'slack.users');
    expect(u.status).toBe('partial');
    expect(u.error).toContain(`${broken.id} (slack.users item: expected a text name, got a number)`);
    expect(live(db, 'slack.user').filter((n) => n.last_seen_run === second.runId).length).toBe(users.filter((x) => !x.is_bot && x.id !== 'USLACKBOT').length - 1);
    expect(removedIn(db, second.runId)).toEqual([]);
  });

  it('a user without id is skipped and named; the other users and bots are listed', async () => {
    const s = buildSlackScenario();
    const users = s.workspaces[0]!.users;
    const broken = users[3]!;
    const name = broken.name;
    const { second, db } = await crawlTwice('slack', s, () => { delete (broken as { id?: string }).id; });
    const u = ledger(second, 'slack.users');
    expect(u.status).toBe('partial');
    expect(u.error).toContain(`name=${name}`);
    expect(u.error).toContain('members[].id');
    expect(live(db, 'slack.user').filter((n) => n.last_seen_run === second.runId).length).toBe(users.filter((x) => !x.is_bot && x.id !== 'USLACKBOT').length - 1);
    expect(removedIn(db, second.runId)).toEqual([]);
    expect(ledger(second, 'slack.workspaces').status).toBe('complete');
    expect(TEAM_ID).toBe(s.workspaces[0]!.team.id);
  });
});

describe('google: one malformed item', () => {
  it('a user without primaryEmail is skipped and named; the other users and their grants are listed', async () => {
    const s = demoGoogle();
    const broken = s.users[4]!;
    const { second, db } = await crawlTwice('google', s, () => { delete (broken as { primaryEmail?: string }).primaryEmail; }, fastQuotas);
    const u = ledger(second, 'google.users');
    expect(u.status).toBe('partial');
    expect(u.error).toContain(broken.id);
    expect(u.error).toContain('users[].primaryEmail');
    // its grants were not listed (no parent): the grant listing cannot claim completeness, and keeps them
    expect(ledger(second, 'google.oauth_tokens').status).not.toBe('complete');
    expect(live(db, 'google.user').filter((n) => n.last_seen_run === second.runId).length).toBe(s.users.length - 1 + (s.deletedUsers?.length ?? 0));
    expect(seenIn(db, `google:user:${broken.id}`)).toBeLessThan(second.runId);
    expect(removedIn(db, second.runId)).toEqual([]);
  });

  it('an OAuth grant whose scopes are not a list of strings is skipped alone', async () => {
    const s = demoGoogle();
    const [userKey, tokens] = Object.entries(s.tokens!).find(([, t]) => t.length > 1)!;
    const clientId = tokens[0]!.clientId;
    const { second, db } = await crawlTwice('google', s, () => { (tokens[0] as { scopes: unknown }).scopes = 'https://mail.google.com/'; }, fastQuotas);
    const t = ledger(second, 'google.oauth_tokens');
    expect(t.status).toBe('partial');
    expect(t.error).toContain(clientId);
    expect(t.error).toContain('items[].scopes: expected a list of strings, got a string');
    expect(userKey).toBeTruthy();
    expect(live(db, 'google.oauth_grant').filter((n) => n.last_seen_run === second.runId).length).toBeGreaterThan(0);
    expect(removedIn(db, second.runId)).toEqual([]);
  });
});
