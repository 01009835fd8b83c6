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

    it('a registered kind in the list trusts every issuer of that kind', () => {
      const db = memDb();
      seed(db);
      reconcile(db, inventory([]), { now: NOW, rules: ['federation-untrusted-issuer'], trustedIssuers: ['github-actions'] });
      expect(got(db, 'federation-untrusted-issuer')).toEqual([['azure:connector:app-cluster', 'system:serviceaccount:ci:deployer', 'medium']]);
    });
  });
});
