// Issue 19 item 3: cross-provider-escalation over a fixture graph with known answers, on both backends. GitHub org
// acme with repositories payments (R), site (S) and docs (D); Entra-like tenant contoso where each trusting application
// holds a federated credential and its service principal (same app_id) holds the RBAC role, as Entra models them; a
// Google service account trusting R through Workload Identity. Planted: a third-party app with write on R ⇒ critical,
// the path as evidence. Clean twins: a first-party app with the same write, a read-only third-party app, one whose only
// write is pull_requests:write (it changes no code a workflow runs), a trusting identity with only Reader. A trust pinned to an environment is still a path (high for Contributor, with the note).
// Incremental reconciliation: a path broken by a change on the far side (Owner removed) is resolved, and a path made
// by a new trust is found, as a full evaluation would.
import { describe, expect, it } from 'vitest';
import { privilegedRole, workloadControlScope } from '../../src/catalogue/privileged-roles.ts';
import type { GraphEdge, GraphNode } from '../../src/graph/model.ts';
import type { Db } from '../../src/graph/db.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { describeBackends } from '../helpers/backends.ts';
import { crawlRun, edge, entry, findings, inventory, NOW } from './helpers.ts';

const RULE = 'cross-provider-escalation';
const ISSUER = 'https://token.actions.githubusercontent.com';
const ev = (f: { evidence: string }) => JSON.parse(f.evidence) as Record<string, any>;

const keys = (name: string, id: number) => [`github:repo:acme/${name}`, `github:repo_id:${id}`, 'github:owner:acme', 'github:owner_id:9'];
const repo = (n: number, name: string): GraphNode => ({ id: `github:repo:${n}`, kind: 'resource', type: 'github.repository', name: `acme/${name}`, props: { workload_keys: keys(name, n) } });
const app = (id: string, name: string, props: Record<string, unknown> = {}): GraphNode =>
  ({ id: `github:connector:${id}`, kind: 'connector', type: 'github.app_installation', name, props: { connector_type: 'github_app_installation', enabled: true, app_id: id, app_slug: id, ...props } });
const scope = (name: string): GraphNode => ({ id: `github:scope:${name}`, kind: 'scope', type: 'github.scope', name, props: {} });
const vendor = (id: string, name: string, firstParty: boolean): GraphNode => ({ id: `github:vendor:${id}`, kind: 'vendor', type: 'github.app_owner', name, props: { first_party: firstParty } });
const endpoint = (subject: string, repository: string, breadth: string, environment: string | null = null): GraphNode => ({
  id: `trust:${ISSUER}#${subject}`, kind: 'endpoint', type: 'trust.workload', name: subject, shared: true, props: {
    issuer: ISSUER, subject, issuer_kind: 'github-actions', workload_key: `github:repo:${repository}`, repository, environment, ref: null, breadth,
    breadth_reason: breadth === 'pinned' ? `only the ${environment} environment` : 'any branch, tag or environment' } });

const E = { R: `trust:${ISSUER}#repo:acme/payments:ref:refs/heads/*`, S: `trust:${ISSUER}#repo:acme/site:environment:production`,
  D: `trust:${ISSUER}#repo:acme/docs:ref:refs/heads/*`, G: `trust:${ISSUER}#attribute.repository/acme/payments` };

/** GitHub: repositories, the apps, their scopes and reach. `extra`: more nodes and edges (a variant's). */
function github(db: Db, extra: { nodes?: GraphNode[]; edges?: GraphEdge[] } = {}) {
  const writer = (id: string, repoId: string, vendorId: string, scopeName = 'contents:write') => [
    edge('HAS_SCOPE', `github:connector:${id}`, `github:scope:${scopeName}`),
    edge('CAN_ACCESS', `github:connector:${id}`, repoId, {}), edge('PUBLISHED_BY', `github:connector:${id}`, `github:vendor:${vendorId}`)];
  crawlRun(db, 'github', { 'github.all': {
    nodes: [{ id: 'github:org:acme', kind: 'tenant', type: 'github.org', name: 'acme', props: {} }, repo(1, 'payments'), repo(2, 'site'), repo(3, 'docs'),
      app('deployhub', 'deployhub'), app('readbot', 'readbot'), app('prbot', 'prbot'), app('inhouse', 'inhouse-deployer'), app('sitepush', 'sitepush'), app('docbot', 'docbot'),
      vendor('deployhub-inc', 'DeployHub Inc', false), vendor('acme', 'acme', true), scope('contents:write'), scope('contents:read'), scope('pull_requests:write'), ...(extra.nodes ?? [])],
    edges: [
      ...writer('deployhub', 'github:repo:1', 'deployhub-inc'), // planted: third-party, write on R
      ...writer('readbot', 'github:repo:1', 'deployhub-inc', 'contents:read'), // twin: third-party, read only
      ...writer('prbot', 'github:repo:1', 'deployhub-inc', 'pull_requests:write'), // twin: write-class, but changes no code workflows run
      ...writer('inhouse', 'github:repo:1', 'acme'), // twin: the organisation's own app, same write
      ...writer('sitepush', 'github:repo:2', 'deployhub-inc'), // write on S, whose trust is pinned
      ...writer('docbot', 'github:repo:3', 'deployhub-inc'), // write on D, trusted by a Reader only
      ...(extra.edges ?? []),
    ] } }, { tenant: 'acme' });
}

