// GitHub App installations on the organisation (connectors): permissions -> scopes, repository
// selection -> reach, events, suspension. GET /orgs/{org}/installations
// https://docs.github.com/rest/orgs/orgs#list-app-installations-for-an-organization
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { envelope, githubPages } from '../paginate.ts';
import { ids, inTenant, need, P, scopeGrants } from '../map-helpers.ts';

type Installation = components['schemas']['installation'];

export const appInstallations = defineResource<GithubClient, Installation>({
  provider: P, type: 'github.app_installations', description: 'GitHub App installations on the organisation',
  docs: 'https://docs.github.com/rest/orgs/orgs#list-app-installations-for-an-organization',
  emits: { nodes: ['connector', 'scope'], edges: ['IN_TENANT', 'HAS_SCOPE', 'CAN_ACCESS'] },
  list: (ctx) => githubPages<Installation>(ctx, ctx.client.octokit, 'GET /orgs/{org}/installations',
    { org: ctx.tenant.id, per_page: ctx.client.perPage }, envelope('installations')),
  map(inst, ctx) {
    const id = ids.installation(need(inst.id, 'installations[].id'));
    const slug = inst.app_slug ?? String(inst.app_id);
    const scopes = scopeGrants(id, inst.permissions as Record<string, string | undefined>);
    const edges = [inTenant(id, ctx.tenant.id), ...scopes.edges];
    if (inst.repository_selection === 'all') edges.push({ type: 'CAN_ACCESS', from: id, to: ids.org(ctx.tenant.id), props: { repositories: 'all' } });
    return {
      nodes: [{ id, kind: 'connector', type: 'github.app_installation', name: slug, props: {
        connector_type: 'github_app_installation', app_id: String(inst.app_id), app_slug: inst.app_slug ?? null,
        installation_id: String(inst.id), client_id: inst.client_id ?? null, target_type: inst.target_type ?? null,
        repository_selection: inst.repository_selection ?? null, permissions: inst.permissions ?? {}, events: [...(inst.events ?? [])].sort(),
        created_at: inst.created_at ?? null, updated_at: inst.updated_at ?? null, suspended_at: inst.suspended_at ?? null,
        suspended_by: inst.suspended_by?.login ?? null, enabled: !inst.suspended_at, contact_email: inst.contact_email ?? null,
      } }, ...scopes.nodes],
      edges,
    };
  },
  ref: (inst) => ({ nodeId: ids.installation(inst.id), label: inst.app_slug ?? String(inst.id), installationId: inst.id, slug: inst.app_slug ?? null,
    selection: inst.repository_selection ?? null }),
});
