// The reach graph held in memory (src/reach/memory-graph.ts) gives every walk the same steps as the `paths` view
// (migration 023) — CONTROLS composed in memory by the view's rule included — on both backends; the view's
// same-application step (a credential acts as the other connectors of its application, same provider, tenant and
// app_id, never another tenant's); CONTROLS only through a scope that changes what workflows run (one notion of write:
// pull_requests:write alone controls nothing); the acting step (a pool's workloads act as the project's connectors
// when its access names the endpoint in acts_as_connectors_for), never through a disabled pool.
import { expect, it } from 'vitest';
import { findPaths } from '../../src/cli/paths.ts';
import type { Db } from '../../src/graph/db.ts';
import type { PathStep } from '../../src/graph/paths-queries.ts';
import { dbStepSource } from '../../src/reach/db-source.ts';
import { endGrade, stepLevel } from '../../src/reach/levels.ts';
import { loadReachGraph } from '../../src/reach/memory-graph.ts';
import { computeReachSummaries } from '../../src/reach/summaries.ts';
import { reachFrom, type Hop } from '../../src/reach/walk.ts';
import { describeBackends } from '../helpers/backends.ts';
import { crawlRun, edge } from '../reconcile/helpers.ts';
import { ID, writeFixture } from './fixture.ts';

const X = {
  app: 'azure:connector:deploy-app', sp: 'azure:connector:deploy-sp', other: 'azure:connector:deploy-other-tenant', fic: 'azure:credential:fic-x',
  prod2: 'azure:subscription:sub3', prbot: 'github:connector:prbot', keybot: 'github:connector:keybot', key: 'github:credential:keybot-key',
  pool: 'google:wif_pool:p1', offPool: 'google:wif_pool:p2', project: 'google:project:ci', projectTenant: 'google:project_tenant:ci', sa: 'google:service_account:deployer@ci',
} as const;

/** The fixture, plus: an application whose federated credential trusts R, its service principal (same app_id, another
 * case) holding Owner on Prod2, a connector of the same app_id in another tenant, a GitHub app with pull_requests:write on R,
 * and one whose deploy key writes R and reads Prod2. */
