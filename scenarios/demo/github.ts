// The demo company's GitHub organisation (Halcyon Logistics, org `halcyon-logistics`), built
// deterministically. `scale` grows it for benchmarks; the planted problems stay the same:
//  - the `deployhub-pro` app holds administration:write and organization_administration:write;
//  - a fine-grained PAT that expired (still granted) and one that never expires;
//  - a write deploy key on `customer-portal` added by `rkowalski`, who has left the organisation;
//  - a webhook on `customer-portal` forwarding to an unknown host (with a token in its URL, never stored);
//  - an org webhook whose config carries a secret (never stored);
//  - a webhook on `billing-api` delivering over plain http:// (its clean twin: the https hook on the same repository
//    and host), and an org webhook with TLS verification off (insecure_ssl "1"; its twin: the SIEM audit hook, "0");
//  - issue 19's clean twin: `billing-api`, whose production environment the pinned Entra and Google trusts name, is
//    written by no app but GitHub's own — the third-party apps that can change workflows (contents, workflows,
//    administration or environments write) are installed on every other repository, and no PAT grant or write deploy
//    key reaches it.
import type { GithubScenario, SimRepo, SimUser } from '../../connectors/github/simulator/scenario.ts';
import { company, rng, daysAgo, daysAhead } from './company.ts';

export interface GithubScale { repos: number; members: number; installations: number; hooksPerRepo?: number; keysPerRepo?: number }
export const demoGithubScale: GithubScale = { repos: 42, members: company.people.length, installations: 12 };

export const planted = {
  adminApp: 'deployhub-pro',
  /** The repository only GitHub's own apps can write (issue 19's clean twin: the pinned trusts name it). */
  firstPartyOnlyRepo: 'billing-api',
  departedKeyAuthor: 'rkowalski',
  unknownWebhookHost: 'collector.data-sync.io',
  webhookUrlToken: 'hooktoken_9f8e7d6c5b4a3928',
  webhookSecret: 'whsec_planted_org_hook_secret_42',
  expiredPat: 'old-release-script',
  neverExpiringPat: 'ci-forever',
  plainHttpHookId: 799_002,
  noTlsVerifyHookId: 710_003,
};


