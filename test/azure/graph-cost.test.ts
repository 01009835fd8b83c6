// Graph cost accounting (issue 16 item 6): the crawler draws what Graph's identity-and-access table says a
// request costs in resource units (appRoleAssignments and oauth2PermissionGrants 2, $select −1, …), per
// $batch sub-request, and charges what Graph reports beyond that (x-ms-resource-unit), so a crawl paced at
// the tenant's budget gets no 429. The simulator meters the same documented costs.
import { afterEach, describe, expect, it } from 'vitest';
import { chargedUnits, graphRequestCost } from '../../connectors/azure/graph-cost.ts';
import { RateBudget } from '../../src/crawl/rate-budget.ts';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

let sc: SimCrawl | undefined;
afterEach(async () => { await sc?.close(); sc = undefined; });

describe('graph request cost (documented identity-and-access table)', () => {
  it.each([
    ['GET', 'https://graph.microsoft.com/v1.0/applications', 2],
    ['GET', 'https://graph.microsoft.com/v1.0/applications?$select=id,appId', 1],
    ['GET', 'https://graph.microsoft.com/v1.0/applications/delta', 1],
    ['GET', '/servicePrincipals/abc/appRoleAssignments', 2],
    ['GET', '/servicePrincipals/abc/appRoleAssignments?$top=10', 1],
    ['GET', '/oauth2PermissionGrants?$filter=clientId%20eq%20%27x%27', 2],
    ['GET', '/oauth2PermissionGrants/grant-1', 2],
    ['GET', 'https://graph.microsoft.com/beta/users', 2],
    ['GET', '/users?$expand=manager', 3],
    ['GET', '/groups/g1/transitiveMembers', 5],
    ['GET', '/servicePrincipals/abc/owners', 1],
    ['GET', '/servicePrincipals/abc/owners?$select=id&$top=5', 1],
    ['POST', '/directoryObjects/getByIds', 3],
    ['POST', '/applications', 1],
  ] as const)('%s %s costs %i', (method, url, cost) => {
    expect(graphRequestCost(method, url)).toBe(cost);
  });

  it('reads x-ms-resource-unit, ignoring what is not a small positive integer', () => {
    expect(chargedUnits({ 'X-Ms-Resource-Unit': '3' })).toBe(3);
    expect(chargedUnits({ 'x-ms-resource-unit': 'abc' })).toBeUndefined();
    expect(chargedUnits({ 'x-ms-resource-unit': '-2' })).toBeUndefined();
    expect(chargedUnits({})).toBeUndefined();
  });

  it('units charged after the fact make the next call wait, not the one that reported them', async () => {
    const after = async (charge: number, at: number) => {
      let now = 0;
      const budget = new RateBudget({ now: () => now, maxWaitMs: 0 });
      budget.declare('graph', { calls: 10, perMs: 1000 });
      await budget.acquire('graph'); budget.release('graph'); // slot 0 → next at 100 ms
      now = 100;
      budget.charge('graph', charge); // Graph said the call cost 1 + charge units
      now = at;
      return budget.acquire('graph');
    };
    await expect(after(0, 100)).resolves.toBeUndefined();
    await expect(after(5, 100)).rejects.toThrow(/exhausted/);
    await expect(after(5, 599)).rejects.toThrow(/exhausted/);
    await expect(after(5, 600)).resolves.toBeUndefined();
  });
});

describe('azure: a crawl paced at the tenant budget is not throttled', () => {
  // The simulator grants 100 RU per second; the crawler is told 80 (headroom for scheduling jitter on a loaded
  // machine, as the default 3,000 per 10 s leaves under a small tenant's 3,500). With one unit per request (the old
  // accounting) this crawl still drew 429s at 80; with the documented costs and x-ms-resource-unit it draws none.
  for (const batch of [true, false]) {
    it(`${batch ? 'with' : 'without'} $batch: zero 429s, every request charged at its documented cost`, async () => {
      sc = await startSimCrawl('azure', { ...buildAzureScenario({ applications: 40, servicePrincipals: 120, users: 60 }), throttle: { resourceUnits: 100, windowMs: 1000 } });
      const run = await sc.crawl({ configPatch: { graphRequestsPer10s: 800, batch } });
      expect(run.status).toBe('complete');
      expect(sc.sim.log.filter((e) => e.status === 429)).toEqual([]);
      expect(run.totals.retries).toBe(0);
      // the tenant's 2-unit reads were made (so the costs mattered)
      expect(sc.sim.log.filter((e) => /sp-app-role-assignments|sp-grants/.test(e.route)).length).toBeGreaterThan(50);
    }, 60_000);
  }
});
