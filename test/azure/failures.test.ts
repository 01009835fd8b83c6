// Failure handling: a failing listing leaves the run partial and removes nothing it owned; 429 + Retry-After
// is honoured (for plain requests and for sub-requests of a $batch); a tenant without the sign-in licence
// records the sign-in listing as unsupported, not failed.
import { afterEach, describe, expect, it } from 'vitest';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { azurePlanted, buildAzureScenario } from '../../scenarios/demo/azure.ts';
import type { Fault } from '../../src/simulator/faults.ts';

let sc: SimCrawl | undefined;
afterEach(async () => { await sc?.close(); sc = undefined; });
const status = (s: { resources: Array<{ resourceType: string; status: string }> }, type: string) => s.resources.find((r) => r.resourceType === type)!.status;
const throttle = (route: string, retryAfter = '1'): Fault => ({ route, kind: 'status', status: 429, times: 1, headers: { 'retry-after': retryAfter },
  body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } } });

describe('azure: failures', () => {
  it('one failing listing leaves the run partial, removes nothing of it, and the others complete', async () => {
    sc = await startSimCrawl('azure', buildAzureScenario());
    expect((await sc.crawl()).status).toBe('complete');
    const before = rows<{ n: number }>(sc.db, `SELECT count(*) n FROM nodes WHERE type = 'azure.service_principal' AND removed_run IS NULL`)[0]!.n;
    sc.sim.setFaults([{ route: 'servicePrincipals-delta', kind: 'status', status: 500, body: { error: { code: 'InternalServerError', message: 'boom' } } }]);
    const run = await sc.crawl();
    expect(run.status).toBe('partial');
    expect(status(run, 'azure.service_principals')).toBe('failed');
    expect(status(run, 'azure.applications')).toBe('complete');
    expect(status(run, 'azure.users')).toBe('complete');
    expect(status(run, 'azure.subscription_role_assignments')).toBe('complete');
    expect(rows(sc.db, `SELECT count(*) n FROM nodes WHERE type = 'azure.service_principal' AND removed_run IS NULL`)).toEqual([{ n: before }]);
    expect(rows(sc.db, `SELECT count(*) n FROM change_log WHERE run_id = ? AND change = 'removed'`, run.runId)).toEqual([{ n: 0 }]);
    // The stored delta link of the failed listing is not advanced.
    expect(rows(sc.db, `SELECT count(*) n FROM crawl_state WHERE key = 'servicePrincipals.deltaLink' AND run_id = ?`, run.runId)).toEqual([{ n: 0 }]);
  });

  it('honours 429 + Retry-After: no retry before the wait', async () => {
    sc = await startSimCrawl('azure', buildAzureScenario(), { faults: [throttle('applications-delta', '1')] });
    const run = await sc.crawl();
    expect(run.status).toBe('complete');
    const calls = sc.sim.log.filter((e) => e.route === 'applications-delta');
    expect(calls[0]!.status).toBe(429);
    expect(calls[1]!.status).toBe(200);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(run.totals.retries).toBeGreaterThanOrEqual(1);
  });

  it('re-sends only the throttled sub-requests of a $batch, after their Retry-After', async () => {
    sc = await startSimCrawl('azure', buildAzureScenario(), { faults: [throttle('sp-owners', '1')] });
    const run = await sc.crawl();
    expect(run.status).toBe('complete');
    const owners = sc.sim.log.filter((e) => e.route === 'batch:sp-owners');
    const first = owners.find((e) => e.status === 429)!;
    const again = owners.filter((e) => e.path === first.path);
    expect(again.map((e) => e.status)).toEqual([429, 200]);
    expect(again[1]!.at - first.at).toBeGreaterThanOrEqual(1000);
    // Only that one sub-request was sent twice.
    const paths = sc.sim.log.filter((e) => e.route.startsWith('batch:') && e.route !== 'batch:sp-get' && e.route !== 'batch:sp-list').map((e) => e.path);
    expect(paths.length - new Set(paths).size).toBe(1);
    // The MailMetrics owner (whose listing may have been the throttled one) is there.
    expect(rows(sc.db, `SELECT count(*) n FROM owners WHERE connector_id = ?`, `azure:service_principal:${azurePlanted.mailApp.spId}`)).toEqual([{ n: 1 }]);
  });

  it('a tenant without the sign-in licence records sign-in activity as not_applicable (the edition lacks it), not failed', async () => {
    const scenario = buildAzureScenario();
    scenario.signInActivities = null;
    sc = await startSimCrawl('azure', scenario);
    const run = await sc.crawl();
    expect(run.status).toBe('complete');
    const r = run.resources.find((x) => x.resourceType === 'azure.sign_in_activity')!;
    expect(r.status).toBe('not_applicable');
    expect(r.error).toMatch(/P1\/P2 licence.*Authentication_RequestFromNonPremiumTenantOrB2CTenant/);
    expect(status(run, 'azure.service_principals')).toBe('complete');
    expect(rows(sc.db, `SELECT json_extract(props, '$.last_used_at') u, json_extract(props, '$.last_used_source') s FROM nodes WHERE id = ?`,
      `azure:service_principal:${azurePlanted.mailApp.spId}`)).toEqual([{ u: null, s: null }]);
  });

  it('a failing sub-request fails only the listing it belongs to', async () => {
    sc = await startSimCrawl('azure', buildAzureScenario());
    expect((await sc.crawl()).status).toBe('complete');
    // (a 403 Authorization_RequestDenied is a refusal, recorded as unsupported with the permission: test/coverage/permission-hints.test.ts)
    sc.sim.setFaults([{ route: 'app-fic', kind: 'status', status: 404, times: 1,
      body: { error: { code: 'Request_ResourceNotFound', message: 'Resource does not exist or one of its queried reference-property objects are not present.' } } }]);
    const run = await sc.crawl();
    expect(run.status).toBe('partial');
    const r = run.resources.find((x) => x.resourceType === 'azure.application_credentials')!;
    expect(r.status).toBe('partial');
    expect(r.listingsFailed).toBe(1);
    expect(r.error).toMatch(/Request_ResourceNotFound/);
    expect(rows(sc.db, `SELECT count(*) n FROM change_log WHERE run_id = ? AND change = 'removed'`, run.runId)).toEqual([{ n: 0 }]);
  });
});
