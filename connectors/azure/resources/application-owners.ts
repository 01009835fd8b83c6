// Owners of each app registration (OWNS). GET /applications/{id}/owners, via $batch.
// https://learn.microsoft.com/graph/api/application-list-owners
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { P } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';
import { applications, type AppRef } from './applications.ts';
import { mapOwner, OWNER_SELECT, type Owner } from '../owner-map.ts';

export const applicationOwners = defineResource<AzureClient, Owner, AppRef>({
  provider: P, type: 'azure.application_owners', description: 'Owners of app registrations',
  docs: 'https://learn.microsoft.com/graph/api/application-list-owners',
  parent: applications,
  permission: { grant: { [GRAPH]: 'Application.Read.All' } },
  emits: { nodes: ['principal'], edges: ['OWNS'] },
  async *list(ctx) {
    yield { items: await ctx.client.batch.getAll<Owner>(`/applications/${ctx.parent.objectId}/owners?${OWNER_SELECT}`) };
  },
  map: (o, ctx) => mapOwner(o, ctx.parent.nodeId, 'application'),
});
