// Coverage truth as a property (issue 14, item 7): for every resource spec of every provider, a fault on the
// API route that resource lists — 401, 403, 404 (where 404 does not mean "none"), a 429 storm, 500, a reset
// connection, a malformed item — never leaves that resource (or what fans out from it) `complete` in the
// ledger, the report's coverage notice names it, nothing is removed, and reconciling against the demo
// inventory raises no new "approved but not found" and resolves nothing. Each provider's simulator serves the
// demo company (Slack as an Enterprise Grid org, so the Grid-only listings answer); the graph is crawled clean
// once, then once per fault, each judged against the clean crawl (a partial listing may show what a later
// complete one removes — an app whose removal entry was the malformed one — and that removal is right). Every resource gets two of the seven fault kinds, rotating so each kind meets
// about as many resources as the others (NHI_FAULT_PROPERTY=all runs every kind on every resource).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { ProviderSpec } from '../../src/crawl/provider.ts';
import type { ResourceSpec } from '../../src/crawl/resource.ts';
import type { Fault } from '../../src/simulator/faults.ts';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import { loadInventory } from '../../src/inventory/load.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { buildReportModel } from '../../reports/model.ts';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { buildGoogleScenario } from '../../scenarios/demo/google.ts';
import { buildSlackScenario, TEAM_ID } from '../../scenarios/demo/slack.ts';
import type { SlackScenario } from '../../connectors/slack/simulator/scenario.ts';

const KINDS = ['401', '403', '404', '429', '500', 'reset', 'malformed'] as const;
type Kind = (typeof KINDS)[number];

/**
 * Where each resource's listing goes: the simulator route it reads (a child listing's route serves every parent),
 * where its item sits in a single-object answer, and whether a 404 there means "none" by design.
 */
interface Target {
  route: string;
  /** 'malformed': the property path of the broken item in the answer (default: the first listed object). */
  item?: string;
  /** A 404 on this route is a normal answer by design ("none": a user without grants; the edition lacks it): not a fault. */
  notFoundIsEmpty?: boolean;
  /** Read through Graph JSON batching: a connection reset is a reset of the $batch request. */
  batched?: boolean;
  /** Why the target is another resource's route (the data rides on that answer). */
  via?: string;
}

const TARGETS: Record<string, Target> = {
  'github.organization': { route: 'org', item: '.' },
  'github.members': { route: 'members' },
  'github.outside_collaborators': { route: 'outside-collaborators' },
  'github.app_installations': { route: 'installations' },
  'github.apps': { route: 'app', item: '.' },
  'github.installation_repositories': { route: 'installation-repositories' },
  'github.pat_grants': { route: 'pat-grants' },
  'github.pat_grant_repositories': { route: 'pat-grant-repositories' },
  'github.pat_requests': { route: 'pat-requests' },
  'github.credential_authorizations': { route: 'credential-authorizations', notFoundIsEmpty: true }, // 404: no SAML SSO (not applicable)
  'github.repositories': { route: 'repos' },
  'github.deploy_keys': { route: 'deploy-keys' },
  'github.org_webhooks': { route: 'org-hooks' },
  'github.repo_webhooks': { route: 'repo-hooks' },
  'github.org_actions_secrets': { route: 'org-secrets' },
  'github.org_secret_repositories': { route: 'org-secret-repositories' },

  'slack.workspaces': { route: 'admin.teams.list' },
  'slack.users': { route: 'users.list' },
  'slack.bots': { route: 'bots.info', item: 'bot' },
  'slack.integration_logs': { route: 'team.integrationLogs' },
  'slack.channels': { route: 'conversations.info', item: 'channel' },
  'slack.approved_apps': { route: 'admin.apps.approved.list' },
  'slack.restricted_apps': { route: 'admin.apps.restricted.list' },
  'slack.app_requests': { route: 'admin.apps.requests.list' },
  'slack.workflows': { route: 'admin.workflows.search' },

  'google.customer': { route: 'customer', item: '.' },
  'google.users': { route: 'users' },
  'google.oauth_tokens': { route: 'tokens', notFoundIsEmpty: true },
  'google.projects': { route: 'projects-search' },
  'google.service_accounts': { route: 'service-accounts' },
  'google.service_account_keys': { route: 'service-account-keys' },
  'google.project_iam': { route: 'project-iam-policy' },
  'google.workload_identity_pools': { route: 'wif-pools' },
  'google.workload_identity_providers': { route: 'wif-providers' },
  'google.service_account_iam': { route: 'service-account-iam-policy' },

  'azure.tenant': { route: 'organization' },
  'azure.users': { route: 'users-delta' },
  'azure.applications': { route: 'applications-delta' },
  'azure.application_credentials': { route: 'app-fic', batched: true },
  'azure.application_owners': { route: 'app-owners', batched: true },
  'azure.service_principals': { route: 'servicePrincipals-delta' },
  'azure.service_principal_credentials': { route: 'servicePrincipals-delta', via: 'the credentials ride on the service principal object: no call of their own' },
  'azure.service_principal_owners': { route: 'sp-owners', batched: true },
  'azure.app_role_assignments': { route: 'sp-app-role-assignments', batched: true },
  'azure.delegated_grants': { route: 'sp-grants', batched: true },
  'azure.sign_in_activity': { route: 'sign-in-activity', notFoundIsEmpty: true }, // 404: the report is not served in this cloud (not applicable)
  'azure.consent_audit': { route: 'directory-audits' },
  'azure.subscriptions': { route: 'arm-subscriptions' },
  'azure.subscription_role_assignments': { route: 'arm-role-assignments' },
};

