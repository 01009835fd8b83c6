// Issue 19: the federation rules on planted and clean cases with known answers. federation-broad-subject — a pull-request
// trust by an application whose service principal (its sibling) holds Owner is critical, an organisation-wide trust
// without privilege high, resolved to every repository of the owner; a trust pinned to a branch or an environment
// raises nothing. federation-untrusted-issuer — an issuer of no registered kind is flagged (medium), never also as a
// broad subject; the config's trust.issuers (URL or kind) decides when given.
import { beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { registerTrustIssuer, trustEndpoint } from '../../src/trust/registry.ts';
import { GITHUB_ACTIONS_ISSUER, repositoryWorkloadKeys } from '../../connectors/github/trust-issuers.ts';
import type { Db } from '../../src/graph/db.ts';
import type { GraphNode } from '../../src/graph/model.ts';
import { connector, credential, crawlRun, edge, findings, inventory, memDb, merge, NOW, type Listing } from './helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

const GH = 'https://token.actions.githubusercontent.com';
const K8S = 'https://oidc.k8s.example.com/cluster-1';
const ev = (f: { evidence: string }) => JSON.parse(f.evidence) as Record<string, any>;
const got = (db: Db, rule: string) => findings(db, rule).map((f) => [f.subject_id, ev(f).subject, f.severity]).sort();

/** An Entra-like application holding one federated credential per subject, and its service principal (same app_id). */
function app(name: string, appId: string, trusts: Array<[issuer: string, subject: string]>, roles: string[] = []): Listing {
  const a = connector('azure', `app-${name}`, { app_id: appId }, name);
  const sp = connector('azure', `sp-${name}`, { app_id: appId }, name);
  const sub: GraphNode = { id: 'azure:subscription:s1', kind: 'resource', type: 'azure.subscription', name: 'prod', props: {} };
  const nodes: GraphNode[] = [a, sp, sub];
  const edges = roles.length ? [edge('CAN_ACCESS', sp.id, sub.id, { roles })] : [];
  trusts.forEach(([issuer, subject], i) => {
    const c = credential('azure', `fic-${name}-${i}`, { credential_type: 'federated', static: false, issuer, subject }, `fic ${i}`);
    const e = trustEndpoint(issuer, subject);
    nodes.push(c, e);
    edges.push(edge('HAS_CREDENTIAL', a.id, c.id), edge('TRUSTS', c.id, e.id, { via: 'federated_credential', audiences: ['api://AzureADTokenExchange'] }));
  });
  return { nodes, edges };
}

function repo(fullName: string, id: number): GraphNode {
  return { id: `github:repo:${id}`, kind: 'resource', type: 'github.repository', name: fullName, props: { workload_keys: repositoryWorkloadKeys(fullName, id, 900) } };
}

function seed(db: Db): void {
  crawlRun(db, 'github', { repos: { nodes: [repo('acme/payments', 1), repo('acme/web', 2), repo('other/tools', 3)] } });
  crawlRun(db, 'azure', {
    creds: merge(
      app('deployer', 'a-1', [[GH, 'repo:acme/payments:pull_request'], [GH, 'repo:acme/payments:ref:refs/heads/main']], ['Owner']),
      app('org-wide', 'a-2', [[GH, 'repo:acme/*']]),
      app('pinned-env', 'a-3', [[GH, 'repo:acme/web:environment:production']], ['Owner']),
      app('cluster', 'a-4', [[K8S, 'system:serviceaccount:ci:deployer']]),
    ),
  });
}

/**
 * A project with two service accounts (one editor) and three trusting credentials no connector holds — pools:
 * `pool-wiu` may act as every account of the project (its CAN_ACCESS names the endpoints admitted through an
 * impersonation role), `pool-direct` only acts with its own role (no account: the pool is the subject), `pool-off` is
 * disabled (its TRUSTS edges admit no token).
 */
function pools(): Listing {
  const tenant: GraphNode = { id: 'google:project_tenant:p1', kind: 'tenant', type: 'google.project_tenant', name: 'p1', props: {} };
  const project: GraphNode = { id: 'google:project:p1', kind: 'resource', type: 'google.project', name: 'p1', props: {} };
  const editor = connector('google', 'sa-editor', {}, 'deployer@p1');
  const viewer = connector('google', 'sa-viewer', {}, 'reader@p1');
  const other: GraphNode = { ...connector('google', 'sa-elsewhere', {}, 'elsewhere@p2') };
  const pool = (id: string) => ({ ...credential('google', id, { credential_type: 'gcp_workload_identity_pool', static: false }, id), type: 'google.workload_identity_pool' });
  const [wiu, direct, off] = [pool('pool-wiu'), pool('pool-direct'), pool('pool-off')];
  const anyPr = trustEndpoint(GH, 'repo:acme/payments:pull_request');
  const pinned = trustEndpoint(GH, 'repo:acme/web:environment:production');
  const k8s = trustEndpoint(K8S, 'system:serviceaccount:ci:wif');
  const org = trustEndpoint(GH, 'repo:acme/*');
  const trust = (from: string, to: string, enabled = true) => edge('TRUSTS', from, to, { via: 'iam_binding', role: 'roles/iam.workloadIdentityUser',
    roles: ['roles/iam.workloadIdentityUser'], enabled });
  return {
    nodes: [tenant, project, editor, viewer, other, wiu, direct, off, anyPr, pinned, k8s, org],
    edges: [
      ...[project, editor, viewer, wiu, direct, off].map((n) => edge('IN_TENANT', n.id, tenant.id)),
      edge('CAN_ACCESS', editor.id, project.id, { roles: ['roles/editor'] }),
      edge('CAN_ACCESS', viewer.id, project.id, { roles: ['roles/viewer'] }),
      edge('CAN_ACCESS', wiu.id, project.id, { roles: ['roles/iam.workloadIdentityUser'], acts_as_connectors_for: [anyPr.id, pinned.id, k8s.id] }),
      trust(wiu.id, anyPr.id), trust(wiu.id, pinned.id), trust(wiu.id, k8s.id),
      edge('CAN_ACCESS', direct.id, project.id, { roles: ['roles/storage.admin'] }),
      trust(direct.id, org.id),
      edge('CAN_ACCESS', off.id, project.id, { roles: ['roles/iam.workloadIdentityUser'], acts_as_connectors_for: [anyPr.id, k8s.id] }),
      trust(off.id, anyPr.id, false), trust(off.id, k8s.id, false),
    ],
  };
}

beforeAll(() => registerTrustIssuer(GITHUB_ACTIONS_ISSUER));

describeBackends('federation rules', () => {
  describe('federation-broad-subject', () => {
    it('pull request by an Owner (via its service principal): critical; organisation-wide: high, resolved to every repository of acme; pinned trusts and unknown issuers: nothing', () => {
      const db = memDb();
      seed(db);
      reconcile(db, inventory([]), { now: NOW, rules: ['federation-broad-subject'] });
      expect(got(db, 'federation-broad-subject')).toEqual([
        ['azure:connector:app-deployer', 'repo:acme/payments:pull_request', 'critical'],
        ['azure:connector:app-org-wide', 'repo:acme/*', 'high'],
      ]);
      const [deployer, org] = findings(db, 'federation-broad-subject').sort((a, b) => a.subject_id.localeCompare(b.subject_id)).map(ev);
      expect(deployer).toMatchObject({ issuer: GH, issuer_kind: 'github-actions', breadth: 'pull-request', breadth_reason: 'any pull request of acme/payments',
        repositories: ['acme/payments'], repository_count: 1, credential: 'fic 0', worst_permission_severity: 'critical',
        privileged_permissions: [{ scope: 'Owner', severity: 'critical' }] });
      expect(org).toMatchObject({ breadth: 'organisation', workload_key: 'github:owner:acme', repositories: ['acme/payments', 'acme/web'], repository_count: 2,
        privileged_permissions: [] });
    });
  });

  describe('trusts held by a credential no connector holds (a Workload Identity pool)', () => {
    const seedPools = (db: Db) => {
      crawlRun(db, 'github', { repos: { nodes: [repo('acme/payments', 1), repo('acme/web', 2)] } });
      crawlRun(db, 'google', { wif: pools() });
    };

    it('broad subject: judged on every account the pool acts as (the editor high), else on the pool itself; pinned and disabled trusts raise nothing', () => {
      const db = memDb();
      seedPools(db);
      reconcile(db, inventory([]), { now: NOW, rules: ['federation-broad-subject'] });
      expect(got(db, 'federation-broad-subject')).toEqual([
        ['google:connector:sa-editor', 'repo:acme/payments:pull_request', 'critical'],
        ['google:connector:sa-viewer', 'repo:acme/payments:pull_request', 'high'],
        ['google:credential:pool-direct', 'repo:acme/*', 'high'],
      ]);
      const byId = new Map(findings(db, 'federation-broad-subject').map((f) => [f.subject_id, f]));
      expect(ev(byId.get('google:connector:sa-editor')!)).toMatchObject({ breadth: 'pull-request', repositories: ['acme/payments'], credential: 'pool-wiu',
        acts_through: { credential: 'pool-wiu', resource: 'p1', roles: ['roles/iam.workloadIdentityUser'] },
        privileged_permissions: [{ scope: 'roles/editor', severity: 'critical' }] });
      const direct = byId.get('google:credential:pool-direct')!;
      expect(direct.title).toBe('pool-direct (no crawled identity acts through it) trusts repo:acme/* (organisation), holding roles/storage.admin');
      expect(ev(direct)).toMatchObject({ external_trust: true, acts_as: null, repositories: ['acme/payments', 'acme/web'] });
      expect(findings(db).some((f) => f.subject_id === 'google:connector:sa-elsewhere' || f.subject_id.endsWith('pool-off') || f.subject_id.endsWith('pool-wiu'))).toBe(false);
    });

    it('untrusted issuer: the accounts the pool acts as are the subjects; the disabled pool\'s trust in the same issuer raises nothing', () => {
      const db = memDb();
      seedPools(db);
      reconcile(db, inventory([]), { now: NOW, rules: ['federation-untrusted-issuer'] });
      expect(got(db, 'federation-untrusted-issuer')).toEqual([
        ['google:connector:sa-editor', 'system:serviceaccount:ci:wif', 'high'],
        ['google:connector:sa-viewer', 'system:serviceaccount:ci:wif', 'medium'],
      ]);
    });

    it('incremental: re-enabling the disabled pool judges its trusts on the accounts, though only the pool changed', () => {
      const db = memDb();
      seedPools(db);
      reconcile(db, inventory([]), { now: NOW });
      expect(findings(db, 'federation-untrusted-issuer').length).toBe(2);
      const l = pools();
      l.edges = l.edges!.map((e) => (e.type === 'TRUSTS' && e.from === 'google:credential:pool-off' ? { ...e, props: { ...e.props, enabled: true } } : e));
      // a second project's policy is not involved: only pool-off's edges change
      crawlRun(db, 'google', { wif: l });
      const s = reconcile(db, inventory([]), { now: NOW });
      expect(s.mode).toBe('incremental');
      expect(findings(db, 'federation-untrusted-issuer').map((f) => [f.subject_id, ev(f).credential]).sort()).toEqual([
        ['google:connector:sa-editor', 'pool-off'], ['google:connector:sa-editor', 'pool-wiu'],
        ['google:connector:sa-viewer', 'pool-off'], ['google:connector:sa-viewer', 'pool-wiu'],
      ]);
    });
  });

  it('incremental: a repository added to the organisation re-evaluates the org-wide trust, though no edge joins them', () => {
    const db = memDb();
    seed(db);
    reconcile(db, inventory([]), { now: NOW });
    const count = () => findings(db, 'federation-broad-subject').map(ev).find((e) => e.subject === 'repo:acme/*')!.repository_count;
    expect(count()).toBe(2);
    crawlRun(db, 'github', { repos: { nodes: [repo('acme/payments', 1), repo('acme/web', 2), repo('other/tools', 3), repo('acme/new', 4)] } });
    const s = reconcile(db, inventory([]), { now: NOW });
    expect(s.mode).toBe('incremental');
    expect(count()).toBe(3);
  });

  describe('federation-untrusted-issuer', () => {
    it('default: an issuer of no registered kind is flagged (medium), GitHub Actions is not', () => {
      const db = memDb();
      seed(db);
      reconcile(db, inventory([]), { now: NOW, rules: ['federation-untrusted-issuer'] });
      expect(got(db, 'federation-untrusted-issuer')).toEqual([['azure:connector:app-cluster', 'system:serviceaccount:ci:deployer', 'medium']]);
      expect(ev(findings(db, 'federation-untrusted-issuer')[0]!)).toMatchObject({ issuer: K8S, issuer_kind: 'unknown', configured_issuers: null, repositories: [] });
    });

    it('configured issuers decide: the cluster named by URL (trailing slash ignored) is trusted; GitHub Actions, not listed, is flagged — high for the Owner', () => {
      const db = memDb();
      seed(db);
      reconcile(db, inventory([]), { now: NOW, rules: ['federation-untrusted-issuer'], trustedIssuers: [`${K8S}/`] });
      expect(got(db, 'federation-untrusted-issuer')).toEqual([
        ['azure:connector:app-deployer', 'repo:acme/payments:pull_request', 'high'],
        ['azure:connector:app-deployer', 'repo:acme/payments:ref:refs/heads/main', 'high'],
        ['azure:connector:app-org-wide', 'repo:acme/*', 'medium'],
        ['azure:connector:app-pinned-env', 'repo:acme/web:environment:production', 'high'],
      ]);
    });

    it('a near-miss of the GitHub Actions issuer (trailing slash, upper case) is of no kind: flagged, never read as a GitHub subject', () => {
      const db = memDb();
      crawlRun(db, 'github', { repos: { nodes: [repo('acme/payments', 1)] } });
      crawlRun(db, 'azure', { creds: merge(app('slash', 'a-5', [[`${GH}/`, 'repo:acme/payments:pull_request']], ['Owner']),
        app('upper', 'a-6', [['https://Token.Actions.GitHubUserContent.com', 'repo:acme/payments:ref:refs/heads/main']])) });
      reconcile(db, inventory([]), { now: NOW, rules: ['federation-untrusted-issuer', 'federation-broad-subject'] });
      expect(got(db, 'federation-untrusted-issuer')).toEqual([
        ['azure:connector:app-slash', 'repo:acme/payments:pull_request', 'high'],
        ['azure:connector:app-upper', 'repo:acme/payments:ref:refs/heads/main', 'medium'],
      ]);
      expect(findings(db, 'federation-untrusted-issuer').map((f) => ev(f).issuer_kind)).toEqual(['unknown', 'unknown']);
      expect(findings(db, 'federation-broad-subject')).toEqual([]);
    });

    it('a registered kind in the list trusts every issuer of that kind', () => {
      const db = memDb();
      seed(db);
      reconcile(db, inventory([]), { now: NOW, rules: ['federation-untrusted-issuer'], trustedIssuers: ['github-actions'] });
      expect(got(db, 'federation-untrusted-issuer')).toEqual([['azure:connector:app-cluster', 'system:serviceaccount:ci:deployer', 'medium']]);
    });
  });
});
