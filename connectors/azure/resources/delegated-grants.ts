// Delegated permissions held by each service principal (oauth2PermissionGrants where it is the client):
// consent for all users (AllPrincipals = admin consent) or for one user (Principal, who consented). The
// space-separated scope string is split into one scope node per permission value; grants of the same
// permission to several users collapse into one HAS_SCOPE edge listing them.
// GET /servicePrincipals/{id}/oauth2PermissionGrants, via $batch.
// https://learn.microsoft.com/graph/api/serviceprincipal-list-oauth2permissiongrants
import type { OAuth2PermissionGrant } from '@microsoft/microsoft-graph-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import type { GraphEdge, GraphNode } from '../../../src/graph/model.ts';
import { fieldsOf, readOrSkip, type SkippedItem } from '../../../src/crawl/malformed-item.ts';
import { ids, P, scopeNode, userRef } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';
import { servicePrincipals, type SpRef } from './service-principals.ts';

interface Item { value: string; resourceKey: string; resourceName: string | null; allPrincipals: boolean; principals: string[]; grantIds: string[] }

export const delegatedGrants = defineResource<AzureClient, Item, SpRef>({
  provider: P, type: 'azure.delegated_grants', description: 'Delegated permissions (OAuth2 permission grants) of service principals',
  docs: 'https://learn.microsoft.com/graph/api/serviceprincipal-list-oauth2permissiongrants',
  parent: servicePrincipals,
  permission: { grant: { [GRAPH]: 'DelegatedPermissionGrant.Read.All' } },
  emits: { nodes: ['scope', 'principal'], edges: ['HAS_SCOPE', 'INSTALLED_BY'] },
  async *list(ctx) {
    const grants = await ctx.client.batch.getAll<OAuth2PermissionGrant>(`/servicePrincipals/${ctx.parent.objectId}/oauth2PermissionGrants`);
    const byKey = new Map<string, Item>();
    const malformed: SkippedItem[] = [];
    for (const g of grants) {
      // a grant without resourceId, or whose scope is not a string, is skipped alone (reported; listing partial)
      const grant = readOrSkip(malformed, () => {
        const f = fieldsOf(g, 'oauth2PermissionGrants[]');
        return { resourceId: f.string('resourceId'), scope: f.optionalString('scope') ?? '', consentType: f.optionalString('consentType'),
          principalId: f.optionalString('principalId'), id: f.optionalString('id') };
      });
      if (!grant) continue;
      const api = await ctx.client.permissions.resource(grant.resourceId);
      for (const value of grant.scope.split(' ').filter(Boolean)) {
        const resourceKey = api.appId ?? grant.resourceId;
        const key = `${resourceKey}/${value}`;
        const item = byKey.get(key) ?? { value, resourceKey, resourceName: api.displayName, allPrincipals: false, principals: [], grantIds: [] };
        if (grant.consentType === 'AllPrincipals') item.allPrincipals = true;
        else if (grant.principalId && !item.principals.includes(grant.principalId)) item.principals.push(grant.principalId);
        if (grant.id && !item.grantIds.includes(grant.id)) item.grantIds.push(grant.id);
        byKey.set(key, item);
      }
    }
    yield { items: [...byKey.values()], ...(malformed.length ? { malformed } : {}) };
  },
  map(item, ctx) {
    const scope = scopeNode({ key: item.resourceKey, name: item.resourceName }, 'Delegated', item.value);
    const principals = [...item.principals].sort();
    const nodes: GraphNode[] = [scope];
    const edges: GraphEdge[] = [{ type: 'HAS_SCOPE', from: ctx.parent.nodeId, to: scope.id, props: {
      type: 'Delegated', consent_type: item.allPrincipals ? 'AllPrincipals' : 'Principal', admin_consent: item.allPrincipals,
      consented_for: principals.map((p) => ids.user(p)), resource: item.resourceName, grant_ids: [...item.grantIds].sort(),
    } }];
    for (const p of principals) {
      nodes.push(userRef(p));
      edges.push(installed(ctx.parent.nodeId, p));
    }
    return { nodes, edges };
  },
});

/** A user consented for themselves: the connector was installed by them (the same edge from every scope). */
function installed(connectorId: string, userId: string): GraphEdge {
  return { type: 'INSTALLED_BY', from: connectorId, to: ids.user(userId), props: { via: 'delegated consent' } };
}
