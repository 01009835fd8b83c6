// Organisation members (principals) with their role. GET /orgs/{org}/members?role=admin, then role=all; with SAML SSO,
// each member's SAML identity e-mail (one paged GraphQL query, ../saml-identities.ts) so the login links to the person.
// https://docs.github.com/rest/orgs/members#list-organization-members
import type { components } from '@octokit/openapi-types';
import crypto from 'node:crypto';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';
import { samlEmailsByLogin } from '../saml-identities.ts';

type User = components['schemas']['simple-user'] & { _admin?: boolean; _saml?: string[] };

export const members = defineResource<GithubClient, User>({
  provider: P, type: 'github.members', description: 'Organisation members (humans and machine users)',
  docs: 'https://docs.github.com/rest/orgs/members#list-organization-members',
  // SAML identities (GHEC with SSO) are served to organisation owners only; without that, members are listed without them
  permission: { grant: { [APP]: 'Organization › Members (read)', [CLASSIC]: 'read:org (as an organisation owner, also for SAML identities)' } },
  emits: { nodes: ['principal'], edges: ['IN_TENANT'] },
  async *list(ctx) {
    const { octokit, perPage } = ctx.client;
    const admins = new Set<string>();
    for await (const page of githubPages<User>(ctx, octokit, 'GET /orgs/{org}/members', { org: ctx.tenant.id, role: 'admin', per_page: perPage })) {
      // The admin pages only annotate; their cache entries are not needed, so they are not yielded.
      for (const u of page.items) if (typeof u?.login === 'string') admins.add(u.login.toLowerCase()); // a malformed one is reported below
      if (page.notModified) throw new Error('unexpected 304 on the admin listing');
    }
    const saml = await samlEmailsByLogin(ctx);
    const samlKey = [...saml].map(([l, e]) => `${l}=${e.join('+')}`).sort().join(',');
    const variant = crypto.createHash('sha1').update([...admins].sort().join(',') + (samlKey ? `|${samlKey}` : '')).digest('hex').slice(0, 12);
    for await (const page of githubPages<User>(ctx, octokit, 'GET /orgs/{org}/members', { org: ctx.tenant.id, role: 'all', per_page: perPage }, undefined, variant)) {
      yield { ...page, items: page.items.map((u) => ({ ...u, _admin: typeof u?.login === 'string' && admins.has(u.login.toLowerCase()),
        ...(typeof u?.login === 'string' && saml.has(u.login.toLowerCase()) ? { _saml: saml.get(u.login.toLowerCase()) } : {}) })) };
    }
  },
  map(u, ctx) {
    const f = fieldsOf(u, 'members[]', ['id', 'login']);
    const login = f.string('login');
    const publicEmail = f.optionalString('email');
    const saml = u._saml ?? [];
    return {
      nodes: [{ id: ids.user(login), kind: 'principal', type: 'github.user', name: login, props: {
        login, github_id: f.optionalNumber('id'), email: publicEmail ?? saml[0] ?? null, status: 'active', is_admin: u._admin === true,
        ...(saml.length ? { emails: [...new Set([...(publicEmail ? [publicEmail.toLowerCase()] : []), ...saml])], saml_name_id: saml[0] } : {}),
        role: u._admin ? 'admin' : 'member', member: true, account_type: u.type ?? null, site_admin: u.site_admin ?? false,
      } }],
      edges: [inTenant(ids.user(login), ctx.tenant.id)],
    };
  },
});
