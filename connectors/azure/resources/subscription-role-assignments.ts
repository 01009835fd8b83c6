// Azure RBAC role assignments of service principals and managed identities at subscription scope and below
// (CAN_ACCESS to the subscription, the role names as props). ARM roleAssignments + roleDefinitions.
// https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-subscription
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { fieldsOf, readOrSkip, type SkippedItem } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';
import { ROLE } from '../permission-hints.ts';
import type { ArmRoleAssignment, ArmRoleDefinition } from '../types.ts';
import { subscriptions, type SubscriptionRef } from './subscriptions.ts';

interface Item { principalId: string; roles: Array<{ role: string; roleDefinitionId: string; scope: string; createdOn: string | null }> }

export const subscriptionRoleAssignments = defineResource<AzureClient, Item, SubscriptionRef>({
  provider: P, type: 'azure.subscription_role_assignments', description: 'Azure role assignments of service principals (ARM)',
  docs: 'https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-subscription',
  parent: subscriptions,
  permission: { grant: { [ROLE]: 'Reader on the subscription' } },
  emits: { nodes: [], edges: ['CAN_ACCESS'] },
  async *list(ctx) {
    const base = `/subscriptions/${ctx.parent.subscriptionId}/providers/Microsoft.Authorization`;
    const defs = await ctx.client.arm.all<ArmRoleDefinition>(`${base}/roleDefinitions?api-version=2022-04-01`);
    // a definition without a name only leaves its role unnamed (shown by id)
    const roleName = new Map(defs.filter((d) => typeof d?.name === 'string' && typeof d.properties?.roleName === 'string')
      .map((d) => [d.name.toLowerCase(), d.properties.roleName]));
    const byPrincipal = new Map<string, Item>();
    const malformed: SkippedItem[] = [];
    for await (const page of ctx.client.arm.pages<ArmRoleAssignment>(`${base}/roleAssignments?api-version=2022-04-01`)) {
      for (const a of page.items) {
        const p = readOrSkip(malformed, () => {
          const f = fieldsOf(a, 'roleAssignments[]', ['name', 'id']);
          return { principalType: f.optionalString('properties.principalType'), principalId: f.string('properties.principalId'),
            defId: f.string('properties.roleDefinitionId').split('/').pop()!.toLowerCase(), scope: f.string('properties.scope'),
            createdOn: f.optionalString('properties.createdOn') };
        });
        if (!p) continue;
        if (p.principalType !== 'ServicePrincipal') continue;
        const item = byPrincipal.get(p.principalId) ?? { principalId: p.principalId, roles: [] };
        item.roles.push({ role: roleName.get(p.defId) ?? p.defId, roleDefinitionId: p.defId, scope: p.scope, createdOn: p.createdOn });
        byPrincipal.set(p.principalId, item);
      }
    }
    yield { items: [...byPrincipal.values()], ...(malformed.length ? { malformed } : {}) };
  },
  map(item, ctx) {
    const roles = [...item.roles].sort((a, b) => `${a.role}${a.scope}`.localeCompare(`${b.role}${b.scope}`));
    return { nodes: [], edges: [{ type: 'CAN_ACCESS', from: ids.servicePrincipal(item.principalId), to: ctx.parent.nodeId, props: {
      roles: [...new Set(roles.map((r) => r.role))], assignments: roles, subscription: ctx.parent.name,
    } }] };
  },
});
