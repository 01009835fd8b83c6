// GitHub App installations on the organisation (connectors): permissions -> scopes, repository
// selection -> reach, events, suspension. GET /orgs/{org}/installations
// https://docs.github.com/rest/orgs/orgs#list-app-installations-for-an-organization
import type { components } from '@octokit/openapi-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { envelope, githubPages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P, scopeGrants } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';

type Installation = components['schemas']['installation'];

export const appInstallations = defineResource<GithubClient, Installation>({
  provider: P, type: 'github.app_installations', description: 'GitHub App installations on the organisation',
  docs: 'https://docs.github.com/rest/orgs/orgs#list-app-installations-for-an-organization',
  permission: { grant: { [APP]: 'Organization › Administration (read)', [CLASSIC]: 'read:org' } },
  emits: { nodes: ['connector', 'scope'], edges: ['IN_TENANT', 'HAS_SCOPE', 'CAN_ACCESS'] },
  matchKeys: ['installation_id', 'app_id', 'app_slug'],
  list: (ctx) => githubPages<Installation>(ctx, ctx.client.octokit, 'GET /orgs/{org}/installations',
    { org: ctx.tenant.id, per_page: ctx.client.perPage }, envelope('installations')),
  map(inst, ctx) {
    const f = fields(inst);
    const installationId = f.key('id');
    const id = ids.installation(installationId);
    const appSlug = f.optionalString('app_slug');
    const appId = f.optionalKey('app_id');
    const permissions = f.optionalObject('permissions') ?? {};
    const slug = appSlug ?? appId ?? installationId;
    const scopes = scopeGrants(id, permissions as Record<string, string | undefined>);
    const edges = [inTenant(id, ctx.tenant.id), ...scopes.edges];
    if (inst.repository_selection === 'all') edges.push({ type: 'CAN_ACCESS', from: id, to: ids.org(ctx.tenant.id), props: { repositories: 'all' } });
    return {
      nodes: [{ id, kind: 'connector', type: 'github.app_installation', name: slug, props: {
        connector_type: 'github_app_installation', app_id: appId, app_slug: appSlug,
        installation_id: installationId, client_id: inst.client_id ?? null, target_type: inst.target_type ?? null,
        repository_selection: inst.repository_selection ?? null, permissions, events: [...f.strings('events')].sort(),
        created_at: inst.created_at ?? null, updated_at: inst.updated_at ?? null, suspended_at: inst.suspended_at ?? null,
        suspended_by: f.label('suspended_by.login'), enabled: !inst.suspended_at, contact_email: inst.contact_email ?? null,
      } }, ...scopes.nodes],
      edges,
    };
  },
  ref: (inst) => {
    const f = fields(inst);
    const installationId = f.key('id');
    return { nodeId: ids.installation(installationId), label: f.optionalString('app_slug') ?? installationId, installationId: inst.id,
      slug: f.optionalString('app_slug'), selection: f.optionalString('repository_selection') };
  },
});

/** An installation's fields as the mapper reads them (`installations[].<field>`; named by id, or by app_slug). */
const fields = (inst: Installation) => fieldsOf(inst, 'installations[]', ['id', 'app_slug']);
