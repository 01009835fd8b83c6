// Contract test, Google (issue 14, item 6): the simulator's answers against the googleapis `Schema$…` types
// (@googleapis/admin, /iam, /cloudresourcemanager), for the fields the adapters read. The demo company exercises
// every resource; the token audit log (read while listing grants, not mapped itself) is checked at its route.
// test/helpers/contract.ts says what is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { admin_reports_v1 } from '@googleapis/admin';
import { customer } from '../../connectors/google/resources/customer.ts';
import { oauthTokens } from '../../connectors/google/resources/oauth-tokens.ts';
import { projectIamPolicies } from '../../connectors/google/resources/project-iam-policies.ts';
import { projects } from '../../connectors/google/resources/projects.ts';
import { serviceAccountKeys } from '../../connectors/google/resources/service-account-keys.ts';
import { serviceAccounts } from '../../connectors/google/resources/service-accounts.ts';
import { users } from '../../connectors/google/resources/users.ts';
import { workloadIdentityPools } from '../../connectors/google/resources/workload-identity-pools.ts';
import { workloadIdentityProviders } from '../../connectors/google/resources/workload-identity-providers.ts';
import { serviceAccountIamPolicies } from '../../connectors/google/resources/service-account-iam-policies.ts';
import { googleRoutes } from '../../connectors/google/simulator/routes.ts';
import type { GoogleScenario } from '../../connectors/google/simulator/scenario.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { assertContracts, fields, runContract, servedProblems, type Contract, type ContractRun, type ItemOf } from '../helpers/contract.ts';

/** Per resource type: the item fields its adapter reads, with the kinds the googleapis types give them. */
const contracts: Record<string, Contract> = {
  'google.customer': fields<ItemOf<typeof customer>>()({ id: 'string', customerDomain: 'string', customerCreationTime: 'string', language: 'string' }),
  'google.users': fields<ItemOf<typeof users>>()({
    id: 'string', primaryEmail: 'string', name: 'object', 'name.fullName': 'string', aliases: 'array', 'aliases[]': 'string', nonEditableAliases: 'array', 'nonEditableAliases[]': 'string',
    suspended: 'boolean', suspensionReason: 'string', archived: 'boolean', isAdmin: 'boolean', isDelegatedAdmin: 'boolean', isEnrolledIn2Sv: 'boolean',
    isEnforcedIn2Sv: 'boolean', creationTime: 'string', deletionTime: 'string', lastLoginTime: 'string', orgUnitPath: 'string',
  }),
  // grant dates and last use (_authorizedAt, _lastUsedAt) come from the audit log (checked below); _patch marks a last-use-only update
  'google.oauth_tokens': fields<ItemOf<typeof oauthTokens>>()({
    clientId: 'string', displayText: 'string', anonymous: 'boolean', nativeApp: 'boolean', scopes: 'array', 'scopes[]': 'string',
    _authorizedAt: 'string', _lastUsedAt: 'string', _patch: 'boolean?',
  }),
  'google.projects': fields<ItemOf<typeof projects>>()({
    name: 'string', projectId: 'string', displayName: 'string', parent: 'string', state: 'string', createTime: 'string', labels: 'object',
  }),
  'google.service_accounts': fields<ItemOf<typeof serviceAccounts>>()({
    name: 'string', email: 'string', uniqueId: 'string', projectId: 'string', displayName: 'string', description: 'string', disabled: 'boolean', oauth2ClientId: 'string',
  }),
  'google.service_account_keys': fields<ItemOf<typeof serviceAccountKeys>>()({
    name: 'string', keyType: 'string', keyOrigin: 'string', keyAlgorithm: 'string', validAfterTime: 'string', validBeforeTime: 'string',
    disabled: 'boolean', disableReason: 'string',
  }),
  // _pools: what the list step read of the pools the policy's Workload Identity members name (wif-providers.ts, the providers listing's items)
  'google.project_iam': fields<ItemOf<typeof projectIamPolicies>>()({
    bindings: 'array', 'bindings[].role': 'string', 'bindings[].members': 'array', 'bindings[].members[]': 'string', 'bindings[].condition': 'object',
    'bindings[].condition.expression': 'string', _pools: 'object?',
  }),
  'google.service_account_iam': fields<ItemOf<typeof serviceAccountIamPolicies>>()({
    bindings: 'array', 'bindings[].role': 'string', 'bindings[].members': 'array', 'bindings[].members[]': 'string', 'bindings[].condition': 'object',
    'bindings[].condition.expression': 'string', _pools: 'object?',
  }),
  'google.workload_identity_pools': fields<ItemOf<typeof workloadIdentityPools>>()({
    name: 'string', displayName: 'string', description: 'string', mode: 'string', state: 'string', disabled: 'boolean', expireTime: 'string',
  }),
  'google.workload_identity_providers': fields<ItemOf<typeof workloadIdentityProviders>>()({
    name: 'string', displayName: 'string', description: 'string', state: 'string', disabled: 'boolean', expireTime: 'string',
    attributeMapping: 'object', attributeCondition: 'string', oidc: 'object', 'oidc.issuerUri': 'string', 'oidc.allowedAudiences': 'array',
    'oidc.allowedAudiences[]': 'string', aws: 'object', 'aws.accountId': 'string',
  }),
};

