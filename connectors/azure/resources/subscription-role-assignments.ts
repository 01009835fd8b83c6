// Azure RBAC role assignments of service principals and managed identities at subscription scope and below
// (CAN_ACCESS to the subscription, the role names as props). ARM roleAssignments + roleDefinitions.
// https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-subscription
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { ids, P } from '../map-helpers.ts';
import type { ArmRoleAssignment, ArmRoleDefinition } from '../types.ts';
import { subscriptions, type SubscriptionRef } from './subscriptions.ts';

interface Item { principalId: string; roles: Array<{ role: string; roleDefinitionId: string; scope: string; createdOn: string | null }> }

export const subscriptionRoleAssignments = defineResource<AzureClient, Item, SubscriptionRef>({
  provider: P, type: 'azure.subscription_role_assignments', description: 'Azure role assignments of service principals (ARM)',
  docs: 'https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-subscription',
  parent: subscriptions,
  emits: { nodes: [], edges: ['CAN_ACCESS'] },
  async *list(ctx) {
    const base = `/subscriptions/${ctx.parent.subscriptionId}/providers/Microsoft.Authorization`;
    const defs = await ctx.client.arm.all<ArmRoleDefinition>(`${base}/roleDefinitions?api-version=2022-04-01`);
    const roleName = new Map(defs.map((d) => [d.name.toLowerCase(), d.properties.roleName]));
    const byPrincipal = new Map<string, Item>();
    for await (const page of ctx.client.arm.pages<ArmRoleAssignment>(`${base}/roleAssignments?api-version=2022-04-01`)) {
      for (const a of page.items) {
        if (a.properties.principalType !== 'ServicePrincipal') continue;
        const defId = a.properties.roleDefinitionId.split('/').pop()!.toLowerCase();
        const item = byPrincipal.get(a.properties.principalId) ?? { principalId: a.properties.principalId, roles: [] };
        item.roles.push({ role: roleName.get(defId) ?? defId, roleDefinitionId: defId, scope: a.properties.scope, createdOn: a.properties.createdOn ?? null });
        byPrincipal.set(a.properties.principalId, item);
      }
    }
    yield { items: [...byPrincipal.values()] };
  },
  map(item, ctx) {
    const roles = [...item.roles].sort((a, b) => `${a.role}${a.scope}`.localeCompare(`${b.role}${b.scope}`));
    return { nodes: [], edges: [{ type: 'CAN_ACCESS', from: ids.servicePrincipal(item.principalId), to: ctx.parent.nodeId, props: {
      roles: [...new Set(roles.map((r) => r.role))], assignments: roles, subscription: ctx.parent.name,
    } }] };
  },
});