/** The error answers each provider gives, by kind (Slack answers refusals with HTTP 200 and ok:false, as it does). */
const ANSWERS: Record<string, Record<'401' | '403' | '404' | '429' | '500', Pick<Fault, 'status' | 'headers' | 'body'>>> = {
  github: {
    401: { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } },
    403: { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } },
    404: { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } },
    429: { status: 429, headers: { 'retry-after': '0' }, body: { message: 'API rate limit exceeded' } },
    500: { status: 500, body: { message: 'Server Error' } },
  },
  slack: {
    401: { status: 200, body: { ok: false, error: 'invalid_auth' } },
    403: { status: 200, body: { ok: false, error: 'missing_scope', needed: 'users:read', provided: 'team:read' } },
    404: { status: 404, body: { ok: false, error: 'unknown_method' } },
    429: { status: 429, headers: { 'retry-after': '0' }, body: { ok: false, error: 'ratelimited' } },
    500: { status: 500, body: { ok: false, error: 'internal_error' } },
  },
  google: {
    401: { status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED', errors: [{ reason: 'authError', message: 'Invalid Credentials' }] } } },
    403: { status: 403, body: { error: { code: 403, message: 'Not Authorized to access this resource/api', status: 'PERMISSION_DENIED', errors: [{ reason: 'forbidden', message: 'Not Authorized to access this resource/api' }] } } },
    404: { status: 404, body: { error: { code: 404, message: 'Resource Not Found', status: 'NOT_FOUND', errors: [{ reason: 'notFound', message: 'Resource Not Found' }] } } },
    429: { status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded', message: 'Quota exceeded' }] } } },
    500: { status: 500, body: { error: { code: 500, message: 'Backend Error', status: 'INTERNAL', errors: [{ reason: 'backendError', message: 'Backend Error' }] } } },
  },
  azure: {
    401: { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } } },
    403: { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } },
    404: { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'Resource does not exist.' } } },
    429: { status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } } },
    500: { status: 500, body: { error: { code: 'InternalServerError', message: 'simulated' } } },
  },
};

/** The demo company as each provider's simulator serves it; Slack as an Enterprise Grid org (its governance lists answer). */
function scenarioFor(provider: string): unknown {
  switch (provider) {
    case 'github': return buildGithubScenario();
    case 'google': return buildGoogleScenario();
    case 'azure': return buildAzureScenario();
    case 'slack': return gridSlack();
    default: throw new Error(`no scenario for ${provider}: add one (and its resources' routes to TARGETS)`);
  }
}

