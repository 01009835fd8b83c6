// The Entra tenant (organization): the tenant node everything else links to. GET /organization
// https://learn.microsoft.com/graph/api/organization-list
import type { Organization } from '@microsoft/microsoft-graph-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { ids, need, P } from '../map-helpers.ts';

export const tenant = defineResource<AzureClient, Organization>({
  provider: P, type: 'azure.tenant', description: 'The Entra ID tenant (organization)',
  docs: 'https://learn.microsoft.com/graph/api/organization-list',
  emits: { nodes: ['tenant'], edges: [] },
  async *list(ctx) {
    yield { items: [await ctx.client.organization()] };
  },
  map(org, ctx) {
    const guid = need(org.id, 'organization.id');
    const domains = (org.verifiedDomains ?? []).map((d) => d.name).filter((n): n is string => !!n).sort();
    return {
      nodes: [{ id: ids.tenant(ctx.tenant.id), kind: 'tenant', type: 'azure.tenant', name: org.displayName ?? guid, props: {
        tenant_id: guid, verified_domains: domains,
        default_domain: (org.verifiedDomains ?? []).find((d) => d.isDefault)?.name ?? null,
        tenant_type: org.tenantType ?? null, country: org.countryLetterCode ?? null, created_at: org.createdDateTime ?? null,
      } }],
      edges: [],
    };
  },
});
