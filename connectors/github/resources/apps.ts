// The GitHub App behind each installation: its owner is the connector's vendor. GET /apps/{app_slug}
// https://docs.github.com/rest/apps/apps#get-an-app
import type { components } from '@octokit/openapi-types';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';
import { appInstallations } from './app-installations.ts';

type App = NonNullable<components['schemas']['integration']>;
type InstallationRef = ParentRef & { slug: string | null };

export const apps = defineResource<GithubClient, App, InstallationRef>({
  provider: P, type: 'github.apps', description: 'The app behind each installation (publisher -> vendor)',
  docs: 'https://docs.github.com/rest/apps/apps#get-an-app',
  parent: appInstallations,
  emits: { nodes: ['vendor'], edges: ['PUBLISHED_BY'] },
  async *list(ctx) {
    if (!ctx.parent.slug) return;
    const res = await ctx.client.octokit.rest.apps.getBySlug({ app_slug: ctx.parent.slug });
    yield { items: res.data ? [res.data as App] : [] };
  },
  map(app, ctx) {
    // the owner is a user or an enterprise (named by slug); an app without one names no vendor
    const f = fieldsOf(app, 'app', ['slug', 'id']);
    const o = f.optionalObject('owner');
    const owner = o ? f.optionalString('owner.login') ?? f.optionalString('owner.slug') : null;
    if (!owner) return { nodes: [], edges: [] };
    const vendor = ids.vendor(owner);
    return {
      nodes: [{ id: vendor, kind: 'vendor', type: 'github.app_owner', name: owner, props: {
        login: owner, verified: null, first_party: owner.toLowerCase() === ctx.tenant.id.toLowerCase(),
      } }],
      edges: [{ type: 'PUBLISHED_BY', from: ctx.parent.nodeId, to: vendor, props: { app_name: f.label('name'), external_url: f.label('external_url') } }],
    };
  },
});