/** Entra-like: per trusting application, its federated credential and its service principal holding a role. */
function azure(db: Db, roles: { payments?: string[]; extraTrust?: boolean } = {}) {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const trusting = (key: string, name: string, endpointNode: GraphNode, role: string, sub: string) => {
    nodes.push({ id: `azure:app:${key}`, kind: 'connector', type: 'azure.application', name, props: { connector_type: 'entra_application', app_id: `app-${key}`, enabled: true } },
      { id: `azure:sp:${key}`, kind: 'connector', type: 'azure.service_principal', name, props: { connector_type: 'service_principal', app_id: `APP-${key}`, enabled: true } },
      { id: `azure:fic:${key}`, kind: 'credential', type: 'azure.federated_credential', name: `gha (${name})`, props: { credential_type: 'federated', static: false } },
      { id: `azure:subscription:${sub}`, kind: 'resource', type: 'azure.subscription', name: sub, props: {} }, endpointNode);
    edges.push(edge('HAS_CREDENTIAL', `azure:app:${key}`, `azure:fic:${key}`), edge('TRUSTS', `azure:fic:${key}`, endpointNode.id, { via: 'federated_credential', audiences: ['api://AzureADTokenExchange'] }),
      edge('CAN_ACCESS', `azure:sp:${key}`, `azure:subscription:${sub}`, { roles: role.split('|') }));
  };
  trusting('payments', 'payments-deployer', endpoint('repo:acme/payments:ref:refs/heads/*', 'acme/payments', 'any-ref'), (roles.payments ?? ['Owner']).join('|'), 'Production');
  trusting('site', 'site-deployer', endpoint('repo:acme/site:environment:production', 'acme/site', 'pinned', 'production'), 'Contributor', 'Staging');
  if (roles.extraTrust !== false) trusting('docs', 'docs-deployer', endpoint('repo:acme/docs:ref:refs/heads/*', 'acme/docs', 'any-ref'), 'Reader', 'Docs');
  crawlRun(db, 'azure', { 'azure.all': { nodes, edges } }, { tenant: 'contoso' });
}

