// GitHub REST routes served from a GithubScenario: Link-header paging (per_page <= 100), GitHub's
// error bodies, GitHub-App-only endpoints, and the installation-token endpoint @octokit/auth-app calls.
import type { Route, SimRequest, SimResponse } from '../../../src/simulator/server.ts';
import { linkHeader, pageSize } from '../../../src/simulator/paging.ts';
import type { GithubScenario } from './scenario.ts';
import { auditLogPage, recordHookChanges, watchHooks } from './audit-log.ts';

const notFound = (): SimResponse => ({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } });

function page<T>(req: SimRequest, all: T[], wrap?: (items: T[]) => unknown): SimResponse {
  const perPage = pageSize(req.query.get('per_page'), 30, 100);
  const p = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const items = all.slice((p - 1) * perPage, p * perPage);
  const link = linkHeader(req.url, p, perPage, all.length);
  return { headers: link ? { link } : {}, body: wrap ? wrap(items) : items };
}

/** Installation tokens (ghs_) are what GitHub Apps act with; the simulator mints them for auth-app. */
const isAppToken = (req: SimRequest) => /^(token|bearer) ghs_/i.test(String(req.headers.authorization ?? ''));

/**
 * organization.repositories × deployKeys as GitHub's GraphQL answers it: DeployKey has a Node ID, no numeric id (the
 * simulator's is DK_ + the REST id, base64), no last_used/added_by; `graphqlErrors.deployKeys` repositories answer
 * null with a FORBIDDEN error on their path. rateLimit.cost: connections requested ÷ 100, at least 1.
 */
