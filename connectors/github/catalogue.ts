// GitHub's risk catalogue: grades of App / fine-grained PAT permissions ('contents:write') and classic OAuth /
// PAT scopes ('repo', 'admin:org'), and the facts about GitHub's credential types. Grades: docs/risk-catalogue.md
// §5.1 and §5.2 (ours, inferred from GitHub's permission and scope docs; names checked against
// @octokit/openapi-types `app-permissions`); credentials: §4. Loaded on its own by commands that never crawl.
// https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
import { policyTable } from '../../src/catalogue/credentials.ts';
import type { ProviderCatalogue, ScopeAgency, Severity } from '../../src/catalogue/types.ts';

const g = (severity: Severity, reason: string) => ({ severity, reason });
const t = (severity: Severity, names: string[], reason: string) => Object.fromEntries(names.map((n) => [n, g(severity, reason)]));

/**
 * §5.10: what a permission lets its holder do. App / fine-grained permissions say it in their level ('…:read', '…:write',
 * '…:admin'); administration, members, secrets, hooks, runners, custom roles and PAT policy at write administer the
 * organisation. Classic scopes: 'admin:*' and site/enterprise scopes administer; 'read:*' reads; the rest write.
 * Broad read on GitHub is a matter of reach (an installation or PAT on all repositories, CAN_ACCESS repositories: 'all'),
 * which the rule reads from the graph; 'read:org' and 'read:audit_log' read the organisation's directory and audit log.
 */
const ADMINISTERS = /^(administration|organization_administration|members|secrets|organization_secrets|organization_hooks|repository_hooks|organization_self_hosted_runners|organization_personal_access_tokens|organization_custom_roles|organization_custom_org_roles):(write|admin)$/;
const CLASSIC_BROAD = new Map<string, string>(Object.entries({ 'read:org': 'the organisation directory', 'read:audit_log': 'the organisation audit log' }));

function githubAgency(scope: string): ScopeAgency | undefined {
  const m = /^([a-z_]+):(read|write|admin)$/.exec(scope);
  if (m) return { access: m[2] === 'read' ? 'read' : ADMINISTERS.test(scope) || m[2] === 'admin' ? 'admin' : 'write' };
  if (/^admin:|^(site_admin|manage_runners:enterprise)$/.test(scope)) return { access: 'admin' };
  if (scope.startsWith('read:')) return { access: 'read', ...(CLASSIC_BROAD.has(scope) ? { broad: CLASSIC_BROAD.get(scope)! } : {}) };
  if (/^(user:email|repo:status|notifications)$/.test(scope)) return { access: 'read' };
  if (/^(repo|public_repo|workflow|delete_repo|write:[a-z_]+|delete:[a-z_]+|gist|user|user:follow|codespace|security_events|repo_deployment|repo:invite)$/.test(scope)) {
    return { access: 'write' };
  }
  return undefined;
}

/**
 * §5.12: the permissions that change what a repository's workflows run — the step that turns write access into the
 * identity a trust gives those workflows. https://docs.github.com/rest/authentication/permissions-required-for-github-apps
 */
const WORKLOAD_CONTROL: Record<string, string> = {
  'contents:write': 'pushes commits: the code and scripts workflows run',
  'workflows:write': 'changes workflow files',
  'administration:write': 'changes branch protection and rulesets, adds deploy keys and collaborators',
  'environments:write': 'changes environments and their protection rules',
  repo: 'full control of private repositories (classic scope)',
  workflow: 'changes workflow files (classic scope)',
};

const githubCatalogue: ProviderCatalogue = {
  provider: 'github',
  source: 'docs/risk-catalogue.md §5.1/§5.2 (GitHub permission and OAuth scope docs; CIS GitHub 1.4.3)',
  scopes: {
    ...t('critical', ['administration:write', 'organization_administration:write', 'members:write', 'secrets:write',
      'organization_secrets:write', 'workflows:write', 'organization_self_hosted_runners:write', 'organization_hooks:write',
      'organization_personal_access_tokens:write', 'organization_custom_roles:write', 'organization_custom_org_roles:write'],
    'organisation or repository administration, secrets or CI workflows: a path to org takeover or code execution'),
    ...t('high', ['contents:write', 'actions:write', 'repository_hooks:write', 'environments:write', 'dependabot_secrets:write',
      'codespaces_secrets:write', 'packages:write', 'organization_packages:write', 'deployments:write', 'pull_requests:write',
      'security_events:write', 'secret_scanning_alerts:write'], 'write to code, CI, packages, deployments or security alerts'),
    ...t('medium', ['contents:read', 'pull_requests:read', 'issues:write', 'members:read', 'organization_administration:read',
      'repository_hooks:read', 'organization_hooks:read', 'secrets:read', 'actions:read', 'checks:write', 'statuses:write',
      'organization_personal_access_token_requests:read', 'organization_personal_access_token_requests:write'],
    'read of private code or org metadata, or bounded write'),
    ...t('low', ['metadata:read', 'checks:read', 'statuses:read', 'issues:read', 'email_addresses:read'], 'metadata or low-impact read'),
    // classic OAuth / PAT scopes (§5.2)
    ...t('critical', ['admin:org', 'admin:enterprise', 'site_admin', 'manage_runners:enterprise'], 'full organisation or enterprise administration'),
    ...t('high', ['repo', 'workflow', 'delete_repo', 'admin:repo_hook', 'admin:org_hook', 'write:packages', 'delete:packages',
      'admin:public_key', 'codespace', 'write:org'], 'full control of private repositories, workflows, hooks or packages'),
    ...t('medium', ['public_repo', 'read:org', 'admin:gpg_key', 'admin:ssh_signing_key', 'security_events', 'gist', 'user',
      'read:packages', 'read:audit_log', 'write:repo_hook', 'read:repo_hook'], 'bounded read/write'),
    ...t('low', ['read:user', 'user:email', 'user:follow', 'repo:status', 'repo_deployment', 'repo:invite', 'notifications',
      'read:public_key', 'read:gpg_key'], 'profile or status only'),
  },
  patterns: [
    { test: /^(followers|starring|profile):/, grade: g('low', 'user profile data') },
  ],
  agency: githubAgency,
  workloadControl: WORKLOAD_CONTROL,
  implies(scope) {
    const m = /^([a-z_]+):(admin|write|read)$/.exec(scope);
    if (!m) return scope === 'repo' ? ['public_repo', 'repo:status', 'repo_deployment', 'repo:invite'] : [];
    const levels = ['admin', 'write', 'read'];
    return levels.slice(levels.indexOf(m[2]!) + 1).map((l) => `${m[1]}:${l}`);
  },
  // §4: PATs can carry an expiry (classic ones have a fine-grained / App alternative); a CI secret's value was last
  // set at `updated_at`; SSH deploy keys cannot expire.
  credentialPolicy: policyTable([
    [/^github_classic_pat$/, { expirable: true, label: 'personal access token', alternative: 'a fine-grained PAT with an expiry, or a GitHub App installation token (1 h)' }],
    [/^github_fine_grained_pat$/, { expirable: true, label: 'personal access token' }],
    [/^(oauth_app_token|github_app_user_token)$/, { expirable: true, label: 'user token' }],
    [/^ci_secret$/, { expirable: false, rotatedField: 'updated_at', label: 'CI secret' }],
    [/^ssh_(deploy_)?key$/, { expirable: false, kind: 'certificate', label: 'SSH key' }],
  ]),
};
export default githubCatalogue;