describeBackends('cross-provider-escalation', ({ openTestDb }) => {
  const fixture = () => { const db = openTestDb(); github(db); azure(db); return db; };
  const of = (db: Db) => findings(db, RULE).map((f) => [f.subject_id, f.severity, ev(f).privilege.resource.id]);

  it('planted: a third-party app with write on R reaches Owner on Production through the trust R is given ⇒ critical, the path as evidence', () => {
    const db = fixture();
    reconcile(db, inventory([]), { now: NOW, rules: [RULE] });
    const f = findings(db, RULE).find((x) => x.subject_id === 'github:connector:deployhub')!;
    expect(f.severity).toBe('critical');
    expect(f.title).toBe('Third-party unapproved app installation deployhub can reach Owner on Production — through acme/payments, trusted by gha (payments-deployer)');
    const e = ev(f);
    expect(e.judged_because).toEqual(['third-party', 'unapproved']);
    expect(e.starting_connector).toMatchObject({ id: 'github:connector:deployhub', vendor: 'DeployHub Inc', third_party: true, approved_by: null });
    expect(e.privilege).toMatchObject({ role: 'Owner', tier: 'owner', severity: 'critical', holder: { id: 'azure:sp:payments' },
      resource: { id: 'azure:subscription:Production', name: 'Production' }, source: expect.stringMatching(/^https:\/\/learn\.microsoft\.com\//) });
    expect(e.path.nodes.map((n: { id: string }) => n.id)).toEqual(['github:connector:deployhub', 'github:repo:1', E.R, 'azure:fic:payments', 'azure:sp:payments', 'azure:subscription:Production']);
    expect(e.path.hops.map((h: { step: string }) => h.step)).toEqual(['CONTROLS', 'MINTS', 'TRUSTED_BY', 'CREDENTIAL_OF', 'CAN_ACCESS']);
    expect(e.path.hops[0]).toMatchObject({ step: 'CONTROLS', access: 'write: contents:write' });
    expect(e.path.hops[3].note).toBe('a credential of payments-deployer acts as its payments-deployer (same application)');
    expect(e.weakest_link).toMatchObject({ hop: 1, step: 'CONTROLS', level: 'write' });
    expect(e.trust).toMatchObject({ hop: 3, breadth: 'any-ref', repository: 'acme/payments', via: 'federated_credential', trusting_identity: { id: 'azure:fic:payments' } });
    expect(e.trust.note).toBeUndefined();
  });

  it('clean twins: the first-party app with the same write, the read-only and the pull-requests-only third-party apps, and a trust whose identity is only Reader raise nothing', () => {
    const db = fixture();
    reconcile(db, inventory([]), { now: NOW, rules: [RULE] });
    expect(of(db)).toEqual([
      ['github:connector:deployhub', 'critical', 'azure:subscription:Production'],
      ['github:connector:sitepush', 'high', 'azure:subscription:Staging'],
    ]);
  });

  it('a trust pinned to an environment is still a path: high for Contributor, and the evidence says why', () => {
    const db = fixture();
    reconcile(db, inventory([]), { now: NOW, rules: [RULE] });
    const e = ev(findings(db, RULE).find((x) => x.subject_id === 'github:connector:sitepush')!);
    expect(e.privilege).toMatchObject({ role: 'Contributor', tier: 'contributor', severity: 'high' });
    expect(e.trust).toMatchObject({ breadth: 'pinned', environment: 'production' });
    expect(e.trust.note).toMatch(/pinned to the environment 'production' and is still a path: write access .* unless the environment has protection rules/);
  });

  it('an approved third-party app is still judged (third-party); an approved app of no known vendor is not', () => {
    const db = openTestDb();
    github(db, { nodes: [app('plainbot', 'plainbot')], edges: [edge('HAS_SCOPE', 'github:connector:plainbot', 'github:scope:contents:write'), edge('CAN_ACCESS', 'github:connector:plainbot', 'github:repo:1')] });
    azure(db);
    reconcile(db, inventory([entry('deployhub'), entry('plainbot')]), { now: NOW, rules: [RULE] });
    const subjects = findings(db, RULE).map((f) => [f.subject_id, ev(f).judged_because, ev(f).starting_connector.approved_by]);
    expect(subjects).toContainEqual(['github:connector:deployhub', ['third-party'], 'deployhub']);
    expect(subjects.map((s) => s[0])).not.toContain('github:connector:plainbot');
  });

  it('Google: a service account with roles/owner trusting R through Workload Identity ⇒ critical; roles/editor ⇒ high', () => {
    for (const [role, severity] of [['roles/owner', 'critical'], ['roles/editor', 'high']] as const) {
      const db = openTestDb();
      github(db);
      crawlRun(db, 'google', { 'google.all': {
        nodes: [{ id: 'google:sa:deploy', kind: 'connector', type: 'google.service_account', name: 'deploy@prj.iam.gserviceaccount.com', props: { connector_type: 'gcp_service_account', enabled: true } },
          { id: 'google:project:prj', kind: 'resource', type: 'google.project', name: 'prj', props: {} },
          { ...endpoint('attribute.repository/acme/payments', 'acme/payments', 'any-ref'), id: E.G }],
        edges: [edge('TRUSTS', 'google:sa:deploy', E.G, { via: 'iam_binding', role: 'roles/iam.workloadIdentityUser', roles: ['roles/iam.workloadIdentityUser'] }),
          edge('CAN_ACCESS', 'google:sa:deploy', 'google:project:prj', { roles: [role] })] } }, { tenant: 'prj' });
      reconcile(db, inventory([]), { now: NOW, rules: [RULE] });
      const f = findings(db, RULE).find((x) => x.subject_id === 'github:connector:deployhub')!;
      expect(f.severity).toBe(severity);
      const e = ev(f);
      expect(e.privilege).toMatchObject({ role, resource: { id: 'google:project:prj' }, source: expect.stringMatching(/^https:\/\/cloud\.google\.com\/iam\//) });
      expect(e.path.hops.map((h: { step: string }) => h.step)).toEqual(['CONTROLS', 'MINTS', 'TRUSTED_BY', 'CAN_ACCESS']);
      expect(e.trust).toMatchObject({ via: 'iam_binding', trusting_identity: { id: 'google:sa:deploy' } });
    }
  });

  it('incremental: Owner removed on the far side resolves the finding; a new trust makes one — as a full evaluation', () => {
    const db = openTestDb();
    github(db);
    azure(db, { extraTrust: false });
    const inv = inventory([]);
    expect(reconcile(db, inv, { now: NOW }).mode).toBe('full');
    expect(of(db).map((x) => x[0])).toEqual(['github:connector:deployhub', 'github:connector:sitepush']);
    // the Entra side changes only: payments-deployer's service principal drops to Reader; docs-deployer (Reader) appears
    azure(db, { payments: ['Reader'] });
    const second = reconcile(db, inv, { now: NOW });
    expect(second.mode).toBe('incremental');
    expect(of(db)).toEqual([['github:connector:sitepush', 'high', 'azure:subscription:Staging']]);
    // Owner again, on the far side only: deployhub (no open finding, untouched) is judged again through its joined unit
    azure(db, { payments: ['Owner'] });
    const third = reconcile(db, inv, { now: NOW });
    expect(third.mode).toBe('incremental');
    expect(of(db)).toEqual([['github:connector:deployhub', 'critical', 'azure:subscription:Production'], ['github:connector:sitepush', 'high', 'azure:subscription:Staging']]);
    reconcile(db, inv, { now: NOW, full: true });
    expect(of(db)).toEqual([['github:connector:deployhub', 'critical', 'azure:subscription:Production'], ['github:connector:sitepush', 'high', 'azure:subscription:Staging']]);
  });

  it('incremental with nothing changed evaluates no unit: the escalation paths pull in the units they touch only when the region touches them', () => {
    const db = openTestDb();
    github(db);
    azure(db);
    const inv = inventory([]);
    expect(reconcile(db, inv, { now: NOW }).mode).toBe('full');
    const open = of(db);
    expect(open.length).toBeGreaterThan(1);
    const again = reconcile(db, inv, { now: NOW });
    expect(again.mode).toBe('incremental');
    const summary = JSON.parse((db.prepare('SELECT summary FROM reconciliations WHERE id = ?').get(again.reconId) as { summary: string }).summary) as { unitsEvaluated: number };
    expect(summary.unitsEvaluated).toBe(0);
    expect(of(db)).toEqual(open);
  });
});

describe('the catalogue ends of an escalation (risk-catalogue.md §5.11, §5.12)', () => {
  it('privileged roles by tier, by name or Azure role definition id; others are not', () => {
    expect(privilegedRole('azure', 'Owner')).toMatchObject({ tier: 'owner', severity: 'critical' });
    expect(privilegedRole('azure', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9')).toMatchObject({ tier: 'owner', severity: 'critical' }); // User Access Administrator
    expect(privilegedRole('azure', 'Contributor')).toMatchObject({ tier: 'contributor', severity: 'high' });
    expect(privilegedRole('google', 'roles/iam.securityAdmin')).toMatchObject({ tier: 'owner' });
    expect(privilegedRole('google', 'roles/editor')).toMatchObject({ tier: 'contributor', severity: 'high' });
    for (const [p, r] of [['azure', 'Reader'], ['azure', 'Key Vault Secrets User'], ['google', 'roles/viewer'], ['google', 'roles/storage.admin'], ['github', 'admin:org']]) {
      expect(privilegedRole(p!, r!), `${p} ${r}`).toBeUndefined();
    }
  });

  it('workload control: the scopes that change what workflows run; none of them is null; a provider without the list is undefined', () => {
    expect(workloadControlScope('github', ['pull_requests:write', 'deployments:write'])).toBeNull();
    expect(workloadControlScope('github', ['pull_requests:write', 'contents:write'])).toBe('contents:write');
    expect(workloadControlScope('github', ['workflow'])).toBe('workflow');
    expect(workloadControlScope('slack', ['chat:write'])).toBeUndefined();
  });
});
