// Contract test, GitHub (issue 14, item 6): the simulator's answers against @octokit/openapi-types (and, for the
// GHEC-only SAML credential authorizations, the mirror of ghec.json's schema in connectors/github/types.ts), for
// the fields the adapters read. The demo organisation exercises every resource; test/helpers/contract.ts says
// what is checked.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { appInstallations } from '../../connectors/github/resources/app-installations.ts';
import { apps } from '../../connectors/github/resources/apps.ts';
import { credentialAuthorizations } from '../../connectors/github/resources/credential-authorizations.ts';
import { deployKeys } from '../../connectors/github/resources/deploy-keys.ts';
import { installationRepositories } from '../../connectors/github/resources/installation-repositories.ts';
import { members } from '../../connectors/github/resources/members.ts';
import { orgActionsSecrets } from '../../connectors/github/resources/org-actions-secrets.ts';
import { orgSecretRepositories } from '../../connectors/github/resources/org-secret-repositories.ts';
import { orgWebhooks } from '../../connectors/github/resources/org-webhooks.ts';
import { organization } from '../../connectors/github/resources/organization.ts';
import { outsideCollaborators } from '../../connectors/github/resources/outside-collaborators.ts';
import { patGrantRepositories } from '../../connectors/github/resources/pat-grant-repositories.ts';
import { patGrants } from '../../connectors/github/resources/pat-grants.ts';
import { patRequests } from '../../connectors/github/resources/pat-requests.ts';
import { repoWebhooks } from '../../connectors/github/resources/repo-webhooks.ts';
import { repositories } from '../../connectors/github/resources/repositories.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import type { GithubScenario } from '../../connectors/github/simulator/scenario.ts';
import { assertContracts, fields, runContract, type Contract, type ContractRun, type ItemOf } from '../helpers/contract.ts';

const hook = { id: 'number', active: 'boolean', events: 'array', 'events[]': 'string', created_at: 'string', updated_at: 'string', config: 'object',
  'config.url': 'string', 'config.content_type': 'string', 'config.insecure_ssl': 'string', 'config.secret': 'string' } as const;
const patGrant = { id: 'number', owner: 'object', 'owner.login': 'string', token_id: 'number', token_name: 'string', repository_selection: 'string',
  permissions: 'object', 'permissions.organization': 'object', 'permissions.repository': 'object', token_expired: 'boolean', token_expires_at: 'string',
  token_last_used_at: 'string' } as const;
const repoRef = { id: 'number', full_name: 'string' } as const;

