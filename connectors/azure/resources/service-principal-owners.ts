// Owners of each service principal (OWNS). GET /servicePrincipals/{id}/owners, via $batch.
// https://learn.microsoft.com/graph/api/serviceprincipal-list-owners
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { P } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';
import { mapOwner, OWNER_SELECT, type Owner } from '../owner-map.ts';
import { servicePrincipals, type SpRef } from './service-principals.ts';

export const servicePrincipalOwners = defineResource<AzureClient, Owner, SpRef>({
  provider: P, type: 'azure.service_principal_owners', description: 'Owners of service principals',
  docs: 'https://learn.microsoft.com/graph/api/serviceprincipal-list-owners',
  parent: servicePrincipals,
  permission: { grant: { [GRAPH]: 'Application.Read.All' } },
  emits: { nodes: ['principal'], edges: ['OWNS'] },
  async *list(ctx) {
    yield { items: await ctx.client.batch.getAll<Owner>(`/servicePrincipals/${ctx.parent.objectId}/owners?${OWNER_SELECT}`) };
  },
  map: (o, ctx) => mapOwner(o, ctx.parent.nodeId, 'service_principal'),
});
