// Application permissions held by each service principal: its app role assignments, resolved from role ids
// to names (Mail.Read) through the resource API's appRoles. Always admin-consented.
// GET /servicePrincipals/{id}/appRoleAssignments, via $batch (cost 2 RU each).
// https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments
import type { AppRoleAssignment } from '@microsoft/microsoft-graph-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { need, P, scopeNode } from '../map-helpers.ts';
import { servicePrincipals, type SpRef } from './service-principals.ts';

const DEFAULT_ACCESS = '00000000-0000-0000-0000-000000000000';

interface Item { a: AppRoleAssignment; value: string; resolved: boolean; resourceKey: string; resourceName: string | null }

export const appRoleAssignments = defineResource<AzureClient, Item, SpRef>({
  provider: P, type: 'azure.app_role_assignments', description: 'Application permissions (app role assignments) of service principals',
  docs: 'https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments',
  parent: servicePrincipals,
  emits: { nodes: ['scope'], edges: ['HAS_SCOPE'] },
  async *list(ctx) {
    const assignments = await ctx.client.batch.getAll<AppRoleAssignment>(`/servicePrincipals/${ctx.parent.objectId}/appRoleAssignments`);
    const items: Item[] = [];
    for (const a of assignments) {
      const api = await ctx.client.permissions.resource(need(a.resourceId, 'appRoleAssignments[].resourceId'));
      const roleId = a.appRoleId ?? DEFAULT_ACCESS;
      const name = roleId === DEFAULT_ACCESS ? 'default access' : api.roles.get(roleId);
      items.push({ a, value: name ?? roleId, resolved: name !== undefined, resourceKey: api.appId ?? a.resourceId!,
        resourceName: api.displayName ?? a.resourceDisplayName ?? null });
    }
    yield { items };
  },
  map(item, ctx) {
    const scope = scopeNode({ key: item.resourceKey, name: item.resourceName }, 'Application', item.value, item.resolved);
    scope.props.permission_id = item.a.appRoleId ?? null;
    return {
      nodes: [scope],
      edges: [{ type: 'HAS_SCOPE', from: ctx.parent.nodeId, to: scope.id, props: {
        type: 'Application', consent_type: 'AllPrincipals', admin_consent: true, resource: item.resourceName,
        granted_at: item.a.createdDateTime ?? null, assignment_id: item.a.id ?? null,
      } }],
    };
  },
});