/** The Reports API activity fields the grant dating and last-use reading read (token-activity.ts, token-usage.ts). */
const activity = fields<admin_reports_v1.Schema$Activity>()({
  'actor.profileId': 'string', 'actor.email': 'string', 'id.time': 'string', 'events[].name': 'string',
  'events[].parameters[].name': 'string', 'events[].parameters[].value': 'string',
});

/** The demo company, with the optional fields it leaves out that the adapters read. */
function scenario(): GoogleScenario {
  const s = (buildDemoScenario() as { google: GoogleScenario }).google;
  s.customer.language ??= 'en';
  s.customer.customerCreationTime ??= '2019-01-01T00:00:00Z';
  const u = s.users[0]!;
  Object.assign(u, { nonEditableAliases: [`${u.primaryEmail.split('@')[0]}@alias.example`], isDelegatedAdmin: false, isEnforcedIn2Sv: true, isEnrolledIn2Sv: true,
    lastLoginTime: '2026-11-01T00:00:00Z', orgUnitPath: '/', archived: false });
  const suspended = s.users.find((x) => x.suspended) ?? s.users[1]!;
  suspended.suspensionReason ??= 'ADMIN';
  const deleted = s.deletedUsers?.[0];
  if (deleted) deleted.deletionTime ??= '2026-11-20T00:00:00Z';
  for (const list of Object.values(s.tokens ?? {})) for (const t of list) { t.anonymous ??= false; t.nativeApp ??= false; t.displayText ??= t.clientId; }
  const p = s.projects![0]!;
  Object.assign(p, { labels: { env: 'prod' }, createTime: p.createTime ?? '2020-01-01T00:00:00Z' });
  const sa = Object.values(s.serviceAccounts ?? {}).flat()[0]!;
  Object.assign(sa, { description: sa.description ?? 'deploys', oauth2ClientId: sa.oauth2ClientId ?? sa.uniqueId, disabled: sa.disabled ?? false });
  const key = Object.values(s.keys ?? {}).flat()[0]!;
  Object.assign(key, { disabled: true, disableReason: 'SERVICE_ACCOUNT_KEY_DISABLE_REASON_USER_INITIATED', keyAlgorithm: key.keyAlgorithm ?? 'KEY_ALG_RSA_2048' });
  const pool = Object.values(s.workloadIdentityPools ?? {}).flat()[0]!;
  Object.assign(pool, { description: 'CI', mode: 'FEDERATION_ONLY', expireTime: '2027-01-01T00:00:00Z' });
  const provider = s.workloadIdentityPoolProviders![pool.name]![0]!;
  Object.assign(provider, { description: 'GitHub', expireTime: '2027-01-01T00:00:00Z', oidc: { ...provider.oidc, allowedAudiences: ['https://example.test'] } });
  s.workloadIdentityPoolProviders![pool.name]!.push({ name: `${pool.name}/providers/aws`, state: 'ACTIVE', disabled: true, aws: { accountId: '123456789012' } });
  const saPolicy = Object.values(s.serviceAccountIamPolicies ?? {})[0];
  if (saPolicy?.bindings?.[0]) saPolicy.bindings[0].condition ??= { title: 'expires', expression: 'request.time < timestamp("2027-01-01T00:00:00Z")' };
  const policy = Object.values(s.iamPolicies ?? {})[0];
  if (policy?.bindings?.[0]) policy.bindings[0].condition ??= { title: 'expires', expression: 'request.time < timestamp("2027-01-01T00:00:00Z")' };
  return s;
}

const runs: ContractRun[] = [];
beforeAll(async () => { runs.push(await runContract('google', scenario())); });
afterAll(async () => { for (const r of runs) await r.close(); });

describe('google contract', () => {
  it('every resource reads only fields the googleapis types define, and the simulator serves them with those types', () => {
    // `_pools.<pool name>…` are the providers listing's own items (its contract checks them), keyed by the pools the demo names
    const pooled: Record<string, Record<string, string>> = {};
    for (const type of ['google.project_iam', 'google.service_account_iam']) {
      for (const f of runs.flatMap((r) => [...(r.reads.get(type) ?? [])])) {
        if (f.startsWith('_pools.')) (pooled[type] ??= {})[f] = 'the providers listing\'s items, read once per crawl (wif-providers.ts)';
      }
    }
    assertContracts(runs, contracts, pooled);
  });

  it('the token audit log (Reports API activities) is served with the types the grant dating reads', async () => {
    const s = scenario();
    const route = googleRoutes(s).find((r) => r.name === 'activities')!;
    const url = new URL('http://sim/admin/reports/v1/activity/users/all/applications/token?maxResults=1000');
    const out = await route.handler({ method: 'GET', path: url.pathname, url, query: url.searchParams, params: { userKey: 'all', app: 'token' },
      headers: { authorization: 'Bearer sim' }, body: {}, route: 'activities' });
    const items = (JSON.parse(JSON.stringify(out.body)) as admin_reports_v1.Schema$Activities).items ?? [];
    expect(items.length).toBeGreaterThan(0);
    expect(servedProblems('activities', items, activity)).toEqual([]);
  });
});