/** Per resource type: the item fields its adapter reads, with the kinds the vendor's types give them. */
const contracts: Record<string, Contract> = {
  'github.organization': fields<ItemOf<typeof organization>>()({
    login: 'string', id: 'number', name: 'string', plan: 'object', 'plan.name': 'string', two_factor_requirement_enabled: 'boolean',
    members_can_create_repositories: 'boolean', created_at: 'string',
  }),
  'github.members': fields<ItemOf<typeof members>>()({ login: 'string', id: 'number', email: 'string', type: 'string', site_admin: 'boolean', _admin: 'boolean',
    _saml: 'array', '_saml[]': 'string' }),
  'github.outside_collaborators': fields<ItemOf<typeof outsideCollaborators>>()({ login: 'string', id: 'number', email: 'string', type: 'string' }),
  'github.app_installations': fields<ItemOf<typeof appInstallations>>()({
    id: 'number', app_id: 'number', app_slug: 'string', client_id: 'string', target_type: 'string', repository_selection: 'string',
    permissions: 'object', events: 'array', 'events[]': 'string', created_at: 'string', updated_at: 'string', suspended_at: 'string',
    suspended_by: 'object', 'suspended_by.login': 'string', contact_email: 'string',
  }),
  'github.apps': fields<ItemOf<typeof apps>>()({ slug: 'string', name: 'string', external_url: 'string', owner: 'object', 'owner.login': 'string' }),
  'github.installation_repositories': fields<ItemOf<typeof installationRepositories>>()(repoRef),
  'github.pat_grants': fields<ItemOf<typeof patGrants>>()({ ...patGrant, access_granted_at: 'string' }),
  'github.pat_grant_repositories': fields<ItemOf<typeof patGrantRepositories>>()(repoRef),
  'github.pat_requests': fields<ItemOf<typeof patRequests>>()({ ...patGrant, created_at: 'string', reason: 'string' }),
  'github.credential_authorizations': fields<ItemOf<typeof credentialAuthorizations>>()({
    login: 'string', credential_id: 'number', credential_type: 'string', token_last_eight: 'string', credential_authorized_at: 'string',
    scopes: 'array', 'scopes[]': 'string', fingerprint: 'string', credential_accessed_at: 'string', authorized_credential_title: 'string',
    authorized_credential_note: 'string', authorized_credential_expires_at: 'string',
  }),
  'github.repositories': fields<ItemOf<typeof repositories>>()({
    id: 'number', name: 'string', full_name: 'string', owner: 'object', 'owner.login': 'string', 'owner.id': 'number', private: 'boolean', visibility: 'string',
    archived: 'boolean', fork: 'boolean', default_branch: 'string', created_at: 'string', pushed_at: 'string',
  }),
  'github.deploy_keys': fields<ItemOf<typeof deployKeys>>()({
    id: 'number', title: 'string', key: 'string', read_only: 'boolean', verified: 'boolean', created_at: 'string', last_used: 'string',
    added_by: 'string', enabled: 'boolean',
  }),
  'github.org_webhooks': fields<ItemOf<typeof orgWebhooks>>()(hook),
  'github.repo_webhooks': fields<ItemOf<typeof repoWebhooks>>()({ ...hook, last_response: 'object', 'last_response.code': 'number', 'last_response.status': 'string' }),
  'github.org_actions_secrets': fields<ItemOf<typeof orgActionsSecrets>>()({ name: 'string', visibility: 'string', created_at: 'string', updated_at: 'string' }),
  'github.org_secret_repositories': fields<ItemOf<typeof orgSecretRepositories>>()(repoRef),
};

/** The demo organisation, with the optional fields it leaves out that the adapters read. */
function scenario(): GithubScenario {
  const s = (buildDemoScenario() as { github: GithubScenario }).github;
  const inst = s.installations![0]!;
  Object.assign(inst, { client_id: 'Iv1.contract', contact_email: 'ops@example.com', suspended_at: '2026-01-01T00:00:00Z',
    suspended_by: { ...s.members[0]!, login: s.members[0]!.login } });
  const key = Object.values(s.deployKeys ?? {}).flat()[0]!;
  Object.assign(key, { last_used: '2026-11-01T00:00:00Z', added_by: s.members[0]!.login, enabled: true, verified: true });
  const orgHook = s.orgHooks![0]!;
  Object.assign(orgHook.config, { secret: '********', content_type: 'json', insecure_ssl: '0' });
  const repoHook = Object.values(s.repoHooks ?? {}).flat()[0]!;
  Object.assign(repoHook, { last_response: { code: 200, status: 'active', message: 'OK' } });
  Object.assign(repoHook.config, { secret: '********', content_type: 'json', insecure_ssl: '0' });
  s.members[0]!.email = 'owner@example.com';
  if (s.outsideCollaborators?.[0]) s.outsideCollaborators[0].email = 'contractor@example.com';
  s.org.members_can_create_repositories ??= false;
  for (const a of s.apps ?? []) a.external_url ??= `https://${a.slug}.example.com`;
  for (const r of s.patRequests ?? []) r.token_last_used_at ??= '2026-11-01T00:00:00Z';
  const auth = s.credentialAuthorizations?.[0];
  if (auth) Object.assign(auth, { authorized_credential_note: 'deploy', authorized_credential_expires_at: '2027-01-01T00:00:00Z', credential_accessed_at: '2026-11-01T00:00:00Z' });
  return s;
}

const runs: ContractRun[] = [];
beforeAll(async () => { runs.push(await runContract('github', scenario())); });
afterAll(async () => { for (const r of runs) await r.close(); });

describe('github contract', () => {
  it('every resource reads only fields @octokit/openapi-types types, and the simulator serves them with those types', () => {
    assertContracts(runs, contracts, {
      // one mapper for org and repository hooks (connectors/github/webhook-map.ts): only repository hooks have it
      'github.org_webhooks': { last_response: 'read by the mapper shared with repository hooks; absent on org hooks' },
    });
  });
});