export function buildGithubScenario(scale: GithubScale = demoGithubScale): GithubScenario {
  const r = rng(7);
  const org = 'halcyon-logistics';
  const members: SimUser[] = [];
  for (let i = 0; i < scale.members; i++) {
    const p = company.people[i % company.people.length]!;
    const login = i < company.people.length ? p.github : `${p.github}${i}`;
    members.push({ login, id: 1000 + i, type: 'User', site_admin: false, email: i < company.people.length ? p.email : null });
  }
  const admins = ['mchen', 'asantos'];
  const repoNames = [...company.repos];
  for (let i = repoNames.length; i < scale.repos; i++) repoNames.push(`service-${i}`);
  const repositories: SimRepo[] = repoNames.slice(0, scale.repos).map((name, i) => ({
    id: 50_000 + i, name, full_name: `${org}/${name}`, private: i % 5 !== 0, visibility: i % 5 === 0 ? 'public' : 'private',
    archived: i % 17 === 16, fork: false, default_branch: 'main', owner: { login: org, id: 1, node_id: 'O_1', avatar_url: '', gravatar_id: null,
      url: '', html_url: '', followers_url: '', following_url: '', gists_url: '', starred_url: '', subscriptions_url: '',
      organizations_url: '', repos_url: '', events_url: '', received_events_url: '', type: 'Organization', site_admin: false },
    created_at: daysAgo(900 - i * 7), pushed_at: daysAgo(i % 30),
  }));

  const appCatalogue = [
    { slug: 'deployhub-pro', owner: 'deployhub', perms: { administration: 'write', organization_administration: 'write', contents: 'write', metadata: 'read' } },
    { slug: 'dependabot-preview', owner: 'github', perms: { contents: 'read', pull_requests: 'write', metadata: 'read' } },
    { slug: 'codecov', owner: 'codecov', perms: { checks: 'write', contents: 'read', metadata: 'read', statuses: 'write' } },
    { slug: 'slack-github', owner: 'integrations', perms: { issues: 'read', pull_requests: 'read', metadata: 'read' } },
    { slug: 'snyk-security', owner: 'snyk', perms: { contents: 'read', security_events: 'write', metadata: 'read' } },
    { slug: 'linear-sync', owner: 'linear', perms: { issues: 'write', pull_requests: 'read', metadata: 'read' } },
    { slug: 'renovate', owner: 'mend', perms: { contents: 'write', pull_requests: 'write', workflows: 'write', metadata: 'read' } },
    { slug: 'halcyon-release-bot', owner: org, perms: { contents: 'write', actions: 'read', metadata: 'read' } },
    { slug: 'sonarcloud', owner: 'sonarsource', perms: { checks: 'write', pull_requests: 'write', metadata: 'read' } },
    { slug: 'datadog-ci', owner: 'datadog', perms: { actions: 'read', checks: 'read', metadata: 'read' } },
    { slug: 'jira-cloud', owner: 'atlassian', perms: { issues: 'read', pull_requests: 'read', deployments: 'read', metadata: 'read' } },
    { slug: 'vercel', owner: 'vercel', perms: { deployments: 'write', contents: 'read', metadata: 'read', statuses: 'write' } },
  ];
  const installations: NonNullable<GithubScenario['installations']> = [];
  const apps: NonNullable<GithubScenario['apps']> = [];
  const installationRepositories: Record<string, string[]> = {};
  // an app not published by GitHub that can change what a repository's workflows run is kept off billing-api
  const changesWorkflows = (perms: Record<string, string | undefined>) => ['contents', 'workflows', 'administration', 'environments'].some((k) => perms[k] === 'write');
  const allButTwin = repoNames.slice(0, scale.repos).filter((n) => n !== planted.firstPartyOnlyRepo);
  for (let i = 0; i < scale.installations; i++) {
    const a = appCatalogue[i % appCatalogue.length]!;
    const slug = i < appCatalogue.length ? a.slug : `${a.slug}-${i}`;
    const keptOff = a.owner !== 'github' && changesWorkflows(a.perms);
    const selected = i % 3 === 1 || keptOff;
    installations.push({
      id: 9000 + i, app_id: 300 + i, app_slug: slug, client_id: `Iv1.${(0xabc000 + i).toString(16)}`, target_type: 'Organization',
      permissions: a.perms as never, repository_selection: selected ? 'selected' : 'all', events: ['push', 'pull_request'].slice(0, 1 + (i % 2)),
      created_at: daysAgo(400 - i * 9), updated_at: daysAgo(30 + i), suspended_at: i === 10 ? daysAgo(20) : null,
      single_file_name: null, account: null,
    });
    if (selected) installationRepositories[String(9000 + i)] = i % 3 === 1 ? repoNames.slice(i % 7, (i % 7) + 3).filter((n) => !keptOff || n !== planted.firstPartyOnlyRepo) : allButTwin;
    apps.push({ id: 300 + i, slug, name: slug, owner: { login: a.owner, id: 7000 + (i % appCatalogue.length), node_id: '', avatar_url: '',
      gravatar_id: null, url: '', html_url: '', followers_url: '', following_url: '', gists_url: '', starred_url: '', subscriptions_url: '',
      organizations_url: '', repos_url: '', events_url: '', received_events_url: '', type: 'Organization', site_admin: false } });
  }

  const owner = (login: string) => ({ ...members.find((m) => m.login === login)! });
  const pat = (id: number, login: string, name: string, perms: Record<string, string>, opts: { expires: string | null; expired?: boolean; used?: string | null; selection?: 'all' | 'subset' | 'none' }) => ({
    id, owner: owner(login) as never, token_id: 80_000 + id, token_name: name, repository_selection: opts.selection ?? 'subset',
    repositories_url: '', permissions: { repository: perms, organization: {} }, access_granted_at: daysAgo(200 - id),
    token_expired: opts.expired ?? false, token_expires_at: opts.expires, token_last_used_at: opts.used ?? daysAgo(2),
  });
  const patGrants = [
    pat(1, 'jokafor', 'terraform-plan', { contents: 'read', metadata: 'read' }, { expires: daysAhead(60) }),
    pat(2, 'lnguyen', planted.expiredPat, { contents: 'write', metadata: 'read' }, { expires: daysAgo(45), expired: true, used: daysAgo(50) }),
    pat(3, 'dmuller', planted.neverExpiringPat, { contents: 'write', actions: 'write', metadata: 'read' }, { expires: null }),
    pat(4, 'asantos', 'docs-sync', { contents: 'read', pages: 'write' }, { expires: daysAhead(20) }),
    pat(5, 'pkumar', 'release-notes', { contents: 'read', issues: 'read' }, { expires: daysAhead(90), used: null }),
  ];
  const patGrantRepositories: Record<string, string[]> = { '1': ['infra-terraform'], '2': ['release-tools', 'customer-portal'], '3': allButTwin, '4': ['docs-site'], '5': ['release-tools'] };
  const patRequests = [{
    id: 21, owner: owner('tbrooks') as never, token_id: 80_021, token_name: 'data-export', repository_selection: 'all' as const, repositories_url: '',
    permissions: { repository: { contents: 'read' }, organization: { members: 'read' } }, created_at: daysAgo(3), token_expired: false,
    token_expires_at: daysAhead(30), token_last_used_at: null, reason: 'weekly data export to the analytics warehouse',
  }];

  const key = (seed: number) => `ssh-ed25519 ${Buffer.from(`halcyon-demo-key-${seed}`.padEnd(51, '.')).toString('base64')}`;
  const deployKeys: NonNullable<GithubScenario['deployKeys']> = {};
  const repoHooks: NonNullable<GithubScenario['repoHooks']> = {};
  repoNames.slice(0, scale.repos).forEach((name, i) => {
    const keys = scale.keysPerRepo ?? (i % 4 === 0 ? 1 : 0);
    for (let k = 0; k < keys; k++) {
      (deployKeys[name] ??= []).push({ id: 600_000 + i * 10 + k, title: `ci-deploy-${name}`, read_only: true, key: key(i * 10 + k), verified: true,
        created_at: daysAgo(300 - i), added_by: members[(i + k) % members.length]!.login, last_used: daysAgo(i % 40), enabled: true });
    }
    const hooks = scale.hooksPerRepo ?? (i % 6 === 0 ? 1 : 0);
    for (let h = 0; h < hooks; h++) {
      (repoHooks[name] ??= []).push({ id: 700_000 + i * 10 + h, name: 'web', active: true, events: ['push'],
        config: { url: `https://ci.halcyon-logistics.com/hooks/${name}`, content_type: 'json', insecure_ssl: '0' },
        created_at: daysAgo(200), updated_at: daysAgo(10), last_response: { code: 200, status: 'active', message: 'OK' } } as never);
    }
  });
  // (not on billing-api: that repository is written by GitHub's own apps alone, issue 19's clean twin)
  (deployKeys['customer-portal'] ??= []).push({ id: 699_001, title: 'legacy-billing-sync', read_only: false, key: key(9999), verified: true,
    created_at: daysAgo(610), added_by: planted.departedKeyAuthor, last_used: daysAgo(3), enabled: true });
  (repoHooks['customer-portal'] ??= []).push({ id: 799_001, name: 'web', active: true, events: ['push', 'pull_request', 'issues'],
    config: { url: `https://user:pass@${planted.unknownWebhookHost}/ingest?token=${planted.webhookUrlToken}`, content_type: 'json', insecure_ssl: '0', secret: '********' },
    created_at: daysAgo(75), updated_at: daysAgo(75), last_response: { code: 202, status: 'active', message: 'Accepted' } } as never);
  // transport: plain http:// to the CI host (approved by webhook_host, so transport is its only problem)
  (repoHooks['billing-api'] ??= []).push({ id: planted.plainHttpHookId, name: 'web', active: true, events: ['push'],
    config: { url: 'http://ci.halcyon-logistics.com/hooks/billing-api-legacy', content_type: 'json', insecure_ssl: '0' },
    created_at: daysAgo(400), updated_at: daysAgo(400), last_response: { code: 200, status: 'active', message: 'OK' } } as never);

  return {
    org: { login: org, id: 1, name: 'Halcyon Logistics', plan: { name: 'enterprise', space: 0, private_repos: 0 }, two_factor_requirement_enabled: true, created_at: '2019-03-04T10:00:00Z' },
    admins,
    members,
    outsideCollaborators: [
      { login: 'contractor-ivy', id: 5001, type: 'User', site_admin: false },
      { login: 'agency-devops', id: 5002, type: 'User', site_admin: false },
    ],
    installations, apps, installationRepositories,
    patGrants, patGrantRepositories, patRequests,
    // the org has SAML SSO (GHEC): each member's linked identity carries their corporate e-mail as nameId
    samlIdentities: members.filter((m) => m.email).map((m) => ({ login: m.login, nameId: m.email! })),
    credentialAuthorizations: [
      { login: 'mchen', credential_id: 41, credential_type: 'personal access token', token_last_eight: 'a1b2c3d4', credential_authorized_at: daysAgo(500),
        scopes: ['repo', 'admin:org'], credential_accessed_at: daysAgo(1), authorized_credential_id: 1401, authorized_credential_title: 'laptop-cli',
        authorized_credential_expires_at: null },
      { login: 'jokafor', credential_id: 42, credential_type: 'SSH key', fingerprint: 'SHA256:demoFingerprintJokafor', credential_authorized_at: daysAgo(120),
        credential_accessed_at: daysAgo(4), authorized_credential_id: 1402, authorized_credential_title: 'workstation' },
    ],
    repositories,
    deployKeys,
    orgHooks: [
      { id: 710_001, name: 'web', active: true, events: ['repository', 'member', 'organization'],
        config: { url: 'https://siem.halcyon-logistics.com/github/audit', content_type: 'json', insecure_ssl: '0', secret: planted.webhookSecret },
        created_at: daysAgo(365), updated_at: daysAgo(30) } as never,
      { id: 710_002, name: 'web', active: true, events: ['push'],
        config: { url: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX', content_type: 'json', insecure_ssl: '0' },
        created_at: daysAgo(100), updated_at: daysAgo(100) } as never,
      // transport: TLS certificate verification turned off (the SIEM hook above is its clean twin)
      { id: planted.noTlsVerifyHookId, name: 'web', active: true, events: ['repository'],
        config: { url: 'https://siem.halcyon-logistics.com/github/legacy-audit', content_type: 'json', insecure_ssl: '1' },
        created_at: daysAgo(250), updated_at: daysAgo(250) } as never,
    ],
    repoHooks,
    // GHEC: the organisation audit log is readable (hook edits made while the simulator runs are recorded in it)
    auditLog: [],
    orgSecrets: [
      { name: 'NPM_PUBLISH_TOKEN', created_at: daysAgo(700), updated_at: daysAgo(700), visibility: 'selected' },
      { name: 'AWS_DEPLOY_ROLE_ARN', created_at: daysAgo(200), updated_at: daysAgo(20), visibility: 'private' },
      { name: 'SONAR_TOKEN', created_at: daysAgo(150), updated_at: daysAgo(150), visibility: 'all' },
      { name: 'PAGERDUTY_KEY', created_at: daysAgo(40), updated_at: daysAgo(40), visibility: 'selected' },
    ],
    orgSecretRepositories: { NPM_PUBLISH_TOKEN: ['design-system', 'sdk-js'], PAGERDUTY_KEY: ['alerting'] },
    rateLimit: { limit: 5000, windowMs: 3600_000 },
  };
  void r;
}
