// Deploy keys with the GraphQL change signal (connectors/github/deploy-key-index.ts): call bounds, the same graph
// as the REST-only listing, a repository failing inside a GraphQL batch, and GraphQL's own rate budget.
import { afterEach, describe, expect, it } from 'vitest';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { DEPLOY_KEY_BATCH } from '../../connectors/github/deploy-key-index.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

const runs: SimCrawl[] = [];
afterEach(async () => { for (const r of runs.splice(0)) await r.close(); });
const start = async (...a: Parameters<typeof startSimCrawl>) => { const r = await startSimCrawl(...a); runs.push(r); return r; };

const keyCalls = (r: SimCrawl) => r.sim.log.filter((e) => /^\/repos\/[^/]+\/[^/]+\/keys$/.test(e.path));
const gqlCalls = (r: SimCrawl) => r.sim.log.filter((e) => e.path === '/graphql');
const graph = (r: SimCrawl) => ({
  nodes: rows(r.db, "SELECT id, kind, type, name, props FROM nodes WHERE removed_run IS NULL AND (type LIKE 'github.deploy_key%' OR id IN (SELECT dst FROM edges WHERE type = 'INSTALLED_BY')) ORDER BY id"),
  edges: rows(r.db, "SELECT type, src, dst, props FROM edges WHERE removed_run IS NULL AND src LIKE 'github:deploy_key:%' ORDER BY type, src, dst"),
});

describe('github deploy keys through the GraphQL change signal', () => {
  it('maps exactly the graph the REST-only listing maps', async () => {
    const rest = await start('github', buildGithubScenario());
    expect((await rest.crawl({ configPatch: { deployKeysVia: 'rest' } })).status).toBe('complete');
    const gql = await start('github', buildGithubScenario());
    expect((await gql.crawl()).status).toBe('complete');
    expect((await gql.crawl()).status).toBe('complete');
    const a = graph(rest);
    expect(a.nodes.length).toBeGreaterThan(0);
    expect(graph(gql)).toEqual(a);
    expect(keyCalls(rest)).toHaveLength(buildGithubScenario().repositories.length);
  });

  it('sends ceil(N / batch) GraphQL queries, then REST only for repositories with keys (full) or changed keys (incremental)', async () => {
    const { samlIdentities: _sso, ...s } = buildGithubScenario(); // no SAML: every GraphQL query here is the key index
    const n = s.repositories.length;
    const withKeys = s.repositories.filter((r) => (s.deployKeys?.[r.name] ?? []).length > 0).length;
    expect(withKeys).toBeLessThan(n);
    const run = await start('github', s);
    await run.crawl();
    // + 1: the members listing's SAML query (answered "no SAML SSO")
    expect(gqlCalls(run)).toHaveLength(Math.ceil(n / DEPLOY_KEY_BATCH) + 1);
    expect(keyCalls(run)).toHaveLength(n); // first run: nothing to compare with yet
    run.sim.log.length = 0;
    await run.crawl();
    expect(gqlCalls(run)).toHaveLength(Math.ceil(n / DEPLOY_KEY_BATCH) + 1);
    expect(keyCalls(run)).toHaveLength(withKeys); // full crawl: repositories without keys are not listed again
    run.sim.log.length = 0;
    const summary = await run.crawl({ mode: 'incremental' });
    expect(summary.status).toBe('complete');
    expect(keyCalls(run)).toHaveLength(0);
    // one key added: that repository alone is listed again, and the key lands
    const repo = s.repositories.find((r) => !(s.deployKeys?.[r.name] ?? []).length)!.name;
    s.deployKeys![repo] = [{ id: 990_001, title: 'new-key', read_only: false, key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4pZ2dl', created_at: '2026-11-01T00:00:00Z' }];
    run.sim.log.length = 0;
    await run.crawl({ mode: 'incremental' });
    expect(keyCalls(run).map((e) => e.path)).toEqual([`/repos/${s.org.login}/${repo}/keys`]);
    expect(rows(run.db, "SELECT id FROM nodes WHERE id = 'github:deploy_key:990001' AND removed_run IS NULL")).toHaveLength(1);
  });

  it('a repository failing inside a GraphQL batch is listed through REST; if that fails too its listing fails and nothing is removed', async () => {
    const s = buildGithubScenario();
    const run = await start('github', s);
    await run.crawl();
    await run.crawl();
    const repo = 'billing-api';
    const had = rows<{ id: string }>(run.db, "SELECT src id FROM edges WHERE type = 'CAN_ACCESS' AND src LIKE 'github:deploy_key:%' AND removed_run IS NULL AND dst = (SELECT id FROM nodes WHERE name = ?)", `${s.org.login}/${repo}`);
    expect(had.length).toBeGreaterThan(0);
    s.deployKeys![repo] = []; // GraphQL would now say "no keys" — but it errors on this repository
    s.graphqlErrors = { deployKeys: [repo] };
    run.sim.setFaults([{ path: `/repos/${s.org.login}/${repo}/keys`, kind: 'status', status: 502 }]);
    run.sim.log.length = 0;
    const summary = await run.crawl({ mode: 'incremental' });
    expect(summary.status).not.toBe('complete');
    const ledger = rows<{ status: string; listings_failed: number }>(run.db, "SELECT status, listings_failed FROM run_resources WHERE run_id = ? AND resource_type = 'github.deploy_keys'", summary.runId);
    expect(ledger[0]!.listings_failed).toBe(1);
    expect(ledger[0]!.status).not.toBe('complete');
    for (const k of had) expect(rows(run.db, 'SELECT id FROM nodes WHERE id = ? AND removed_run IS NULL', k.id)).toHaveLength(1);
    // the other repositories of the batch kept their GraphQL answer: no REST call for them
    expect(new Set(keyCalls(run).map((e) => e.path))).toEqual(new Set([`/repos/${s.org.login}/${repo}/keys`]));
  });

  it('GraphQL draws on its own rate budget, apart from REST core', async () => {
    const run = await start('github', buildGithubScenario());
    await run.crawl();
    const gql = gqlCalls(run);
    expect(gql.length).toBeGreaterThan(0);
    expect(gql.every((e) => e.bucket?.startsWith('graphql:'))).toBe(true);
    expect(keyCalls(run).every((e) => e.bucket?.startsWith('core:'))).toBe(true);
  });
});