function gridSlack(): SlackScenario {
  const s = buildSlackScenario();
  const user = s.workspaces[0]!.users.find((u) => !u.is_bot && u.id !== 'USLACKBOT')!;
  s.plan = 'enterprise';
  s.enterprise = { id: 'EHALCYON01', name: 'Halcyon Logistics Grid' };
  s.token = { type: 'user', orgLevel: true, scopes: [...s.token.scopes, 'admin.teams:read', 'admin.apps:read', 'admin.workflows:read', 'groups:read'] };
  s.approvedApps = [{ app: { id: 'A0JIRACL01', name: 'Jira Cloud' }, scopes: [{ name: 'chat:write', token_type: 'bot', is_sensitive: false }], date_updated: 1_762_000_000 }];
  s.restrictedApps = [{ app: { id: 'A0BADAPP01', name: 'Bad App' }, scopes: [{ name: 'admin', token_type: 'user', is_sensitive: true }] }];
  s.workspaces[0]!.appRequests = [{ id: 'R0REQ00001', app: { id: 'A0REQAPP01', name: 'Requested App' }, user: { id: user.id, name: user.name, email: user.profile?.email },
    team: { id: TEAM_ID, domain: 'halcyon-logistics' }, scopes: [{ name: 'channels:history' }], message: 'please', date_created: 1_763_000_000 }];
  s.workflows = [{ id: 'Wf0DEMO001', title: 'Deploy notice', team_id: TEAM_ID, is_published: true, collaborators: [user.id], app_id: 'A0WFAPP001',
    steps: [{ id: 's1', function_id: 'A0JIRACL01#/functions/create_issue' }], trigger_ids: ['Ft1'] }];
  return s;
}

function faultFor(provider: string, target: Target, kind: Kind): Fault {
  if (kind === 'reset') return { route: target.batched ? 'batch' : target.route, kind: 'reset' };
  if (kind === 'malformed') return { route: target.route, kind: 'malformed', ...(target.item ? { item: target.item } : {}) };
  return { route: target.route, kind: 'status', ...ANSWERS[provider]![kind] };
}

/** Two kinds per resource, rotating through the seven; all seven with NHI_FAULT_PROPERTY=all. */
function kindsFor(index: number, target: Target): Kind[] {
  const all = process.env.NHI_FAULT_PROPERTY === 'all';
  const picked = all ? [...KINDS] : [KINDS[(2 * index) % KINDS.length]!, KINDS[(2 * index + 1) % KINDS.length]!];
  // a 404 meaning "none" is the API's normal answer, not a fault: that resource gets the next kind instead
  return picked.map((k) => (k === '404' && target.notFoundIsEmpty ? (all ? null : KINDS[(KINDS.indexOf(k) + 2) % KINDS.length]!) : k))
    .filter((k): k is Kind => k !== null);
}

const specs = await loadConnectors();
const month = new Date().toISOString().slice(0, 7);
const inventory = loadInventory(DEMO_INVENTORY);
const configPatch: Record<string, Record<string, unknown>> = {
  google: { quotas: { directory: 1_000_000, reports: 1_000_000, iam: 1_000_000, resourceManager: 1_000_000 } },
};

it('every resource spec has a route to fault (and every listed route belongs to a resource)', () => {
  const types = specs.flatMap((s) => s.resources.map((r) => r.type)).sort();
  expect(Object.keys(TARGETS).sort()).toEqual(types);
});