function deployKeyIndex(s: GithubScenario, query: string, vars: { org?: string; after?: string | null }): SimResponse {
  if (String(vars.org ?? '').toLowerCase() !== s.org.login.toLowerCase()) {
    return { body: { data: { organization: null }, errors: [{ type: 'NOT_FOUND', path: ['organization'], message: `Could not resolve to an Organization with the login of '${vars.org}'.` }] } };
  }
  const first = Math.min(100, Number(/repositories\(first:\s*(\d+)/.exec(query)?.[1] ?? 100));
  const keysFirst = Math.min(100, Number(/deployKeys\(first:\s*(\d+)/.exec(query)?.[1] ?? 100));
  const start = vars.after ? Number(Buffer.from(vars.after, 'base64').toString().replace(/^cursor:/, '')) : 0;
  const slice = s.repositories.slice(start, start + first);
  const end = start + slice.length;
  const refused = new Set(s.graphqlErrors?.deployKeys ?? []);
  const errors: unknown[] = [];
  const nodes = slice.map((r, i) => {
    if (refused.has(r.name)) {
      errors.push({ type: 'FORBIDDEN', path: ['organization', 'repositories', 'nodes', i, 'deployKeys'], message: 'Resource not accessible by integration' });
      return { name: r.name, deployKeys: null };
    }
    const keys = s.deployKeys?.[r.name] ?? [];
    return { name: r.name, deployKeys: { totalCount: keys.length, pageInfo: { hasNextPage: keys.length > keysFirst },
      nodes: keys.slice(0, keysFirst).map((k) => ({ id: 'DK_' + Buffer.from(`k${k.id}`).toString('base64'), key: k.key, title: k.title,
        readOnly: k.read_only, verified: k.verified ?? true, enabled: k.enabled ?? true, createdAt: k.created_at })) } };
  });
  const more = end < s.repositories.length;
  const cost = Math.max(1, Math.ceil((1 + slice.length) / 100));
  return { body: { data: {
    rateLimit: { cost, remaining: 5000 - cost, resetAt: new Date(Date.now() + 3600_000).toISOString() },
    organization: { repositories: { pageInfo: { hasNextPage: more, endCursor: more ? Buffer.from(`cursor:${end}`).toString('base64') : null }, nodes } },
  }, ...(errors.length ? { errors } : {}) } };
}

export function githubRoutes(s: GithubScenario): Route[] {
  const org = s.org.login.toLowerCase();
  const orgOk = (req: SimRequest) => req.params.org?.toLowerCase() === org;
  const repoByName = (name: string) => s.repositories.find((r) => r.name === name);
  const reposNamed = (names: string[] | undefined) => (names ?? []).map(repoByName).filter((r) => r !== undefined);
  const admins = new Set((s.admins ?? []).map((a) => a.toLowerCase()));
  const orgRoute = (path: string, name: string, handler: (req: SimRequest) => SimResponse): Route =>
    ({ method: 'GET', path, name, handler: (req) => (orgOk(req) ? handler(req) : notFound()) });
  const repoRoute = (path: string, name: string, handler: (req: SimRequest, repo: string) => SimResponse): Route =>
    ({ method: 'GET', path, name, handler: (req) => (req.params.owner?.toLowerCase() === org && repoByName(req.params.repo!) ? handler(req, req.params.repo!) : notFound()) });
  watchHooks(s); // hook edits from here on are recorded as audit events (./audit-log.ts)
  const appOnly = (handler: (req: SimRequest) => SimResponse) => (req: SimRequest): SimResponse =>
    isAppToken(req) ? handler(req) : { status: 403, body: { message: 'Only GitHub Apps can use this endpoint.', documentation_url: 'https://docs.github.com/rest/orgs/personal-access-tokens' } };

  return [
    { method: 'POST', path: '/app/installations/:id/access_tokens', name: 'installation-token', handler: () => ({ status: 201, body: {
      token: `ghs_${'s'.repeat(36)}`, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' } }) },
    { method: 'GET', path: '/app/installations', name: 'app-installations', handler: (req) => page(req, [{ id: 1, account: { login: s.org.login } }]) },
    orgRoute('/orgs/:org', 'org', () => ({ body: s.org })),
    orgRoute('/orgs/:org/members', 'members', (req) => {
      const role = req.query.get('role') ?? 'all';
      return page(req, role === 'admin' ? s.members.filter((m) => admins.has(m.login.toLowerCase())) : s.members);
    }),
    orgRoute('/orgs/:org/outside_collaborators', 'outside-collaborators', (req) => page(req, s.outsideCollaborators ?? [])),
    orgRoute('/orgs/:org/installations', 'installations', (req) => page(req, s.installations ?? [], (items) => ({ total_count: (s.installations ?? []).length, installations: items }))),
    { method: 'GET', path: '/apps/:slug', name: 'app', handler: (req) => {
      const app = (s.apps ?? []).find((a) => a.slug === req.params.slug);
      return app ? { body: app } : notFound();
    } },
    { method: 'GET', path: '/user/installations/:id/repositories', name: 'installation-repositories', handler: (req) => {
      if (isAppToken(req)) return { status: 403, body: { message: 'You must authenticate with an access token authorized to a GitHub App in order to list installations' } };
      const repos = reposNamed(s.installationRepositories?.[req.params.id!]);
      return page(req, repos, (items) => ({ total_count: repos.length, repositories: items }));
    } },
    orgRoute('/orgs/:org/personal-access-tokens', 'pat-grants', appOnly((req) => page(req, s.patGrants ?? []))),
    orgRoute('/orgs/:org/personal-access-tokens/:id/repositories', 'pat-grant-repositories', appOnly((req) => page(req, reposNamed(s.patGrantRepositories?.[req.params.id!])))),
    orgRoute('/orgs/:org/personal-access-token-requests', 'pat-requests', appOnly((req) => page(req, s.patRequests ?? []))),
    orgRoute('/orgs/:org/credential-authorizations', 'credential-authorizations', (req) =>
      s.credentialAuthorizations ? page(req, s.credentialAuthorizations) : notFound()),
    orgRoute('/orgs/:org/repos', 'repos', (req) => {
      // a crawl reads the repositories before any of their hooks: hook edits made before it are stamped before it
      if (Number(req.query.get('page') ?? 1) <= 1) recordHookChanges(s);
      return page(req, s.repositories);
    }),
    repoRoute('/repos/:owner/:repo/keys', 'deploy-keys', (req, repo) => page(req, s.deployKeys?.[repo] ?? [])),
    repoRoute('/repos/:owner/:repo/hooks', 'repo-hooks', (req, repo) => page(req, s.repoHooks?.[repo] ?? [])),
    orgRoute('/orgs/:org/hooks', 'org-hooks', (req) => page(req, s.orgHooks ?? [])),
    // GHEC only (404 without `auditLog`); its Link header names the organisation by id
    orgRoute('/orgs/:org/audit-log', 'audit-log', (req) => auditLogPage(s, req)),
    { method: 'GET', path: '/organizations/:id/audit-log', name: 'audit-log', handler: (req) => (req.params.id === String(s.org.id) ? auditLogPage(s, req) : notFound()) },
    orgRoute('/orgs/:org/actions/secrets', 'org-secrets', (req) => page(req, s.orgSecrets ?? [], (items) => ({ total_count: (s.orgSecrets ?? []).length, secrets: items }))),
    orgRoute('/orgs/:org/actions/secrets/:name/repositories', 'org-secret-repositories', (req) => {
      const repos = reposNamed(s.orgSecretRepositories?.[req.params.name!]);
      return page(req, repos, (items) => ({ total_count: repos.length, repositories: items }));
    }),
    // GraphQL: the SAML external identities query (connectors/github/saml-identities.ts) and the deploy-key index
    // (connectors/github/deploy-key-index.ts), cursor-paged
    { method: 'POST', path: '/graphql', name: 'graphql', handler: (req) => {
      const query = String(req.body.query ?? '');
      const vars = (req.body.variables ?? {}) as { org?: string; after?: string | null };
      if (query.includes('deployKeys')) return deployKeyIndex(s, query, vars);
      if (!query.includes('externalIdentities')) return { status: 400, body: { message: 'simulator: unsupported GraphQL query' } };
      if (String(vars.org ?? '').toLowerCase() !== org) return { body: { data: { organization: null }, errors: [{ type: 'NOT_FOUND', message: `Could not resolve to an Organization with the login of '${vars.org}'.` }] } };
      if (!s.samlIdentities) return { body: { data: { organization: { samlIdentityProvider: null } } } };
      const first = Number(/externalIdentities\(first:\s*(\d+)/.exec(query)?.[1] ?? 100);
      const start = vars.after ? Number(vars.after) : 0;
      const slice = s.samlIdentities.slice(start, start + first);
      const end = start + slice.length;
      return { body: { data: { organization: { samlIdentityProvider: { externalIdentities: {
        pageInfo: { hasNextPage: end < s.samlIdentities.length, endCursor: end < s.samlIdentities.length ? String(end) : null },
        nodes: slice.map((i) => ({ samlIdentity: { nameId: i.nameId, emails: (i.emails ?? []).map((value) => ({ value })) }, user: i.login ? { login: i.login } : null })),
      } } } } } };
    } },
    { method: 'GET', path: '/rate_limit', name: 'rate-limit', handler: () => ({ body: { resources: {}, rate: {} } }) },
  ];
}
