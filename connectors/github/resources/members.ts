// Organisation members (principals) with their role. GET /orgs/{org}/members?role=admin, then role=all.
// https://docs.github.com/rest/orgs/members#list-organization-members
import type { components } from '@octokit/openapi-types';
import crypto from 'node:crypto';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';

type User = components['schemas']['simple-user'] & { _admin?: boolean };

export const members = defineResource<GithubClient, User>({
  provider: P, type: 'github.members', description: 'Organisation members (humans and machine users)',
  docs: 'https://docs.github.com/rest/orgs/members#list-organization-members',
  permission: { grant: { [APP]: 'Organization › Members (read)', [CLASSIC]: 'read:org' } },
  emits: { nodes: ['principal'], edges: ['IN_TENANT'] },
  async *list(ctx) {
    const { octokit, perPage } = ctx.client;
    const admins = new Set<string>();
    for await (const page of githubPages<User>(ctx, octokit, 'GET /orgs/{org}/members', { org: ctx.tenant.id, role: 'admin', per_page: perPage })) {
      // The admin pages only annotate; their cache entries are not needed, so they are not yielded.
      for (const u of page.items) if (typeof u?.login === 'string') admins.add(u.login.toLowerCase()); // a malformed one is reported below
      if (page.notModified) throw new Error('unexpected 304 on the admin listing');
    }
    const variant = crypto.createHash('sha1').update([...admins].sort().join(',')).digest('hex').slice(0, 12);
    for await (const page of githubPages<User>(ctx, octokit, 'GET /orgs/{org}/members', { org: ctx.tenant.id, role: 'all', per_page: perPage }, undefined, variant)) {
      yield { ...page, items: page.items.map((u) => ({ ...u, _admin: typeof u?.login === 'string' && admins.has(u.login.toLowerCase()) })) };
    }
  },
  map(u, ctx) {
    const f = fieldsOf(u, 'members[]', ['id', 'login']);
    const login = f.string('login');
    return {
      nodes: [{ id: ids.user(login), kind: 'principal', type: 'github.user', name: login, props: {
        login, github_id: f.optionalNumber('id'), email: f.optionalString('email'), status: 'active', is_admin: u._admin === true,
        role: u._admin ? 'admin' : 'member', member: true, account_type: u.type ?? null, site_admin: u.site_admin ?? false,
      } }],
      edges: [inTenant(ids.user(login), ctx.tenant.id)],
    };
  },
});
