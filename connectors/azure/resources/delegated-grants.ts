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
import { ids, need, P, scopeNode, userRef } from '../map-helpers.ts';
import { servicePrincipals, type SpRef } from './service-principals.ts';

interface Item { value: string; resourceKey: string; resourceName: string | null; allPrincipals: boolean; principals: string[]; grantIds: string[] }

export const delegatedGrants = defineResource<AzureClient, Item, SpRef>({
  provider: P, type: 'azure.delegated_grants', description: 'Delegated permissions (OAuth2 permission grants) of service principals',
  docs: 'https://learn.microsoft.com/graph/api/serviceprincipal-list-oauth2permissiongrants',
  parent: servicePrincipals,
  emits: { nodes: ['scope', 'principal'], edges: ['HAS_SCOPE', 'INSTALLED_BY'] },
  async *list(ctx) {
    const grants = await ctx.client.batch.getAll<OAuth2PermissionGrant>(`/servicePrincipals/${ctx.parent.objectId}/oauth2PermissionGrants`);
    const byKey = new Map<string, Item>();
    for (const g of grants) {
      const api = await ctx.client.permissions.resource(need(g.resourceId, 'oauth2PermissionGrants[].resourceId'));
      for (const value of (g.scope ?? '').split(' ').filter(Boolean)) {
        const resourceKey = api.appId ?? g.resourceId!;
        const key = `${resourceKey}/${value}`;
        const item = byKey.get(key) ?? { value, resourceKey, resourceName: api.displayName, allPrincipals: false, principals: [], grantIds: [] };
        if (g.consentType === 'AllPrincipals') item.allPrincipals = true;
        else if (g.principalId && !item.principals.includes(g.principalId)) item.principals.push(g.principalId);
        if (g.id && !item.grantIds.includes(g.id)) item.grantIds.push(g.id);
        byKey.set(key, item);
      }
    }
    yield { items: [...byKey.values()] };
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
