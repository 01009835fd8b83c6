// Application permissions held by each service principal: its app role assignments, resolved from role ids
// to names (Mail.Read) through the resource API's appRoles. Always admin-consented.
// GET /servicePrincipals/{id}/appRoleAssignments, via $batch (cost 2 RU each).
// https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments
import type { AppRoleAssignment } from '@microsoft/microsoft-graph-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { fieldsOf, readOrSkip, type SkippedItem } from '../../../src/crawl/malformed-item.ts';
import { P, scopeNode } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';
import { servicePrincipals, type SpRef } from './service-principals.ts';

const DEFAULT_ACCESS = '00000000-0000-0000-0000-000000000000';

interface Item { a: AppRoleAssignment; value: string; resolved: boolean; resourceKey: string; resourceName: string | null }

export const appRoleAssignments = defineResource<AzureClient, Item, SpRef>({
  provider: P, type: 'azure.app_role_assignments', description: 'Application permissions (app role assignments) of service principals',
  docs: 'https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments',
  parent: servicePrincipals,
  permission: { grant: { [GRAPH]: 'Application.Read.All' } },
  emits: { nodes: ['scope'], edges: ['HAS_SCOPE'] },
  async *list(ctx) {
    const assignments = await ctx.client.batch.getAll<AppRoleAssignment>(`/servicePrincipals/${ctx.parent.objectId}/appRoleAssignments`);
    const items: Item[] = [];
    const malformed: SkippedItem[] = [];
    for (const a of assignments) {
      // resourceId is nullable in Graph's schema: without it the permission cannot be named, so that assignment
      // alone is skipped (reported; the listing is partial and keeps what it had)
      const read = readOrSkip(malformed, () => {
        const f = fieldsOf(a, 'appRoleAssignments[]');
        return { resourceId: f.string('resourceId'), roleId: f.optionalString('appRoleId') ?? DEFAULT_ACCESS };
      });
      if (!read) continue;
      const { resourceId, roleId } = read;
      const api = await ctx.client.permissions.resource(resourceId);
      const name = roleId === DEFAULT_ACCESS ? 'default access' : api.roles.get(roleId);
      items.push({ a, value: name ?? roleId, resolved: name !== undefined, resourceKey: api.appId ?? resourceId,
        resourceName: api.displayName ?? (typeof a.resourceDisplayName === 'string' ? a.resourceDisplayName : null) });
    }
    yield { items, ...(malformed.length ? { malformed } : {}) };
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
