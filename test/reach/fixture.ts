// Test fixture: a small two-provider graph with known reach answers (docs/blast-radius.md), written through the real
// GraphWriter. GitHub org acme: repositories acme/payments (R) and acme/site (S); a third-party app with
// contents:write on R (deployhub, published by DeployHub Inc, owned by alice); a read-only app on R (readbot); an app
// with administration:write on every repository (allrepos). Entra-like: payments-deployer trusts R's workflows
// (any ref) through a federated credential and holds Owner on subscription Production; site-deployer trusts only
// S's environment production (pinned) and holds Contributor on Staging. payments-deployer also writes to R (a
// cycle: R → … → payments-deployer → R).
import type { Db } from '../../src/graph/db.ts';
import type { GraphEdge, GraphNode } from '../../src/graph/model.ts';
import { crawlRun, edge } from '../reconcile/helpers.ts';

export const ID = {
  org: 'github:org:acme', R: 'github:repo:1', S: 'github:repo:2',
  deployhub: 'github:connector:tp', readbot: 'github:connector:ro', allrepos: 'github:connector:all', alice: 'github:user:alice',
  vendor: 'github:vendor:deployhub-inc',
  payments: 'azure:connector:app-a', ficA: 'azure:credential:fic-a', site: 'azure:connector:app-p', ficP: 'azure:credential:fic-p',
  prod: 'azure:subscription:sub1', staging: 'azure:subscription:sub2',
  endR: 'trust:https://token.actions.githubusercontent.com#repo:acme/payments:ref:refs/heads/*',
  endS: 'trust:https://token.actions.githubusercontent.com#repo:acme/site:environment:production',
} as const;

const keys = (name: string, id: number) => [`github:repo:acme/${name}`, `github:repo_id:${id}`, 'github:owner:acme', 'github:owner_id:9'];
const repo = (id: string, n: number, name: string): GraphNode =>
  ({ id, kind: 'resource', type: 'github.repository', name: `acme/${name}`, props: { workload_keys: keys(name, n) } });
const app = (id: string, name: string): GraphNode => ({ id, kind: 'connector', type: 'github.app', name, props: { connector_type: 'app' } });
const scope = (name: string): GraphNode => ({ id: `github:scope:${name}`, kind: 'scope', type: 'github.scope', name, props: {} });
const endpoint = (id: string, repository: string, breadth: string, environment: string | null): GraphNode => ({
  id, kind: 'endpoint', type: 'trust.workload', name: id.split('#')[1]!, shared: true, props: {
    issuer: 'https://token.actions.githubusercontent.com', subject: id.split('#')[1], issuer_kind: 'github-actions',
    workload_key: `github:repo:${repository}`, repository, environment, ref: null, breadth, breadth_reason: 'test' } });

/** Writes the fixture: one GitHub crawl and one Azure crawl. `names` overrides node names (hostile-name tests). */
export function writeFixture(db: Db, names: Partial<Record<keyof typeof ID, string>> = {}): void {
  const nm = (k: keyof typeof ID, d: string) => names[k] ?? d;
  const ghNodes: GraphNode[] = [
    { id: ID.org, kind: 'tenant', type: 'github.org', name: 'acme', props: {} },
    repo(ID.R, 1, 'payments'), repo(ID.S, 2, 'site'),
    app(ID.deployhub, nm('deployhub', 'deployhub')), app(ID.readbot, nm('readbot', 'readbot')), app(ID.allrepos, nm('allrepos', 'allrepos')),
    { id: ID.alice, kind: 'principal', type: 'github.user', name: 'alice', props: { email: 'Alice@Example.com', status: 'active' } },
    { id: ID.vendor, kind: 'vendor', type: 'github.vendor', name: 'DeployHub Inc', props: {} },
    scope('contents:write'), scope('contents:read'), scope('metadata:read'), scope('administration:write'),
  ];
  const ghEdges: GraphEdge[] = [
    edge('IN_TENANT', ID.R, ID.org), edge('IN_TENANT', ID.S, ID.org),
    edge('HAS_SCOPE', ID.deployhub, 'github:scope:contents:write'), edge('CAN_ACCESS', ID.deployhub, ID.R, { repository: 'acme/payments' }),
    edge('PUBLISHED_BY', ID.deployhub, ID.vendor), edge('OWNS', ID.alice, ID.deployhub),
    edge('HAS_SCOPE', ID.readbot, 'github:scope:contents:read'), edge('HAS_SCOPE', ID.readbot, 'github:scope:metadata:read'),
    edge('CAN_ACCESS', ID.readbot, ID.R, { repository: 'acme/payments' }),
    edge('HAS_SCOPE', ID.allrepos, 'github:scope:administration:write'), edge('CAN_ACCESS', ID.allrepos, ID.org, { repositories: 'all' }),
  ];
  crawlRun(db, 'github', { 'github.all': { nodes: ghNodes, edges: ghEdges } }, { tenant: 'acme' });
  const azNodes: GraphNode[] = [
    { id: ID.payments, kind: 'connector', type: 'azure.application', name: nm('payments', 'payments-deployer'), props: { connector_type: 'entra_application' } },
    { id: ID.ficA, kind: 'credential', type: 'azure.federated_credential', name: 'gha-payments', props: { credential_type: 'federated' } },
    { id: ID.site, kind: 'connector', type: 'azure.application', name: 'site-deployer', props: { connector_type: 'entra_application' } },
    { id: ID.ficP, kind: 'credential', type: 'azure.federated_credential', name: 'gha-site-production', props: { credential_type: 'federated' } },
    { id: ID.prod, kind: 'resource', type: 'azure.subscription', name: nm('prod', 'Production'), props: {} },
    { id: ID.staging, kind: 'resource', type: 'azure.subscription', name: 'Staging', props: {} },
    endpoint(ID.endR, 'acme/payments', 'any-ref', null), endpoint(ID.endS, 'acme/site', 'pinned', 'production'),
  ];
  const azEdges: GraphEdge[] = [
    edge('HAS_CREDENTIAL', ID.payments, ID.ficA), edge('TRUSTS', ID.ficA, ID.endR, { via: 'federated_credential', audiences: ['api://AzureADTokenExchange'] }),
    edge('CAN_ACCESS', ID.payments, ID.prod, { roles: ['Owner'] }), edge('CAN_ACCESS', ID.payments, ID.R, { access: 'write' }),
    edge('HAS_CREDENTIAL', ID.site, ID.ficP), edge('TRUSTS', ID.ficP, ID.endS, { via: 'federated_credential' }),
    edge('CAN_ACCESS', ID.site, ID.staging, { roles: ['Contributor'] }),
  ];
  crawlRun(db, 'azure', { 'azure.all': { nodes: azNodes, edges: azEdges } }, { tenant: 'contoso' });
}
