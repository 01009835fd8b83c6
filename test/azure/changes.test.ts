// History across crawls: removals and permission changes land in change_log; a delta (incremental) crawl
// after one change makes only delta listings and records exactly that change; an expired delta link falls
// back to a full listing and says why.
import { afterEach, describe, expect, it } from 'vitest';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { azurePlanted, buildAzureScenario } from '../../scenarios/demo/azure.ts';

let sc: SimCrawl | undefined;
afterEach(async () => { await sc?.close(); sc = undefined; });

const changes = (s: SimCrawl, runId: number) =>
  rows<{ entity: string; entity_id: string; change: string; kind: string }>(s.db, 'SELECT entity, entity_id, change, kind FROM change_log WHERE run_id = ? ORDER BY id', runId);

describe('azure: changes between crawls', () => {
  it('records a removed app registration (and its secret) and a revoked application permission', async () => {
    const scenario = buildAzureScenario();
    sc = await startSimCrawl('azure', scenario);
    expect((await sc.crawl()).status).toBe('complete');
    const legacy = scenario.applications.find((a) => a.displayName === azurePlanted.tenYearSecretApp)!;
    scenario.applications.splice(scenario.applications.indexOf(legacy), 1);
    scenario.appRoleAssignments = scenario.appRoleAssignments!.filter((a) => a.principalId !== azurePlanted.mailApp.spId);
    scenario.appRoleAssignments.push({ id: 'ara-new', appRoleId: '19dbc75e-c2e2-444c-a770-ec69d8559fc7', principalId: azurePlanted.mailApp.spId,
      resourceId: azurePlanted.graphSp, principalType: 'ServicePrincipal', createdDateTime: '2026-11-21T10:00:00Z' });
    const second = await sc.crawl();
    expect(second.status).toBe('complete');
    const log = changes(sc, second.runId);
    expect(log).toEqual(expect.arrayContaining([
      expect.objectContaining({ entity: 'node', entity_id: `azure:application:${legacy.id}`, change: 'removed' }),
      expect.objectContaining({ entity: 'node', entity_id: `azure:client_secret:${legacy.passwordCredentials![0]!.keyId}`, change: 'removed' }),
      expect.objectContaining({ entity: 'edge', entity_id: expect.stringMatching(new RegExp(`service_principal:${azurePlanted.mailApp.spId}\\|HAS_SCOPE\\|.*/application/Mail\\.Read$`)), change: 'removed' }),
      expect.objectContaining({ entity: 'edge', entity_id: expect.stringMatching(/\|HAS_SCOPE\|.*\/application\/Directory\.ReadWrite\.All$/), change: 'added' }),
    ]));
  });

  it('a delta crawl after one change makes only delta listings and records exactly that change', async () => {
    const scenario = buildAzureScenario();
    sc = await startSimCrawl('azure', scenario);
    expect((await sc.crawl({ mode: 'incremental' })).status).toBe('complete'); // no delta link yet: the full round
    const mark = sc.sim.log.length;
    const contoso = scenario.servicePrincipals.find((p) => p.displayName === 'Contoso HR Sync')!;
    contoso.accountEnabled = false;
    const run = await sc.crawl({ mode: 'incremental' });
    expect(run.status).toBe('complete');
    const calls = sc.sim.log.slice(mark);
    const listings = calls.filter((e) => /^\/v1\.0\/(applications|servicePrincipals|users)(\/delta)?$/.test(e.path));
    expect(listings.map((e) => e.path).sort()).toEqual(['/v1.0/applications/delta', '/v1.0/servicePrincipals/delta', '/v1.0/users/delta']);
    for (const e of listings) expect(decodeURIComponent(e.query)).toContain('$deltatoken=');
    expect(calls.filter((e) => e.route === 'deleted-users')).toEqual([]);
    // Per-object reads only for the changed service principal (plus the permission-name lookups of its resource APIs).
    const lookups = calls.filter((e) => e.route === 'batch:sp-get' || e.route === 'batch:sp-list');
    for (const e of lookups) expect(e.path.includes(azurePlanted.graphSp) || e.query.includes('appId')).toBe(true);
    const perObject = calls.filter((e) => (e.route.startsWith('batch:sp-') || e.route.startsWith('batch:app-')) && !lookups.includes(e));
    expect(perObject.length).toBeGreaterThan(0);
    for (const e of perObject) expect(e.path).toContain(contoso.id);
    expect(changes(sc, run.runId)).toEqual([{ entity: 'node', entity_id: `azure:service_principal:${contoso.id}`, change: 'modified', kind: 'connector' }]);
    expect(rows(sc.db, `SELECT count(*) n FROM nodes WHERE provider = 'azure' AND removed_run IS NOT NULL`)).toEqual([{ n: 0 }]);
  });

  it('a delta crawl records deletions reported as @removed, users moved to the recycle bin as deleted', async () => {
    const scenario = buildAzureScenario();
    sc = await startSimCrawl('azure', scenario);
    await sc.crawl({ mode: 'incremental' });
    const gone = scenario.servicePrincipals.find((p) => p.displayName === 'CalendarBot')!;
    scenario.servicePrincipals.splice(scenario.servicePrincipals.indexOf(gone), 1);
    const leaver = scenario.users.find((u) => u.userPrincipalName!.startsWith('tom.brooks'))!;
    scenario.users.splice(scenario.users.indexOf(leaver), 1);
    scenario.deletedUsers!.push({ ...leaver, deletedDateTime: '2026-11-22T08:00:00Z' } as never);
    const run = await sc.crawl({ mode: 'incremental' });
    expect(run.status).toBe('complete');
    const log = changes(sc, run.runId);
    expect(log).toEqual(expect.arrayContaining([
      expect.objectContaining({ entity: 'node', entity_id: `azure:service_principal:${gone.id}`, change: 'removed' }),
      expect.objectContaining({ entity: 'edge', entity_id: expect.stringMatching(new RegExp(`^azure:service_principal:${gone.id}\\|HAS_SCOPE`)), change: 'removed' }),
      expect.objectContaining({ entity: 'node', entity_id: `azure:user:${leaver.id}`, change: 'modified' }),
    ]));
    expect(rows(sc.db, `SELECT status FROM principals WHERE id = ?`, `azure:user:${leaver.id}`)).toEqual([{ status: 'deleted' }]);
  });

  it('an expired delta link means a full listing for that resource, not a failure, and the reason is kept', async () => {
    const scenario = buildAzureScenario();
    sc = await startSimCrawl('azure', scenario);
    await sc.crawl({ mode: 'incremental' });
    scenario.expireDeltaTokens = true;
    const legacy = scenario.applications.find((a) => a.displayName === azurePlanted.tenYearSecretApp)!;
    scenario.applications.splice(scenario.applications.indexOf(legacy), 1);
    const mark = sc.sim.log.length;
    const run = await sc.crawl({ mode: 'incremental' });
    expect(run.status).toBe('complete');
    const calls = sc.sim.log.slice(mark).filter((e) => e.route === 'applications-delta');
    expect(calls[0]!.status).toBe(400);
    expect(calls.slice(1).every((e) => e.status === 200 && !decodeURIComponent(e.query).includes('$deltatoken'))).toBe(true);
    // The full round lets the completed listing remove what it no longer returns.
    expect(changes(sc, run.runId)).toEqual(expect.arrayContaining([expect.objectContaining({ entity_id: `azure:application:${legacy.id}`, change: 'removed' })]));
    expect(sc.logs.some((l) => l.includes('delta link expired') && l.includes('syncStateNotFound'))).toBe(true);
    const reason = rows<{ value: string }>(sc.db, `SELECT value FROM crawl_state WHERE provider = 'azure' AND key = 'applications.lastFullReason'`)[0]!;
    expect(reason.value).toMatch(/delta link expired \(syncStateNotFound\)/);
  });
});