function graph(db: Db): void {
  writeFixture(db);
  crawlRun(db, 'azure', { 'azure.all': {
    nodes: [
      { id: X.app, kind: 'connector', type: 'azure.application', name: 'deploy-app', props: { connector_type: 'entra_application', app_id: 'A1' } },
      { id: X.sp, kind: 'connector', type: 'azure.service_principal', name: 'deploy-sp', props: { connector_type: 'service_principal', app_id: 'a1' } },
      { id: X.fic, kind: 'credential', type: 'azure.federated_credential', name: 'gha-any', props: { credential_type: 'federated' } },
      { id: X.prod2, kind: 'resource', type: 'azure.subscription', name: 'Prod2', props: {} },
      { id: ID.endR, kind: 'endpoint', type: 'trust.workload', name: 'repo:acme/payments:ref:refs/heads/*', shared: true, props: {
        issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:acme/payments:ref:refs/heads/*', issuer_kind: 'github-actions',
        workload_key: 'github:repo:acme/payments', repository: 'acme/payments', environment: null, ref: null, breadth: 'any-ref', breadth_reason: 'test' } },
    ],
    edges: [edge('HAS_CREDENTIAL', X.app, X.fic), edge('TRUSTS', X.fic, ID.endR, { via: 'federated_credential' }), edge('CAN_ACCESS', X.sp, X.prod2, { roles: ['Owner'] })],
  } }, { tenant: 'fabrikam' });
  crawlRun(db, 'azure', { 'azure.all': {
    nodes: [{ id: X.other, kind: 'connector', type: 'azure.service_principal', name: 'deploy-sp (other tenant)', props: { connector_type: 'service_principal', app_id: 'A1' } }],
    edges: [],
  } }, { tenant: 'northwind' });
  const pool = (id: string, endpoint: string, enabled: boolean) => ({
    nodes: [{ id, kind: 'credential', type: 'google.workload_identity_pool', name: id.split(':').pop()!, props: {} } as const],
    edges: [edge('TRUSTS', id, endpoint, { via: 'iam_binding', enabled }),
      edge('CAN_ACCESS', id, X.project, { roles: ['roles/iam.workloadIdentityUser'], acts_as_connectors_for: [endpoint] })],
  });
  const on = pool(X.pool, ID.endR, true);
  const off = pool(X.offPool, ID.endS, false);
  crawlRun(db, 'google', { 'google.all': {
    nodes: [...on.nodes, ...off.nodes,
      { id: X.projectTenant, kind: 'tenant', type: 'google.project', name: 'ci', props: {} },
      { id: X.project, kind: 'resource', type: 'google.project', name: 'ci', props: {} },
      { id: X.sa, kind: 'connector', type: 'google.service_account', name: 'deployer@ci', props: { connector_type: 'service_account' } }],
    edges: [...on.edges, ...off.edges, edge('IN_TENANT', X.project, X.projectTenant), edge('IN_TENANT', X.sa, X.projectTenant),
      edge('CAN_ACCESS', X.sa, X.project, { roles: ['roles/editor'] })],
  } }, { tenant: 'example.com' });
  crawlRun(db, 'github', { 'github.extra': {
    nodes: [{ id: X.prbot, kind: 'connector', type: 'github.app', name: 'prbot', props: { connector_type: 'app' } },
      { id: 'github:scope:pull_requests:write', kind: 'scope', type: 'github.scope', name: 'pull_requests:write', props: {} },
      { id: X.keybot, kind: 'connector', type: 'github.app', name: 'keybot', props: { connector_type: 'app' } },
      { id: X.key, kind: 'credential', type: 'github.deploy_key', name: 'deploy key', props: { credential_type: 'deploy_key' } }],
    edges: [edge('HAS_SCOPE', X.prbot, 'github:scope:pull_requests:write'), edge('CAN_ACCESS', X.prbot, ID.R, { repository: 'acme/payments' }),
      // a connector whose credential writes R (two hops, then the trust beyond R) and reads a subscription
      edge('HAS_CREDENTIAL', X.keybot, X.key), edge('CAN_ACCESS', X.key, ID.R, { access: 'write' }), edge('CAN_ACCESS', X.key, X.prod2, { roles: ['Reader'] })],
  } }, { tenant: 'acme-extra' });
}

/** What the memory graph holds of a step list: not OWNS, HAS_SCOPE only to scopes graded high or critical. */
const held = (s: PathStep) => s.step !== 'OWNS' && (s.step !== 'HAS_SCOPE' || s.access === 'high' || s.access === 'critical');
const key = (s: PathStep) => JSON.stringify([s.from_id, s.from_name, s.from_kind, s.step, s.to_id, s.to_name, s.to_kind, s.access, s.provider,
  Object.fromEntries(Object.entries(s.props).sort(([a], [b]) => a.localeCompare(b)))]);
const keys = (steps: PathStep[]) => steps.filter(held).map(key).sort();

describeBackends('reach graph in memory', ({ openTestDb }) => {
  it('serves the view\'s steps, forwards and backwards, for every live node', () => {
    const db = openTestDb();
    graph(db);
    const ids = (db.prepare("SELECT id FROM nodes WHERE removed_run IS NULL AND kind <> 'scope' ORDER BY id").all() as Array<{ id: string }>).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(15);
    const mem = loadReachGraph(db);
    const view = dbStepSource(db);
    for (const id of ids) {
      // graded once in memory as the walk would grade them
      for (const h of mem.from([id]) as Hop[]) expect([h.level, h.grade], `${h.step} ${h.from_id} -> ${h.to_id}`).toEqual([stepLevel(h), endGrade(h)]);
      expect(keys(mem.from([id])), `from ${id}`).toEqual(keys(view.from([id])));
      expect(keys(mem.into([id])), `into ${id}`).toEqual(keys(view.into([id])));
    }
  });

  it('reach summaries: the dead-end shortcut gives what walking every connector gives', () => {
    const db = openTestDb();
    graph(db);
    const fast = [...computeReachSummaries(db)];
    expect(fast.length).toBeGreaterThan(5);
    expect(fast).toEqual([...computeReachSummaries(db, { exact: true })]);
    // pull_requests:write: a high-graded scope held, R read, no trust crossed
    const prbot = fast.find((r) => r.connector_id === X.prbot)!;
    expect(prbot).toMatchObject({ repositories: 1, max_privilege: 'high', trusts: 0 });
    expect(JSON.parse(prbot.repository_names)).toEqual([{ id: ID.R, name: 'acme/payments', access: 'read' }]);
  });

  it('reach summaries agree, connector by connector, with a plain walk over the view: what is reached, how far, which repositories are controlled', () => {
    const db = openTestDb();
    graph(db);
    const mem = loadReachGraph(db);
    const summaries = new Map([...computeReachSummaries(db)].map((r) => [r.connector_id, r]));
    const view = dbStepSource(db);
    let compared = 0;
    for (const c of mem.connectors) {
      // the walk, less the scopes graded below high (the summaries count the scopes worth summarising)
      const walk = reachFrom(view, [c], { depth: 6 }).filter((p) => p.target.kind !== 'scope' || ['high', 'critical'].includes(p.hops.at(-1)!.access));
      const row = summaries.get(c.id);
      if (!walk.length) { expect(row, c.id).toBeUndefined(); continue; }
      compared++;
      expect(row, c.id).toBeDefined();
      expect(row!.paths, c.id).toBe(walk.length);
      const repos = walk.filter((p) => mem.repositories.has(p.target.id)).map((p) => ({ id: p.target.id, access: p.controlled ? 'write' : 'read' }));
      expect(JSON.parse(row!.repository_names).map((r: { id: string; access: string }) => ({ id: r.id, access: r.access })), c.id)
        .toEqual(repos.sort((a, b) => (a.access !== b.access ? (a.access === 'write' ? -1 : 1) : a.id < b.id ? -1 : 1)));
      const roles = walk.filter((p) => p.hops.at(-1)!.step === 'CAN_ACCESS' && Array.isArray(p.hops.at(-1)!.props.roles));
      expect(JSON.parse(row!.resources_with_roles).map((r: { id: string; hops: number }) => [r.id, r.hops]), c.id)
        .toEqual(roles.map((p) => [p.target.id, p.hops.length]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
      expect(JSON.parse(row!.scopes), c.id).toEqual(walk.filter((p) => p.target.kind === 'scope').map((p) => p.target.name).sort());
    }
    expect(compared).toBeGreaterThan(5);
    expect(summaries.size).toBe(compared);
  });

  it('the same-application step: the credential acts as its application\'s service principal in the same tenant only', () => {
    const db = openTestDb();
    graph(db);
    const sameApp = dbStepSource(db).from([X.fic]).filter((s) => s.step === 'CREDENTIAL_OF');
    expect(sameApp.map((s) => [s.to_id, s.props.via ?? null]).sort()).toEqual([[X.app, null], [X.sp, 'same-app']]);
    expect(sameApp.find((s) => s.to_id === X.sp)).toMatchObject({ access: 'holder (same application)', props: { application: 'deploy-app' } });
    // deployhub (contents:write on R) reaches Prod2 through the trust and the service principal
    const p = findPaths(db, { from: ID.deployhub, depth: 6, limit: 100 }).find((x) => x.target.id === X.prod2);
    expect(p?.hops.map((h) => h.step)).toEqual(['CONTROLS', 'MINTS', 'TRUSTED_BY', 'CREDENTIAL_OF', 'CAN_ACCESS']);
  });

  it('the acting step: a pool trusting R acts as the project\'s service account (roles/editor); a disabled pool admits nothing', () => {
    const db = openTestDb();
    graph(db);
    const acting = dbStepSource(db).from([ID.endR]).filter((s) => s.props.via === 'acts_as');
    expect(acting.map((s) => s.to_id)).toEqual([X.sa]);
    expect(acting[0]).toMatchObject({ step: 'TRUSTED_BY', access: 'acts as roles/iam.workloadIdentityUser on ci (any-ref)',
      props: { credential: X.pool, resource: X.project, roles: ['roles/iam.workloadIdentityUser'], breadth: 'any-ref', enabled: true } });
    const p = findPaths(db, { from: ID.deployhub, depth: 6, limit: 100 });
    expect(p.find((x) => x.target.id === X.project)?.hops.map((h) => `${h.step}>${h.to_id}`))
      .toEqual([`CONTROLS>${ID.R}`, `MINTS>${ID.endR}`, `TRUSTED_BY>${X.sa}`, `CAN_ACCESS>${X.project}`]);
    // the disabled pool's step is listed (enabled: false) and never taken
    expect(dbStepSource(db).from([ID.endS]).filter((s) => s.props.via === 'acts_as').map((s) => s.props.enabled)).toEqual([false]);
    expect(findPaths(db, { from: ID.allrepos, depth: 6, limit: 100 }).filter((x) => x.hops.some((h) => h.props.credential === X.offPool))).toEqual([]);
  });

  it('CONTROLS only through a scope that changes what workflows run: pull_requests:write reads R, never crosses its trust', () => {
    const db = openTestDb();
    graph(db);
    expect(dbStepSource(db).from([X.prbot]).filter((s) => s.step === 'CONTROLS')).toEqual([]);
    expect(loadReachGraph(db).from([X.prbot]).filter((s) => s.step === 'CONTROLS')).toEqual([]);
    const reached = findPaths(db, { from: X.prbot, depth: 6, limit: 100 }).map((x) => x.target.id);
    expect(reached).toContain(ID.R);
    expect(reached).not.toContain(ID.prod);
    expect(reached).not.toContain(X.prod2);
    // administration:write (the org-wide app) still controls every repository of the tenant
    expect(dbStepSource(db).from([ID.allrepos]).filter((s) => s.step === 'CONTROLS').map((s) => s.to_id).sort()).toEqual([ID.R, ID.S]);
  });
});