describe.each(specs.map((s) => [s.name, s] as const))('%s: a fault on any resource', (provider, spec: ProviderSpec) => {
  let sc: SimCrawl;
  /** What the clean crawl and its reconciliation left: live node and edge ids, open findings. */
  const base = { live: new Set<string>(), open: new Set<string>(), notFound: new Set<string>() };
  let index = specs.slice(0, specs.indexOf(spec)).reduce((n, s) => n + s.resources.length, 0);
  const descendants = (r: ResourceSpec): ResourceSpec[] => spec.resources.filter((c) => c.parent === r).flatMap((c) => [c, ...descendants(c)]);
  const cases = spec.resources.flatMap((r) => kindsFor(index++, TARGETS[r.type]!).map((kind) => [r.type, kind] as const));

  beforeAll(async () => {
    sc = await startSimCrawl(provider, scenarioFor(provider));
    const clean = await sc.crawl({ configPatch: configPatch[provider], retry: { maxRetries: 1, baseDelayMs: 1 } });
    expect(clean.resources.filter((r) => r.status !== 'complete').map((r) => `${r.resourceType} ${r.status} ${r.error}`)).toEqual([]);
    reconcile(sc.db, inventory);
    for (const r of rows<{ id: string }>(sc.db, 'SELECT id FROM nodes WHERE removed_run IS NULL UNION ALL SELECT id FROM edges WHERE removed_run IS NULL')) base.live.add(r.id);
    for (const f of rows<{ id: string; rule: string }>(sc.db, "SELECT id, rule FROM findings WHERE status <> 'resolved'")) {
      base.open.add(f.id);
      if (f.rule === 'approved-not-found') base.notFound.add(f.id);
    }
    // every route the table names was read in the clean crawl, with something in it to break
    for (const r of spec.resources) {
      const route = TARGETS[r.type]!.route;
      expect(sc.sim.log.some((e) => (e.route === route || e.route === `batch:${route}`) && e.status === 200), `${r.type}: route ${route} was not read`).toBe(true);
    }
  }, 120_000);
  afterAll(async () => { await sc?.close(); });

  it.each(cases)('%s, %s', async (type, kind) => {
    const resource = spec.resources.find((r) => r.type === type)!;
    const target = TARGETS[type]!;
    sc.sim.setFaults([faultFor(provider, target, kind)]);
    const run = await sc.crawl({ configPatch: configPatch[provider], retry: { maxRetries: 1, baseDelayMs: 1 } });
    const hit = sc.sim.faults[0]?.fired ?? 0;
    sc.sim.setFaults([]);
    const status = Object.fromEntries(run.resources.map((r) => [r.resourceType, r.status]));
    const problems: string[] = [];
    if (hit === 0) problems.push(`the fault on ${target.route} never fired`);
    for (const r of [resource, ...descendants(resource)]) {
      if (status[r.type] === 'complete') problems.push(`${r.type} is complete`);
    }
    const removed = rows<{ entity_id: string }>(sc.db, `SELECT entity_id FROM change_log WHERE run_id = ? AND change = 'removed'`, run.runId)
      .filter((r) => base.live.has(r.entity_id));
    if (removed.length) problems.push(`removed: ${removed.slice(0, 5).map((r) => r.entity_id).join(', ')}`);
    const recon = reconcile(sc.db, inventory);
    const resolved = rows<{ id: string; rule: string }>(sc.db, 'SELECT id, rule FROM findings WHERE resolved_recon = ?', recon.reconId).filter((f) => base.open.has(f.id));
    if (resolved.length) problems.push(`${resolved.length} finding(s) resolved: ${resolved.map((f) => `${f.rule} ${f.id}`).join(', ')}`);
    const notFound = rows<{ id: string }>(sc.db, "SELECT id FROM findings WHERE rule = 'approved-not-found' AND status <> 'resolved'").filter((f) => !base.notFound.has(f.id));
    if (notFound.length) problems.push(`${notFound.length} new approved-not-found finding(s): ${notFound.map((f) => f.id).join(', ')}`);
    const model = buildReportModel(sc.db, { month, organisation: 'Halcyon Logistics' });
    if (!model.warnings.some((w) => w.includes(type))) problems.push(`the report's coverage notice does not name ${type} (run ${run.runId} ${run.status}; report crawls ${JSON.stringify(model.crawls.map((c) => [c.provider, c.runId]))}; notice: ${JSON.stringify(model.warnings)})`);
    if (problems.length) throw new Error(`${type} under ${kind} (fault on ${target.route}${target.via ? `: ${target.via}` : ''}):\n  ${problems.join('\n  ')}`);
  }, 60_000);
});
