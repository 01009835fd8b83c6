// The Entra tenant (organization): the tenant node everything else links to. GET /organization
// https://learn.microsoft.com/graph/api/organization-list
import type { Organization } from '@microsoft/microsoft-graph-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';

export const tenant = defineResource<AzureClient, Organization>({
  provider: P, type: 'azure.tenant', description: 'The Entra ID tenant (organization)',
  docs: 'https://learn.microsoft.com/graph/api/organization-list',
  permission: { grant: { [GRAPH]: 'Organization.Read.All (or Directory.Read.All)' } },
  emits: { nodes: ['tenant'], edges: [] },
  async *list(ctx) {
    yield { items: [await ctx.client.organization()] };
  },
  map(org, ctx) {
    // the node is the configured tenant's; what the organization object lacks (id and domains are nullable) stays null
    const f = fieldsOf(org, 'organization');
    const guid = f.optionalString('id');
    const verified = f.list('verifiedDomains').filter((d): d is { name?: unknown; isDefault?: unknown } => typeof d === 'object' && d !== null);
    const domains = verified.map((d) => d.name).filter((n): n is string => typeof n === 'string' && n !== '').sort();
    const dflt = verified.find((d) => d.isDefault === true)?.name;
    return {
      nodes: [{ id: ids.tenant(ctx.tenant.id), kind: 'tenant', type: 'azure.tenant', name: f.label('displayName') ?? guid ?? ctx.tenant.id, props: {
        tenant_id: guid, verified_domains: domains,
        default_domain: typeof dflt === 'string' ? dflt : null,
        tenant_type: org.tenantType ?? null, country: org.countryLetterCode ?? null, created_at: org.createdDateTime ?? null,
      } }],
      edges: [],
    };
  },
});
